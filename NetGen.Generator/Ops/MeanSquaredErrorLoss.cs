using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The mean squared error <c>L = 1/n Σ (y - t)²</c> over a sample's n outputs; <c>dL/dy = 2 (y - t) / n</c>.</summary>
internal sealed record MeanSquaredErrorLoss : LossOp
{
    public static MeanSquaredErrorLoss Instance { get; } = new();

    public override LossKind Kind => LossKind.MeanSquaredError;

    public override Op? PredictionActivation => null;

    public override string Formula(string input, string prediction) => "dL/d" + input + " = 2 (" + input + " - t) / n      (L = 1/n Σ (" + input + " - t)²)";

    public override void EmitSampleLoss(ILossSite site)
    {
        site.Line("// " + Formula(site.Input, site.Prediction));
        using (site.Block("for (int k = 0; k < " + site.Size + "; k++)"))
        {
            site.Line(site.ElementType + " error = " + site.Input + "[k] - t[k];");
            site.Line("d" + site.Input + "[k] = " + site.Notation.Literal(2.0 / site.Size) + " * error;");
            site.Line("loss += (double)error * error;");
        }

        site.Line("loss /= " + site.Size + ";");
    }
}
