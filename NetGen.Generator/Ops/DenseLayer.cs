using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Ops;

/// <summary>
/// <c>[Dense(units, activation)]</c>: a <see cref="LinearOp"/> node <c>zl = Wl · a + bl</c> and, unless the activation is
/// the identity, its activation node <c>al = f(zl)</c>. Tensors and values are numbered by dense layer (W1, b1, z1, a1, W2,
/// ...), as in the notes.
/// </summary>
internal sealed class DenseLayer : LayerUnit
{
    public static DenseLayer Instance { get; } = new();

    public override string Kind => "Dense";

    public override IReadOnlyList<string> ValuePrefixes { get; } = new[] { "z", "a" };

    public override LayerSpec Read(ILayerReader reader)
    {
        if (reader.ArgumentCount != 2 || reader.Argument(0) is not int units || reader.Argument(1) is not int activation)
        {
            return reader.Unreadable(LayerSpec.Dense(1, ActivationKind.Identity));
        }

        if (units <= 0)
        {
            reader.Report(DiagnosticCatalog.UnitsNotPositive, reader.Index, reader.Network, units);
        }

        return LayerSpec.Dense(units, reader.IsActivation(activation) ? (ActivationKind)activation : ActivationKind.Identity);
    }

    public override BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs)
    {
        int linear = builder.Add("z" + builder.Number, new LinearOp(layer.Units, NetworkRules.InitializerFor(layer.Activation)), inputs, builder.Number);
        int output = linear >= 0 && Activations.For(layer.Activation) is { } activation
            ? builder.Add("a" + builder.Number, activation, new[] { linear })
            : linear;
        return new BuiltLayer(linear, output, builder.Size(inputs[0]));
    }

    public override string Heading(LayerView layer) => "Dense " + layer.InputSize + " -> " + layer.OutputSize + ", " + layer.Spec.Activation;

    public override string DiagramPart(LayerView layer) => "Dense " + layer.OutputSize + " (" + layer.Spec.Activation + ")";

    public override string Documentation(LayerView layer) =>
        "Dense " + layer.InputSize + " -> " + layer.OutputSize + ", " + layer.Spec.Activation + ": " + layer.Formula + "; " + layer.TensorsText;

    public override string DescriptionArguments(LayerView layer) =>
        LayerView.Runtime + ".Activation." + layer.Spec.Activation + ", " + layer.TensorsArgument + (layer.Spec.Sources.Count > 0 ? ", 0" + layer.SourcesArgument : string.Empty);
}
