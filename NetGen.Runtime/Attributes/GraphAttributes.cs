namespace NetGen;

/// <summary>
/// The element-wise sum of layers of one size: a residual (skip) connection. With one name it adds that layer to
/// the previous one, <c>[Add("h1")]</c>; with several it adds those layers. Layers are named with <c>Name</c> and
/// read only layers above them, so the attributes still read top to bottom as the network diagram.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
/// [Dense(256, Activation.ReLU, Name = "h1")]
/// [Dense(256, Activation.ReLU)]
/// [Add("h1")]                      // a2 + a1: the skip connection
/// [Dense(10)]
/// public partial class ResidualNet;
/// </code>
/// </example>
/// <param name="inputs">The names of the layers to add (the previous layer is added too when only one is named).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute(params string[] inputs) : Attribute
{
    /// <summary>The names of the layers this one adds.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>The layer's name, for later layers to read it by (<c>From</c>, <c>[Add]</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Layers side by side: the value is the first named layer's outputs, then the next one's, and so on, so its size
/// is the sum of theirs. With one name it puts the previous layer first and that layer after it,
/// <c>[Concat("h1")]</c>; with several it concatenates those layers in the order given.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 16, Loss = Loss.SquaredError)]
/// [Dense(8, Activation.Tanh, Name = "h1")]
/// [Dense(4, Activation.ReLU)]
/// [Concat("h1")]                   // c1 = [a2 | a1], 12 values
/// [Dense(1)]
/// public partial class WideNet;
/// </code>
/// </example>
/// <param name="inputs">The names of the layers to concatenate (after the previous layer when only one is named).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatAttribute(params string[] inputs) : Attribute
{
    /// <summary>The names of the layers this one concatenates.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>The layer's name, for later layers to read it by (<c>From</c>, <see cref="AddAttribute"/>, ...).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// The element-wise product of layers of one size, <c>m = a ⊙ b</c> (a gate: one layer scales another unit by unit).
/// With one name it multiplies the previous layer by that layer, <c>[Multiply("gate")]</c>; with several it multiplies
/// those layers.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 16, Loss = Loss.SquaredError)]
/// [Dense(8, Activation.Sigmoid, Name = "gate")]
/// [Dense(8, Activation.Tanh, From = "gate")]
/// [Multiply("gate")]               // m1 = a2 ⊙ a1
/// [Dense(1)]
/// public partial class GatedNet;
/// </code>
/// </example>
/// <param name="inputs">The names of the layers to multiply (the previous layer is multiplied too when only one is named).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MultiplyAttribute(params string[] inputs) : Attribute
{
    /// <summary>The names of the layers this one multiplies.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>The layer's name, for later layers to read it by (<c>From</c>, <see cref="AddAttribute"/>, ...).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A named input of the network: <paramref name="size"/> values of each sample, read by a layer with
/// <c>From = "name"</c> or a merge that names it. A network with <c>[Input]</c> attributes leaves
/// <see cref="NetworkAttribute.Inputs"/> unset: its input vector is every named input side by side, in the order of
/// the attributes (the generated <c>{Name}InputOffset</c> and <c>{Name}InputSize</c> constants say where each one
/// is, and <c>WriteInputs</c> assembles a sample), so training, prediction and persistence see one vector as usual.
/// Declare the inputs above the layers.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss = Loss.SoftmaxCrossEntropy)]
/// [Input("image", 784)]
/// [Input("meta", 12)]
/// [Dense(128, Activation.ReLU, From = "image", Name = "seen")]
/// [Concat("seen", "meta")]
/// [Dense(10)]
/// public partial class TwoInputNet;
/// </code>
/// </example>
/// <param name="name">The input's name: a C# identifier, unique among the network's inputs and layers.</param>
/// <param name="size">Values of the input per sample; positive.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute(string name, int size) : Attribute
{
    /// <summary>The input's name, by which layers read it.</summary>
    public string Name { get; } = name;

    /// <summary>Values of the input per sample.</summary>
    public int Size { get; } = size;
}

/// <summary>
/// Layer normalization of the previous layer's outputs (or of the layer named by <see cref="From"/>): each sample's
/// values are shifted to mean 0 and scaled to variance 1, <c>x̂ = (a - μ) / √(σ² + ε)</c> with
/// ε = <see cref="LayerDescription.LayerNormEpsilon"/>, then <c>n = γ ⊙ x̂ + β</c> with a learnable gain γ (starting at 1)
/// and bias β (starting at 0), one per unit. The layer it normalizes needs at least two units.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 16, Loss = Loss.SquaredError)]
/// [Dense(32, Activation.ReLU)]
/// [LayerNorm]                      // n1 = gamma1 ⊙ x̂ + beta1
/// [Dense(1)]
/// public partial class NormalizedNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>The layer's name, for later layers to read it by (<c>From</c>, <see cref="AddAttribute"/>, ...).</summary>
    public string? Name { get; set; }

    /// <summary>The name of the layer this one normalizes; by default, the layer above it.</summary>
    public string? From { get; set; }
}
