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
