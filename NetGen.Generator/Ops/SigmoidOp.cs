namespace NetGen.Generator.Ops;

/// <summary>The logistic sigmoid <c>a = 1 / (1 + e^-z)</c>, differentiated through its output.</summary>
internal sealed record SigmoidOp : ElementwiseOp
{
    public static SigmoidOp Instance { get; } = new();

    public override string Name => "sigmoid";

    public override SavedValues Saves => SavedValues.Output;

    public override Expr Forward(Expr z) => 1 / (1 + Expr.Exp(-z));

    public override Expr Derivative(Expr upstream, Expr a, Expr z) => upstream * a * (1 - a);

    public override string? VectorPrimitive(Notation notation) => "Sigmoid({0}, {1})";
}
