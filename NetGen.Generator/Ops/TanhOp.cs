namespace NetGen.Generator.Ops;

/// <summary>The hyperbolic tangent <c>a = tanh(z)</c>, differentiated through its output.</summary>
internal sealed record TanhOp : ElementwiseOp
{
    public static TanhOp Instance { get; } = new();

    public override string Name => "tanh";

    public override SavedValues Saves => SavedValues.Output;

    public override Expr Forward(Expr z) => Expr.Tanh(z);

    public override Expr Derivative(Expr upstream, Expr a, Expr z) => upstream * (1 - a * a);

    // NetGen's kernel: float tanh computed in float within 2 ulp, the same bits at every width (the dynamic graph calls it too).
    public override string? VectorPrimitive(Notation notation) => "global::NetGen.CompilerServices.ActivationKernels.Tanh({0}, {1})";

    public override string? VectorDerivative(Notation notation) =>
        "global::NetGen.CompilerServices.ActivationKernels.TanhDerivative({4}, {1}, {2}, accumulate: {3})";
}
