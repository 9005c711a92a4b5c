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
