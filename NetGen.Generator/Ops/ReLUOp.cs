namespace NetGen.Generator.Ops;

/// <summary>The rectifier <c>a = max(z, 0)</c>.</summary>
internal sealed record ReLUOp : ElementwiseOp
{
    public static ReLUOp Instance { get; } = new();

    public override string Name => "relu";

    public override SavedValues Saves => SavedValues.Inputs;

    public override Expr Forward(Expr z) => Expr.IfPositive(z, z, 0);

    public override Expr Derivative(Expr upstream, Expr a, Expr z) => Expr.IfPositive(z, upstream, 0);

    public override string? VectorPrimitive(Notation notation) => "Max({0}, " + notation.Literal(0) + ", {1})";

    public override string? VectorDerivative(Notation notation) =>
        "global::NetGen.CompilerServices.ActivationKernels.RectifierDerivative({0}, {1}, " + notation.Literal(0) + ", {2}, accumulate: {3})";
}
