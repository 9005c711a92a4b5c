using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Ops;

/// <summary>
/// The element-wise sum of two or more values of one size, <c>s = a + b</c>: a residual (skip) connection. Its
/// derivative towards every input is the upstream gradient itself, so each input receives <c>dL/ds</c>; an
/// input that other nodes also read adds it to theirs (the deriver marks those steps as accumulating).
/// </summary>
internal sealed record AddOp : Op
{
    public static AddOp Instance { get; } = new();

    public override string Name => "add";

    public override SavedValues Saves => SavedValues.None;

    public override bool StrategyFollowsInputs => true;

    public override ShapeResult Shape(Operands inputs) =>
        ShapeResult.SameSizeMerge(inputs, "add", GraphDiagnostics.AddSizeMismatch, "sums", "+", "every value it adds must have the same number of units");

    public override string ForwardFormula(OpNames names) => names.Output + " = " + string.Join(" + ", names.Inputs);

    public override void EmitForward(IOpSite site)
    {
        var inputs = Enumerable.Range(0, site.Names.Inputs.Count).Select(site.InputValue).ToList();
        site.Line("// " + ForwardFormula(site.Names));
        string s = site.Output();
        if (site.Strategy == Strategy.Unrolled)
        {
            for (int i = 0; i < site.Size; i++)
            {
                site.StoreElement(s, i, Assignment.Assign, string.Join(" + ", inputs.Select(x => site.Element(x, i))));
            }

            return;
        }

        site.Line("for (int i = 0; i < " + site.Size + "; i++) " + s + "[i] = " + string.Join(" + ", inputs.Select(x => x + "[i]")) + ";");
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment) =>
        assignment.Of(names.Input(wrt.Index)) + "dL/d" + names.Output + "      (d(" + string.Join(" + ", names.Inputs) + ")/d" + names.Input(wrt.Index) + " = 1)";

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string ds = site.Gradient();
        string dx = site.InputGradient(wrt.Index);
        string op = assignment.Operator;
        if (site.Strategy == Strategy.Unrolled)
        {
            for (int i = 0; i < site.Size; i++)
            {
                site.StoreElement(dx, i, assignment, site.Element(ds, i));
            }

            return;
        }

        site.Line("for (int i = 0; i < " + site.Size + "; i++) " + dx + "[i]" + op + ds + "[i];");
    }
}

/// <summary><c>[Add("h1")]</c>: the sum <c>sk = a + b</c> of the layers it names, numbered by add layer.</summary>
internal sealed class AddLayer : MergeLayer
{
    public static AddLayer Instance { get; } = new();

    public override string Kind => "Add";

    public override IReadOnlyList<string> ValuePrefixes { get; } = new[] { "s" };

    public override Microsoft.CodeAnalysis.DiagnosticDescriptor NothingToMerge => GraphDiagnostics.AddOfNothing;

    public override string Heading(LayerView layer) => "Add of " + layer.OperandsRead + ", a residual connection";

    public override string DiagramPart(LayerView layer) => "Add (" + string.Join(" + ", layer.Operands) + ")";

    public override string Documentation(LayerView layer) => "Add " + layer.InputSize + ", a residual connection: " + layer.Formula;

    protected override Op Op(IReadOnlyList<int> sizes) => AddOp.Instance;
}
