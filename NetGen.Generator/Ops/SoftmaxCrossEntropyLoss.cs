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

    public override Op? PredictionActivation => SoftmaxOp.Instance;

    public override string Formula(string input, string prediction) =>
        "dL/d" + input + " = " + prediction + " Σt - t            (softmax and cross-entropy fused: " + prediction + " - t for one-hot t)";

    public override void EmitSampleLoss(ILossSite site)
    {
        string z = site.Input;
        int n = site.Size;
        site.Line("// L = -Σ t ln p = Σ t (lse - z) with lse = ln Σ e^z = max z + ln Σ e^(z - max z)");
        site.Line("double max = " + z + "[0];");
        site.Line("for (int k = 1; k < " + n + "; k++) max = global::System.Math.Max(max, " + z + "[k]);");
        site.Line("double sumExp = 0;");
        site.Line("for (int k = 0; k < " + n + "; k++) sumExp += global::System.Math.Exp(" + z + "[k] - max);");
        site.Line("double lse = max + global::System.Math.Log(sumExp);");
        site.Line(site.ElementType + " targetSum = " + site.Notation.Literal(0) + ";");
        using (site.Block("for (int k = 0; k < " + n + "; k++)"))
        {
            site.Line("loss += t[k] * (lse - " + z + "[k]);");
            site.Line("targetSum += t[k];");
        }

        site.Line("// " + Formula(site.Input, site.Prediction));
        site.Line("for (int k = 0; k < " + n + "; k++) d" + z + "[k] = " + site.Prediction + "[k] * targetSum - t[k];");
    }
}
