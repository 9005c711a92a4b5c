using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>
/// Cross-entropy of a softmax output, fused with the softmax: it reads the logits z;
/// <c>dL/dz = p Σt - t</c>, which is <c>p - t</c> for one-hot targets.
/// </summary>
internal sealed record SoftmaxCrossEntropyLoss : LossOp
{
    public static SoftmaxCrossEntropyLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.SoftmaxCrossEntropy;

    public override string RuntimeFunction => "SoftmaxCrossEntropyWithLogits";

    /// <inheritdoc/>
    /// <remarks>Its exponentials are vectorized across the samples (W2's three classes fill no vector of their own).</remarks>
    public override bool HasBatchForm => true;

    public override string Definition(string input) =>
        "L = -Σ t ln p = Σ t (lse - " + input + ") with lse = ln Σ e^" + input + ", computed with the max shift";

    public override string Formula(string input, string prediction) =>
        "dL/d" + input + " = " + prediction + " Σt - t   (softmax and cross-entropy fused: " + prediction + " - t for one-hot t)";
}
