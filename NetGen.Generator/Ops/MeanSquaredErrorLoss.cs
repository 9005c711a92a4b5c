using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The mean squared error <c>L = 1/n Σ (y - t)²</c> over a sample's n outputs; <c>dL/dy = 2 (y - t) / n</c>.</summary>
internal sealed record MeanSquaredErrorLoss : LossOp
{
    public static MeanSquaredErrorLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.MeanSquaredError;


    public override string RuntimeFunction => "MeanSquaredError";

    public override string Definition(string input) => "L = 1/n Σ (" + input + " - t)² over the n outputs";

    public override string Formula(string input, string prediction) => "dL/d" + input + " = 2 (" + input + " - t) / n";
}
