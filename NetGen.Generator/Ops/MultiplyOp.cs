using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Ops;

/// <summary>
/// The element-wise product of two or more values of one size, <c>m = a ⊙ b</c> (a gate). Its derivative towards
/// one input is the upstream gradient times the other inputs, <c>dL/da = dL/dm ⊙ b</c>, so the backward pass reads
/// the inputs' values. A value multiplied by itself gets one such term per use (<c>a ⊙ a</c>: <c>2 a dL/dm</c>).
/// </summary>
internal sealed record MultiplyOp : Op
{
    public static MultiplyOp Instance { get; } = new();

    public override string Name => "multiply";

    public override SavedValues Saves => SavedValues.Inputs;

    public override bool StrategyFollowsInputs => true;

    public override ShapeResult Shape(Operands inputs) =>
        ShapeResult.SameSizeMerge(inputs, "multiply", GraphDiagnostics.MultiplySizeMismatch, "multiplies", "⊙",
            "every value it multiplies element by element must have the same number of units");

    public override string ForwardFormula(OpNames names) => names.Output + " = " + string.Join(" ⊙ ", names.Inputs);

    public override void EmitForward(IOpSite site)
    {
        var inputs = Enumerable.Range(0, site.Names.Inputs.Count).Select(site.InputValue).ToList();
        site.Line("// " + ForwardFormula(site.Names) + "   (element by element)");
        string m = site.Output();
        if (site.Strategy == Strategy.Unrolled)
        {
            for (int i = 0; i < site.Size; i++)
            {
                site.StoreElement(m, i, Assignment.Assign, string.Join(" * ", inputs.Select(x => site.Element(x, i))));
            }

            return;
        }

        site.Line("for (int i = 0; i < " + site.Size + "; i++) " + m + "[i] = " + string.Join(" * ", inputs.Select(x => x + "[i]")) + ";");
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment)
    {
        var others = Others(names.Inputs.Count, wrt.Index).Select(names.Input).ToList();
        return assignment.Of(names.Input(wrt.Index)) + "dL/d" + names.Output + " ⊙ " + string.Join(" ⊙ ", others)
            + "      (∂(" + string.Join(" ⊙ ", names.Inputs) + ")/∂" + names.Input(wrt.Index) + " = " + string.Join(" ⊙ ", others) + ")";
    }

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        var others = Others(site.Names.Inputs.Count, wrt.Index).Select(site.InputValue).ToList();
        string dm = site.Gradient();
        string dx = site.InputGradient(wrt.Index);
        string op = assignment.Operator;
        if (site.Strategy == Strategy.Unrolled)
        {
            for (int i = 0; i < site.Size; i++)
            {
                site.StoreElement(dx, i, assignment, site.Element(dm, i) + " * " + string.Join(" * ", others.Select(x => site.Element(x, i))));
            }

            return;
        }

        site.Line("for (int i = 0; i < " + site.Size + "; i++) " + dx + "[i]" + op + dm + "[i] * " + string.Join(" * ", others.Select(x => x + "[i]")) + ";");
    }

    /// <summary>The inputs other than <paramref name="index"/>: the factors of its derivative.</summary>
    private static IEnumerable<int> Others(int count, int index) => Enumerable.Range(0, count).Where(k => k != index);
}

/// <summary><c>[Multiply("gate")]</c>: the element-wise product <c>mk = a ⊙ b</c> of the layers it names, numbered by multiply layer.</summary>
internal sealed class MultiplyLayer : MergeLayer
{
    public static MultiplyLayer Instance { get; } = new();

    public override string Kind => "Multiply";

    public override IReadOnlyList<string> ValuePrefixes { get; } = new[] { "m" };

    public override string Heading(LayerView layer) => "Multiply of " + layer.OperandsRead + ", element by element";

    public override string DiagramPart(LayerView layer) => "Multiply (" + string.Join(" ⊙ ", layer.Operands) + ")";

    public override string Documentation(LayerView layer) => "Multiply " + layer.InputSize + ", element by element: " + layer.Formula;

    protected override Op Op(IReadOnlyList<int> sizes) => MultiplyOp.Instance;
}
