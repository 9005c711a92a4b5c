using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a neural network that NetGen compiles at build time.
/// The layers are the <see cref="DenseAttribute"/> (and later layer) attributes on the same
/// class, in the order they are written: read top to bottom, they are the network diagram.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 2, Loss = Loss.SquaredError)]
/// [Dense(2, Activation.Sigmoid)]
/// [Dense(1, Activation.Sigmoid)]
/// public partial class XorNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Number of input features of one sample (the size of the input vector).</summary>
    public int Inputs { get; set; }

    /// <summary>The loss the network is trained with. It must fit the last layer's activation.</summary>
    public Loss Loss { get; set; } = Loss.SquaredError;

    /// <summary>The element type of parameters, activations and gradients. <see cref="Precision.Single"/> (float) by default.</summary>
    public Precision Precision { get; set; } = Precision.Single;
}

/// <summary>
/// A fully connected layer: <c>z = W · a + b</c>, then <c>a' = activation(z)</c>.
/// <c>W</c> has <paramref name="units"/> rows and as many columns as the previous layer has outputs.
/// </summary>
/// <param name="units">Number of output units of the layer (rows of its weight matrix). Must be positive.</param>
/// <param name="activation">The element-wise activation applied to the layer's output.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>Number of output units of the layer.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the layer's output.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The layer's name, for later layers to read it by (<c>From</c>, <see cref="AddAttribute"/>).</summary>
    public string? Name { get; set; }

    /// <summary>The name of the layer this one reads; by default, the layer above it.</summary>
    public string? From { get; set; }
}

/// <summary>Element-wise activation functions of a layer.</summary>
public enum Activation
{
    /// <summary><c>f(z) = z</c>; the layer stays linear (for example logits before a softmax loss).</summary>
    Identity = 0,
    /// <summary><c>f(z) = 1 / (1 + e^-z)</c>; <c>f' = f (1 - f)</c>.</summary>
    Sigmoid = 1,
    /// <summary><c>f(z) = tanh z</c>; <c>f' = 1 - f^2</c>.</summary>
    Tanh = 2,
    /// <summary><c>f(z) = max(0, z)</c>; <c>f' = 1</c> where <c>z &gt; 0</c>, else 0.</summary>
    ReLU = 3,
    /// <summary><c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>0.01 z</c>.</summary>
    LeakyReLU = 4,
    /// <summary><c>f(z) = ln(1 + e^z)</c>; <c>f' = sigmoid(z)</c>.</summary>
    Softplus = 5,
    /// <summary><c>f(z)_i = e^z_i / sum_j e^z_j</c>; allowed on the last layer only, with <see cref="Loss.SoftmaxCrossEntropy"/>.</summary>
    Softmax = 6,
}

/// <summary>Loss functions. Each is the loss of one sample; training minimizes the mean over a minibatch.</summary>
public enum Loss
{
    /// <summary><c>L = 1/2 sum_i (y_i - t_i)^2</c>, as in the lecture notes; <c>dL/dy = y - t</c>.</summary>
    SquaredError = 0,
    /// <summary><c>L = 1/n sum_i (y_i - t_i)^2</c> over the <c>n</c> outputs; <c>dL/dy = 2 (y - t) / n</c>.</summary>
    MeanSquaredError = 1,
    /// <summary>
    /// Log loss on a sigmoid output, <c>L = -sum_i t_i ln y_i + (1 - t_i) ln(1 - y_i)</c>, computed stably
    /// from the logits; fused with the sigmoid, <c>dL/dz = y - t</c>. Requires a <see cref="Activation.Sigmoid"/> last layer.
    /// </summary>
    BinaryCrossEntropy = 2,
    /// <summary>
    /// Cross-entropy of a softmax over the outputs, <c>L = -sum_i t_i ln p_i</c> with <c>p = softmax(z)</c>, computed
    /// with log-sum-exp; fused, <c>dL/dz = p - t</c> for targets that sum to 1. The last layer is
    /// <see cref="Activation.Identity"/> (logits) or <see cref="Activation.Softmax"/>; predictions are probabilities either way.
    /// </summary>
    SoftmaxCrossEntropy = 3,
}

/// <summary>The element type of a generated network.</summary>
public enum Precision
{
    /// <summary>32-bit <see cref="float"/>: fast, the default.</summary>
    Single = 0,
    /// <summary>64-bit <see cref="double"/>: for exact gradient checks and numerically demanding work.</summary>
    Double = 1,
}

/// <summary>
/// Inverted dropout after the previous layer: while training, each of its outputs is kept with
/// probability <c>1 - rate</c> and scaled by <c>1 / (1 - rate)</c>, or set to zero; at inference it
/// passes values through unchanged. Masks are drawn by <see cref="DropoutMask"/> from the
/// workspace's seed, so a seed reproduces them exactly.
/// </summary>
/// <param name="rate">The probability of dropping a unit, in [0, 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double rate) : Attribute
{
    /// <summary>The probability of dropping a unit.</summary>
    public double Rate { get; } = rate;

    /// <summary>The layer's name, for later layers to read it by (<c>From</c>, <see cref="AddAttribute"/>).</summary>
    public string? Name { get; set; }

    /// <summary>The name of the layer this one reads; by default, the layer above it.</summary>
    public string? From { get; set; }
}
