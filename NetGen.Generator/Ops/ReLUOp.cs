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

    // Fused only where the op's own code is TensorPrimitives.Max, whose maximum the kernels take (NaN stays NaN); the
    // scalar form of narrower layers, z > 0 ? z : 0, gives 0 for NaN.
    public override FusedActivation? ProductEpilogue(Strategy strategy, Notation notation) =>
        strategy == Strategy.Vector ? FusedActivation.Rectifier(notation.Literal(0)) : null;

    public override string? VectorDerivative(Notation notation) =>
        "global::NetGen.CompilerServices.ActivationKernels.RectifierDerivative({0}, {1}, " + notation.Literal(0) + ", {2}, accumulate: {3})";
}
