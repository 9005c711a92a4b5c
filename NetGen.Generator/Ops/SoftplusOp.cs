namespace NetGen.Generator.Ops;

/// <summary>
/// Softplus <c>a = ln(1 + e^z)</c>, computed as <c>max(z, 0) + ln(1 + e^-|z|)</c> so that it neither
/// overflows nor loses small values; its derivative is the sigmoid of its input.
/// </summary>
internal sealed record SoftplusOp : ElementwiseOp
{
    public static SoftplusOp Instance { get; } = new();

    public override string Name => "softplus";

    public override SavedValues Saves => SavedValues.Inputs;

    public override Expr Forward(Expr z) => Expr.Max(z, 0) + Expr.Log(1 + Expr.Exp(-Expr.Abs(z)));

    public override Expr Derivative(Expr upstream, Expr a, Expr z) => upstream / (1 + Expr.Exp(-z));
}
