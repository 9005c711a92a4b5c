using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The squared error <c>L = 1/2 Σ (y - t)²</c> of the lecture notes; <c>dL/dy = y - t</c>.</summary>
internal sealed record SquaredErrorLoss : LossOp
{
    public static SquaredErrorLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.SquaredError;

    public override Op? PredictionActivation => null;

    public override string Formula(string input, string prediction) => "dL/d" + input + " = " + input + " - t            (L = 1/2 Σ (" + input + " - t)²)";

    public override void EmitSampleLoss(ILossSite site)
    {
        site.Line("// " + Formula(site.Input, site.Prediction));
        using (site.Block("for (int k = 0; k < " + site.Size + "; k++)"))
        {
            site.Line(site.ElementType + " error = " + site.Input + "[k] - t[k];");
            site.Line("d" + site.Input + "[k] = error;");
            site.Line("loss += 0.5 * error * error;");
        }
    }
}
