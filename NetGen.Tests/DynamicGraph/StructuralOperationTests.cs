using NetGen.Graph;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// Concat, LayerNorm, Add and element-wise Multiply in the dynamic graph, and graphs with several named inputs:
/// exact hand-derived small cases, and every gradient element against central differences in double.
/// </summary>
public class StructuralOperationTests
{
    [Fact]
    public void ConcatHandsEachPartItsSliceOfTheGradient()
    {
        var g = new ComputationGraph<double>();
        var p = g.Parameter("p", 1, 2);
        var q = g.Parameter("q", 1, 1);
        p.Value[0] = 4;
        p.Value[1] = -1;
        q.Value[0] = 7;
        var weights = g.Constant("w", 1, 3, 0);
        double[] w = [1, 2, 3];
        w.CopyTo(weights.Value);
        var root = g.Multiply(g.Concat([p, q], "c"), weights);

        g.Forward(root);
        g.Backward(root);

        // c = [4, -1, 7]; Σ w ⊙ c: d/dp = w[0..2], d/dq = w[2]
        Assert.Equal([4.0, -2.0, 21.0], root.Value.ToArray());
        Assert.Equal([1.0, 2.0], p.Gradient.ToArray());
        Assert.Equal([3.0], q.Gradient.ToArray());
    }

    [Fact]
    public void LayerNormOfOneTwoThree()
    {
        // x = [1, 2, 3], ε = 1/3: μ = 2, σ² = 2/3, so 1/√(σ² + ε) = 1 and x̂ = [-1, 0, 1].
        // y = γ ⊙ x̂ + β with γ = [2, 3, 4], β = 1/2: y = [-1.5, 0.5, 4.5]. L = Σ c ⊙ y with c = [1, 2, 3].
        // dL/dβ = c = [1, 2, 3]; dL/dγ = c ⊙ x̂ = [-1, 0, 3]; g = c ⊙ γ = [2, 6, 12], mean(g) = 20/3,
        // mean(g ⊙ x̂) = 10/3; dL/dx = g - 20/3 - x̂ · 10/3 = [-4/3, -2/3, 2].
        var g = new ComputationGraph<double>();
        var x = g.Parameter("x", 1, 3);
        var gain = g.Parameter("gamma", 1, 3);
        var bias = g.Parameter("beta", 1, 3);
        double[] xs = [1, 2, 3], gains = [2, 3, 4];
        xs.CopyTo(x.Value);
        gains.CopyTo(gain.Value);
        bias.Value.Fill(0.5);
        var c = g.Constant("c", 1, 3, 0);
        double[] cs = [1, 2, 3];
        cs.CopyTo(c.Value);
        var y = g.LayerNorm(x, gain, bias, epsilon: 1.0 / 3);
        var root = g.Multiply(y, c);

        g.Forward(root);
        g.Backward(root);

        AssertClose([-1.5, 0.5, 4.5], y.Value.ToArray());
        AssertClose([1.0, 2.0, 3.0], bias.Gradient.ToArray());
        AssertClose([-1.0, 0.0, 3.0], gain.Gradient.ToArray());
        AssertClose([-4.0 / 3, -2.0 / 3, 2.0], x.Gradient.ToArray());
    }

    [Fact]
    public void TwoNamedInputsConcatenatedIntoAResidualBlockAgreeWithCentralDifferences()
    {
        // image (3) and meta (2) -> concat (5) -> linear 5->5, tanh -> + concat (skip) -> layernorm n -> n ⊙ (n + residual) -> linear 5->2 -> squared error
        var random = new DeterministicRandom(11);
        var g = new ComputationGraph<double>(batchCapacity: 3);
        var image = g.Input("image", 3);
        var meta = g.Input("meta", 2);
        var target = g.Input("t", 2);
        var w1 = RandomParameter(g, "W1", 5, 5, random);
        var b1 = RandomParameter(g, "b1", 1, 5, random);
        var gain = RandomParameter(g, "gamma", 1, 5, random);
        var bias = RandomParameter(g, "beta", 1, 5, random);
        var w2 = RandomParameter(g, "W2", 2, 5, random);
        var b2 = RandomParameter(g, "b2", 1, 2, random);
        var joined = g.Concat([image, meta], "joined");
        var hidden = g.Tanh(g.Linear(joined, w1, b1, "z1"), "a1");
        var residual = g.Add(hidden, joined, "residual");
        var normalized = g.LayerNorm(residual, gain, bias, name: "ln");
        var gated = g.Multiply(normalized, g.Add(normalized, residual), "gated"); // a value read by three consumers
        var output = g.Linear(gated, w2, b2, "z2");
        var loss = g.SquaredError(output, target, "L");
        Fill(image.Value, random);
        Fill(meta.Value, random);
        Fill(target.Value, random);

        var parameters = new[] { w1, b1, gain, bias, w2, b2 };
        g.ZeroParameterGradients();
        g.Forward(loss);
        g.Backward(loss);
        double worst = 0;
        foreach (var parameter in parameters)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                double analytic = parameter.Gradient[i];
                double numeric = CentralDifference(g, loss, parameter, i);
                double error = Math.Abs(analytic - numeric) / Math.Max(1, Math.Max(Math.Abs(analytic), Math.Abs(numeric)));
                worst = Math.Max(worst, error);
                Assert.True(error <= 1e-6, $"{parameter.Name}[{i}]: backward {analytic}, central differences {numeric}");
            }
        }

        Assert.True(worst > 0); // the comparison saw real rounding, not two copies of one number
    }

    [Fact]
    public void LayerNormInputGradientAgreesWithCentralDifferences()
    {
        var random = new DeterministicRandom(5);
        var g = new ComputationGraph<double>();
        var x = RandomParameter(g, "x", 1, 7, random);
        var gain = RandomParameter(g, "gamma", 1, 7, random);
        var weights = RandomParameter(g, "w", 1, 7, random);
        var root = g.Multiply(g.Tanh(g.LayerNorm(x, gain, null)), weights);
        var loss = g.SquaredError(root, g.Constant("zero", 1, 7, 0));
        g.Forward(loss);
        g.Backward(loss);
        for (int i = 0; i < 7; i++)
        {
            double numeric = CentralDifference(g, loss, x, i);
            Assert.True(Math.Abs(x.Gradient[i] - numeric) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"x[{i}]: {x.Gradient[i]} vs {numeric}");
        }
    }

    [Fact]
    public void MisuseIsRejectedWithTheNodeNames()
    {
        var g = new ComputationGraph<double>(batchCapacity: 2);
        var a = g.Input("a", 3);
        var p = g.Parameter("p", 1, 3);
        Assert.Contains("same rows", Assert.Throws<ArgumentException>(() => g.Concat([a, p])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => g.Concat([]));
        Assert.Contains("gamma", Assert.Throws<ArgumentException>(() => g.LayerNorm(a, g.Parameter("gamma", 1, 2), null)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.LayerNorm(a, null, null, epsilon: 0));
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => g.Add(a, g.Input("b", 2))).Message, StringComparison.Ordinal);
    }

    private static Node<double> RandomParameter(ComputationGraph<double> g, string name, int rows, int columns, DeterministicRandom random)
    {
        var node = g.Parameter(name, rows, columns);
        Fill(node.Value, random);
        return node;
    }

    private static void Fill(Span<double> values, DeterministicRandom random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble(-1, 1);
        }
    }

    private static double CentralDifference(ComputationGraph<double> g, Node<double> loss, Node<double> parameter, int index)
    {
        double saved = parameter.Value[index];
        double h = 1e-6 * Math.Max(1, Math.Abs(saved));
        parameter.Value[index] = saved + h;
        g.Forward(loss);
        double plus = loss.Value[0];
        parameter.Value[index] = saved - h;
        g.Forward(loss);
        double minus = loss.Value[0];
        parameter.Value[index] = saved;
        return (plus - minus) / (2 * h);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-14, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
