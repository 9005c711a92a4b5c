namespace NetGen.Generator.Ops;

/// <summary>The hyperbolic tangent <c>a = tanh(z)</c>, differentiated through its output.</summary>
internal sealed record TanhOp : ElementwiseOp
{
    public static TanhOp Instance { get; } = new();

    public override string Name => "tanh";

    public override SavedValues Saves => SavedValues.Output;

    public override Expr Forward(Expr z) => Expr.Tanh(z);

    public override Expr Derivative(Expr upstream, Expr a, Expr z) => upstream * (1 - a * a);

    public override string? VectorPrimitive(Notation notation) => "Tanh({0}, {1})";
}
