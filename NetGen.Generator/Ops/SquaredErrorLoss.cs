using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The squared error <c>L = 1/2 Σ (y - t)²</c> of the lecture notes; <c>dL/dy = y - t</c>.</summary>
internal sealed record SquaredErrorLoss : LossOp
{
    public static SquaredErrorLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.SquaredError;


    public override string RuntimeFunction => "SquaredError";

    public override string Definition(string input) => "L = 1/2 Σ (" + input + " - t)²";

    public override string Formula(string input, string prediction) => "dL/d" + input + " = " + input + " - t";
}
