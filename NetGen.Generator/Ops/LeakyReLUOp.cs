namespace NetGen.Generator.Ops;

/// <summary>The leaky rectifier <c>a = z &gt; 0 ? z : 0.01 z</c>.</summary>
internal sealed record LeakyReLUOp : ElementwiseOp
{
    /// <summary>The slope for negative inputs, shared with the dynamic graph.</summary>
    public const double Slope = NetGen.Shared.NetworkRules.LeakyReLUSlope;

    public static LeakyReLUOp Instance { get; } = new();

    public override string Name => "leakyrelu";

    public override SavedValues Saves => SavedValues.Inputs;

    public override Expr Forward(Expr z) => Expr.IfPositive(z, z, Slope * z);

    public override Expr Derivative(Expr upstream, Expr a, Expr z) => Expr.IfPositive(z, upstream, Slope * upstream);

    // The kernels' rectifier computes these two formulas element by element, with the slope rounded to the element type as here.
    public override FusedActivation? ProductEpilogue(Strategy strategy, Notation notation) => FusedActivation.Rectifier(notation.Literal(Slope));
}
