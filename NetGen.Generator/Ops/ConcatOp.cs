using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>
/// Values side by side, <c>c = [a | b]</c>: the first input's elements, then the next one's. Each element of
/// <c>c</c> is one element of one input, so the derivative towards an input is the identity on its slice:
/// <c>dL/da = dL/dc[0..|a|)</c>, <c>dL/db = dL/dc[|a|..|a| + |b|)</c>.
/// </summary>
/// <param name="Sizes">The sizes of the inputs, in order: where each one's slice starts.</param>
internal sealed record ConcatOp(EquatableArray<int> Sizes) : Op
{
    public override string Name => "concat";

    public override SavedValues Saves => SavedValues.None;

    public override bool StrategyFollowsInputs => true;

    /// <summary>Two or more inputs side by side: the sum of their sizes (the graph stage checks it against the limit of one value).</summary>
    public override ShapeResult Shape(Operands inputs) =>
        inputs.Count < 2 ? ShapeResult.Invalid("concat takes at least two inputs, not " + inputs.Count)
        : !inputs.SequenceEqual(Sizes) ? ShapeResult.Invalid("concat was built for inputs of " + string.Join(", ", Sizes) + ", not " + string.Join(", ", inputs))
        : ShapeResult.Of(inputs.Sum(size => (long)size));

    public override string ForwardFormula(OpNames names) => names.Output + " = [" + string.Join(" | ", names.Inputs) + "]";

    public override void EmitForward(IOpSite site)
    {
        var inputs = Enumerable.Range(0, site.Names.Inputs.Count).Select(site.InputValue).ToList();
        site.Line("// " + ForwardFormula(site.Names));
        string c = site.Output();
        int offset = 0;
        for (int k = 0; k < inputs.Count; k++)
        {
            int size = site.InputSize(k);
            if (site.Strategy == Strategy.Unrolled)
            {
                for (int i = 0; i < size; i++)
                {
                    site.StoreElement(c, offset + i, Assignment.Assign, site.Element(inputs[k], i));
                }
            }
            else
            {
                site.Line(inputs[k] + ".CopyTo(" + c + ".Slice(" + offset + ", " + size + "));");
            }

            offset += size;
        }
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment)
    {
        int offset = Offset(wrt.Index);
        string x = names.Input(wrt.Index), c = names.Output;
        return assignment.Of(x) + "dL/d" + c + "[" + offset + ".." + (offset + Sizes[wrt.Index]) + ")      (" + c + "[" + (offset == 0 ? string.Empty : offset + " + ") + "i] = " + x + "[i])";
    }

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string dc = site.Gradient();
        string dx = site.InputGradient(wrt.Index);
        int offset = Offset(wrt.Index);
        int size = Sizes[wrt.Index];
        string op = assignment.Operator;
        if (site.Strategy == Strategy.Unrolled)
        {
            for (int i = 0; i < size; i++)
            {
                site.StoreElement(dx, i, assignment, site.Element(dc, offset + i));
            }

            return;
        }

        if (assignment.Accumulates)
        {
            site.Line("for (int i = 0; i < " + size + "; i++) " + dx + "[i] += " + dc + "[" + (offset == 0 ? "i" : offset + " + i") + "];");
        }
        else
        {
            site.Line(dc + ".Slice(" + offset + ", " + size + ").CopyTo(" + dx + ");");
        }
    }

    /// <summary>Where input <paramref name="index"/>'s slice starts.</summary>
    private int Offset(int index) => Sizes.Take(index).Sum();
}

/// <summary><c>[Concat("h1")]</c>: the layers it names side by side, <c>ck = [a | b]</c>, numbered by concat layer.</summary>
internal sealed class ConcatLayer : MergeLayer
{
    public static ConcatLayer Instance { get; } = new();

    public override string Kind => "Concat";

    public override IReadOnlyList<string> ValuePrefixes { get; } = new[] { "c" };

    /// <summary>A concatenation's input is the values side by side: its input size is its size.</summary>
    public override BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs)
    {
        var built = base.Build(builder, layer, inputs);
        return built.Main < 0 ? built : built with { InputSize = builder.Size(built.Main) };
    }

    public override string Heading(LayerView layer) => "Concat of " + layer.OperandsRead + ", " + layer.OutputSize + " values side by side";

    public override string DiagramPart(LayerView layer) => "Concat [" + string.Join(" | ", layer.Operands) + "] (" + layer.OutputSize + ")";

    public override string Documentation(LayerView layer) => "Concat " + layer.OutputSize + ": " + layer.Formula;

    protected override Op Op(IReadOnlyList<int> sizes) => new ConcatOp(sizes.ToEquatableArray());
}
