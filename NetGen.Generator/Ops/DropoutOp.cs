using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>
/// Inverted dropout <c>h = a * mask</c> while training (mask = 1 / (1 - rate) for kept units, else 0) and
/// the identity at inference. The mask is a pure function of (seed, sample, <see cref="MaskKey"/>, unit),
/// drawn by the runtime's <c>DropoutMask</c>, so the dynamic graph draws the same one.
/// </summary>
/// <param name="Rate">The probability of dropping a unit, in [0, 1).</param>
/// <param name="MaskKey">The layer index the masks are keyed on (the attribute's 1-based position).</param>
internal sealed record DropoutOp(double Rate, int MaskKey) : Op
{
    public override string Name => "dropout";

    public override SavedValues Saves => SavedValues.Mask;

    public override bool HasMask => true;

    public override bool NeedsSampleIndex => true;

    public string RateText => Rate.ToString("R", CultureInfo.InvariantCulture);

    public override ShapeResult Shape(Operands inputs) => ShapeResult.SameAsSingleInput(inputs, Name);

    public override string ForwardFormula(OpNames names) => names.Output + " = dropout(" + names.Input(0) + ", " + RateText + ")";

    public override void EmitForward(IOpSite site)
    {
        string input = site.InputValue(0);
        string h = site.Names.Output;
        string mask = h + "Mask";
        double keep = 1 - Rate;
        site.Line("// " + h + " = " + input + " * " + mask + " while training (" + mask + " = 1 / (1 - " + RateText + ") where kept, else 0); "
            + h + " = " + input + " at inference");
        site.Output();
        site.Mask();
        using (site.Block("if (training)"))
        {
            // The emitted call draws the sample's whole row of masks with vectors, the same bits as IsKept unit by unit.
            site.Line("// the whole row at once: unit i is kept when DropoutMask.IsKept(seed, sample, " + MaskKey + ", i, threshold)");
            site.Line(site.CompilerService("DropoutMask") + ".Apply(seed, sample, " + MaskKey + ", " + input + ", " + mask + ", " + h + ", "
                + KeepThreshold(Rate).ToString(CultureInfo.InvariantCulture) + "UL, " + site.Notation.Literal(1 / keep) + ");");
        }

        using (site.Block("else"))
        {
            site.Line(input + ".CopyTo(" + h + ");");
            site.Line(mask + ".Fill(" + site.Notation.Literal(1) + ");");
        }
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment) =>
        assignment.Of(names.Input(0)) + "dL/d" + names.Output + " * " + names.Output + "Mask      (the forward pass's mask: 1 / (1 - rate) where kept, else 0)";

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string mask = site.MaskValue();
        string dh = site.Gradient();
        string da = site.InputGradient(0);
        if (site.Size >= ElementwiseOp.VectorMinimum)
        {
            // A vector call rather than a scalar loop the JIT would not vectorize; MultiplyAdd is (x * y) + z, not fused,
            // so the bits are the loop's.
            site.Line("global::System.Numerics.Tensors.TensorPrimitives." + (assignment.Accumulates
                ? "MultiplyAdd(" + dh + ", " + mask + ", " + da + ", " + da + ");"
                : "Multiply(" + dh + ", " + mask + ", " + da + ");"));
        }
        else
        {
            site.Line("for (int i = 0; i < " + site.Size + "; i++) " + da + "[i]" + assignment.Operator + dh + "[i] * " + mask + "[i];");
        }
    }

    /// <summary>The keep threshold of <c>NetGen.CompilerServices.DropoutMask.KeepThreshold</c>, from the rule both share.</summary>
    private static ulong KeepThreshold(double rate) => NetGen.Shared.DropoutRule.KeepThreshold(rate);
}

/// <summary>
/// <c>[Dropout(rate)]</c>: a <see cref="DropoutOp"/> node over the value it reads, named after it (<c>a1Drop</c>), its masks
/// keyed on the layer's index.
/// </summary>
internal sealed class DropoutLayer : LayerUnit
{
    public static DropoutLayer Instance { get; } = new();

    public override string Kind => "Dropout";

    /// <summary>None: a dropout's value is named after the value it reads (<c>a1Drop</c>).</summary>
    public override IReadOnlyList<string> ValuePrefixes { get; } = System.Array.Empty<string>();

    public override LayerSpec Read(ILayerReader reader)
    {
        if (reader.ArgumentCount != 1 || reader.Argument(0) is not double rate)
        {
            return reader.Unreadable(LayerSpec.Dropout(0));
        }

        if (!NetGen.Shared.DropoutRule.IsValidRate(rate))
        {
            reader.Report(NetGen.Generator.Diagnostics.DiagnosticCatalog.DropoutRateOutOfRange, reader.Index, reader.Network, rate.ToString("R", CultureInfo.InvariantCulture));
        }

        return LayerSpec.Dropout(rate);
    }

    public override BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs)
    {
        int node = builder.Add(builder.Name(inputs[0]) + "Drop", new DropoutOp(layer.DropoutRate, builder.Index), inputs);
        return new BuiltLayer(node, node, builder.Size(inputs[0]));
    }

    public override string Heading(LayerView layer) => "Dropout " + layer.RateText + " over " + layer.OutputSize + " units";

    public override string DiagramPart(LayerView layer) => "Dropout " + layer.RateText;

    public override string Documentation(LayerView layer) =>
        "Dropout " + layer.RateText + " over " + layer.OutputSize + " units (training only): " + layer.Value + " = " + layer.Operands.First() + " * mask";

    public override string DescriptionArguments(LayerView layer) =>
        LayerView.Runtime + ".Activation.Identity, null, null, " + layer.RateText + layer.SourcesArgument;
}
