using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Tests.Generator;

/// <summary>The op units: each formula is written once and printed both as the comment and as the code.</summary>
public class OpUnitTests
{
    private static readonly OpNames Activation = new("a1", new[] { "z1" }.ToEquatableArray(), EquatableArray<string>.Empty);

    [Theory]
    [InlineData(ActivationKind.Sigmoid, "dL/dz1 = dL/da1 * a1 * (1 - a1)", "da1[0] * a1[0] * (1f - a1[0])", "1f / (1f + global::System.MathF.Exp(-z1[0]))")]
    [InlineData(ActivationKind.Tanh, "dL/dz1 = dL/da1 * (1 - a1 * a1)", "da1[0] * (1f - a1[0] * a1[0])", "global::System.MathF.Tanh(z1[0])")]
    [InlineData(ActivationKind.ReLU, "dL/dz1 = z1 > 0 ? dL/da1 : 0", "z1[0] > 0f ? da1[0] : 0f", "z1[0] > 0f ? z1[0] : 0f")]
    [InlineData(ActivationKind.LeakyReLU, "dL/dz1 = z1 > 0 ? dL/da1 : 0.01 * dL/da1", "z1[0] > 0f ? da1[0] : 0.01f * da1[0]", "z1[0] > 0f ? z1[0] : 0.01f * z1[0]")]
    [InlineData(ActivationKind.Softplus, "dL/dz1 = dL/da1 / (1 + exp(-z1))", "da1[0] / (1f + global::System.MathF.Exp(-z1[0]))",
        "global::System.MathF.Max(z1[0], 0f) + global::System.MathF.Log(1f + global::System.MathF.Exp(-global::System.MathF.Abs(z1[0])))")]
    internal void ElementwiseFormulaAndCodeComeFromOneDefinition(ActivationKind kind, string formula, string derivativeCode, string forwardCode)
    {
        var op = Assert.IsAssignableFrom<ElementwiseOp>(Activations.For(kind));
        Assert.Equal(formula, op.DerivativeFormula(Activation, Wrt.Input(0), Assignment.Assign));
        Assert.Equal(formula.Replace("dL/dz1 = ", "dL/dz1 += ", StringComparison.Ordinal), op.DerivativeFormula(Activation, Wrt.Input(0), Assignment.Accumulate));
        Assert.Equal(derivativeCode, op.Derivative(Expr.Value("dL/da1", "da1[0]"), Expr.Value("a1", "a1[0]"), Expr.Value("z1", "z1[0]")).Print(Notation.Float));
        Assert.Equal(forwardCode, op.Forward(Expr.Value("z1", "z1[0]")).Print(Notation.Float));
    }

    [Fact]
    public void DoubleCodeUsesMathAndDoubleLiterals() =>
        Assert.Equal("1.0 / (1.0 + global::System.Math.Exp(-z[i]))", SigmoidOp.Instance.Forward(Expr.Value("z", "z[i]")).Print(Notation.Double));

    [Fact]
    public void SubtractionAndDivisionKeepTheirRightOperandGrouped()
    {
        var a = Expr.Value("a", "a");
        var b = Expr.Value("b", "b");
        var c = Expr.Value("c", "c");
        Assert.Equal("a - (b - c)", (a - (b - c)).Print(Notation.Formula));
        Assert.Equal("a - b - c", (a - b - c).Print(Notation.Formula));
        Assert.Equal("a / (b * c)", (a / (b * c)).Print(Notation.Formula));
        Assert.Equal("(a + b) * c", ((a + b) * c).Print(Notation.Formula));
    }

    [Fact]
    public void EveryActivationHasAnOpUnitAndOnlyTheIdentityHasNoNode()
    {
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            var op = Activations.For(kind);
            Assert.Equal(kind == ActivationKind.Identity, op is null);
        }
    }

    [Fact]
    public void EveryLossHasAUnitThatNamesItsKind()
    {
        foreach (var kind in Enum.GetValues<LossKind>())
        {
            Assert.Equal(kind, LossOp.For(kind).Kind);
        }
    }

    [Fact]
    public void AnUnknownKindIsAGeneratorBugNotSilentCode()
    {
        var bug = Assert.Throws<GeneratorBugException>(() => Activations.For((ActivationKind)42));
        Assert.Equal("no op unit for activation 42", bug.Message);
        Assert.Throws<GeneratorBugException>(() => LossOp.For((LossKind)42));
    }

    [Fact]
    public void ShapeRulesCheckTheirInputs()
    {
        Assert.Equal(5, SigmoidOp.Instance.Shape(Operands.Of(5)).Size);
        Assert.Equal("sigmoid takes one input, not 2", SigmoidOp.Instance.Shape(Operands.Of(5, 5)).Error);
        Assert.Null(SigmoidOp.Instance.Shape(Operands.Of(5, 5)).Misuse); // the wiring never gives it two: a bug, not a user's mistake
        var linear = new LinearOp(3, Initializer: default);
        Assert.Equal(3, linear.Shape(Operands.Of(7)).Size);
        var parameters = linear.Parameters([7]);
        Assert.Equal(("W", 3, 7), (parameters[0].Role, parameters[0].Rows, parameters[0].Columns));
        Assert.Equal(("b", 1, 3), (parameters[1].Role, parameters[1].Rows, parameters[1].Columns));
    }

    [Fact]
    public void AShapeMisfitAUserCanWriteCarriesItsDiagnosticAndNamesTheInputs()
    {
        var add = AddOp.Instance.Shape(new Operands([3, 4], ["layer 2", "'h1'"]));
        Assert.Equal("NG0022", add.Misuse?.Id);
        Assert.Equal("sums layer 2 (3) + 'h1' (4); every value it adds must have the same number of units", add.Error);
        var product = MultiplyOp.Instance.Shape(new Operands([3, 3, 5], ["the input", "layer 1", "'g'"]));
        Assert.Equal("NG0028", product.Misuse?.Id);
        Assert.Equal("multiplies the input (3) ⊙ layer 1 (3) ⊙ 'g' (5); every value it multiplies element by element must have the same number of units", product.Error);
        var norm = new LayerNormOp(1).Shape(new Operands([1], ["'h'"]));
        Assert.Equal("NG0040", norm.Misuse?.Id);
        Assert.Equal("normalizes 'h', which has 1 unit; one value always normalizes to 0, so normalize a layer of at least two units", norm.Error);
        Assert.Equal(7, new ConcatOp(new[] { 3, 4 }.ToEquatableArray()).Shape(Operands.Of(3, 4)).Size);
        Assert.Equal(3, AddOp.Instance.Shape(Operands.Of(3, 3)).Size);
    }
}
