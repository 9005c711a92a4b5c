using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The log loss of a sigmoid output, fused with the sigmoid: it reads the logits z; <c>dL/dz = p - t</c>.</summary>
internal sealed record BinaryCrossEntropyLoss : LossOp
{
    public static BinaryCrossEntropyLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.BinaryCrossEntropy;

    public override Op? PredictionActivation => SigmoidOp.Instance;

    public override string Formula(string input, string prediction) => "dL/d" + input + " = " + prediction + " - t             (sigmoid and log loss fused)";

    public override void EmitSampleLoss(ILossSite site)
    {
        site.Line("// L = Σ max(z, 0) - z t + ln(1 + e^-|z|), the log loss of sigmoid(z) without computing ln of a rounded probability");
        site.Line("// " + Formula(site.Input, site.Prediction));
        using (site.Block("for (int k = 0; k < " + site.Size + "; k++)"))
        {
            site.Line("double z = " + site.Input + "[k];");
            site.Line("loss += global::System.Math.Max(z, 0) - z * t[k] + global::System.Math.Log(1 + global::System.Math.Exp(-global::System.Math.Abs(z)));");
            site.Line("d" + site.Input + "[k] = " + site.Prediction + "[k] - t[k];");
        }
    }
}
