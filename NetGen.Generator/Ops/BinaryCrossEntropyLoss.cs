using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The log loss of a sigmoid output, fused with the sigmoid: it reads the logits z; <c>dL/dz = p - t</c>.</summary>
internal sealed record BinaryCrossEntropyLoss : LossOp
{
    public static BinaryCrossEntropyLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.BinaryCrossEntropy;


    public override string RuntimeFunction => "BinaryCrossEntropyWithLogits";

    public override string Definition(string input) =>
        "L = Σ max(" + input + ", 0) - " + input + " t + ln(1 + e^-|" + input + "|), the log loss of sigmoid(" + input + ") without ln of a rounded probability";

    public override string Formula(string input, string prediction) => "dL/d" + input + " = " + prediction + " - t   (sigmoid and log loss fused)";
}
