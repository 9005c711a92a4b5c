using NetGen.Generator.Ops;

namespace NetGen.Generator.Model;

// The generator cannot reference NetGen.Runtime (it runs inside the compiler), so it mirrors the
// runtime's public enums here. The numeric values must stay equal to NetGen.Activation, NetGen.Loss
// and NetGen.Precision; a test checks that they do.

/// <summary>Mirror of <c>NetGen.Activation</c>.</summary>
internal enum ActivationKind
{
    Identity = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
    LeakyReLU = 4,
    Softplus = 5,
    Softmax = 6,
}

/// <summary>Mirror of <c>NetGen.Loss</c>.</summary>
internal enum LossKind
{
    SquaredError = 0,
    MeanSquaredError = 1,
    BinaryCrossEntropy = 2,
    SoftmaxCrossEntropy = 3,
}

/// <summary>Mirror of <c>NetGen.Precision</c>.</summary>
internal enum PrecisionKind
{
    Single = 0,
    Double = 1,
}

internal static class PrecisionKindExtensions
{
    /// <summary>Bytes of one element of the precision: 4 for float, 8 for double.</summary>
    public static int ElementBytes(this PrecisionKind precision) => precision == PrecisionKind.Double ? 8 : 4;
}

/// <summary>
/// One layer as written in its attribute: its <see cref="Unit"/> (the kind: <c>DenseLayer</c>, <c>AddLayer</c>, ...), a
/// dense layer's units and activation, a dropout rate, a named input's name and size. <see cref="Sources"/> are the indices
/// of the layers it reads (0 is the network input), resolved from the attributes' names; empty means the previous layer,
/// as in a chain. A unit whose attribute takes another kind of argument adds its field here.
/// </summary>
internal sealed record LayerSpec(LayerUnit Unit, int Units, ActivationKind Activation, double DropoutRate = 0)
{
    public EquatableArray<int> Sources { get; init; } = EquatableArray<int>.Empty;

    /// <summary>A named input's name (its size is <see cref="Units"/>); null for the other kinds.</summary>
    public string? InputName { get; init; }

    /// <summary>The layer's name (its <c>Name</c>, or a named input's name), which messages call it by; null when unnamed.</summary>
    public string? Name { get; init; }

    /// <summary>The layer's attribute, where the graph stage reports a shape rule the layer breaks.</summary>
    public LocationInfo? Location { get; init; }

    public static LayerSpec Input(string name, int size) => new(InputLayer.Instance, size, ActivationKind.Identity) { InputName = name, Sources = new[] { 0 }.ToEquatableArray() };

    public static LayerSpec Dense(int units, ActivationKind activation) => new(DenseLayer.Instance, units, activation);

    public static LayerSpec Dropout(double rate) => new(DropoutLayer.Instance, 0, ActivationKind.Identity, rate);

    /// <summary>A layer of <paramref name="unit"/> with no argument of its own (a merge, whose names are its wiring; a layer norm).</summary>
    public static LayerSpec Of(LayerUnit unit) => new(unit, 0, ActivationKind.Identity);
}

/// <summary>
/// Everything the later stages need to know about one annotated network class, as plain
/// equatable values. Produced by the parser; holds no Roslyn symbol or syntax.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string TypeName,
    int Inputs,
    LossKind Loss,
    PrecisionKind Precision,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>The [Network] attribute, where the graph stage reports a network too large (NG0010).</summary>
    public LocationInfo? Location { get; init; }

    /// <summary>The name of the generated file: unique per type, stable across builds.</summary>
    public string HintName => ((Namespace is null ? TypeName : Namespace + "." + TypeName) + ".g.cs").Replace("@", string.Empty);
}

/// <summary>The parser's result: a spec when the description is valid, and the diagnostics found either way.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
