using Xunit;

namespace NetGen.Tests.Runtime;

/// <summary>
/// Three steps from p = (1, -2, 3) with the fixed gradients below. The expected values were computed with
/// python3 in plain float arithmetic from the textbook/PyTorch formulations, which are written differently from
/// the implementation: SGD momentum as PyTorch's buffer b ← μ b + g (b = g on the first step), p ← p - lr b
/// (Nesterov: p ← p - lr (g + μ b)), weight decay g ← g + λ p; Adam as the paper's
/// m̂ = m / (1 - β1^k), v̂ = v / (1 - β2^k), p ← p - lr m̂ / (√v̂ + ε); AdamW shrinking p by (1 - lr λ) first.
/// </summary>
public class OptimizerTests
{
    private const double Tolerance = 1e-14;

    internal static readonly double[][] Gradients = [[0.1, -0.2, 0.3], [-0.5, 0.4, 0.0], [0.2, 0.2, -0.1]];

    internal static double[] RunThreeSteps(Optimizer<double> optimizer)
    {
        double[] parameters = [1.0, -2.0, 3.0];
        foreach (var gradient in Gradients)
        {
            optimizer.Step(parameters, gradient);
        }

        return parameters;
    }

    public static TheoryData<string, double[]> Cases => new()
    {
        { "sgd", [1.02, -2.04, 2.98] },
        { "momentum", [1.0478999999999998, -2.0418, 2.9287] },
        { "nesterov", [1.06311, -2.07762, 2.9158299999999997] },
        { "momentum+decay", [1.042282789, -2.030625578, 2.9119983670000003] },
        { "nesterov+decay", [1.0549973125510002, -2.061611225102, 2.892033437653] },
        { "adam", [0.9795549188742791, -1.9885344363316622, 2.8040806463492736] },
        { "adam+decay", [0.974766658838817, -1.9773715864383254, 2.7849169960944478] },
        { "adamw", [0.9766979824377369, -1.982703723970121, 2.795356549164864] },
    };

    private static Optimizer<double> Create(string name) => name switch
    {
        "sgd" => new Sgd<double>(0.1),
        "momentum" => new Sgd<double>(0.1, momentum: 0.9),
        "nesterov" => new Sgd<double>(0.1, momentum: 0.9, nesterov: true),
        "momentum+decay" => new Sgd<double>(0.1, momentum: 0.9, weightDecay: 0.01),
        "nesterov+decay" => new Sgd<double>(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam<double>(0.1),
        "adam+decay" => new Adam<double>(0.1, weightDecay: 0.01),
        "adamw" => new AdamW<double>(0.1, weightDecay: 0.01),
        _ => AdaptiveOptimizerTests.Create(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeSteps_MatchTheReference(string optimizer, double[] expected)
    {
        AssertClose(expected, RunThreeSteps(Create(optimizer)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reset_MakesTheNextStepTheFirst(string optimizer, double[] expected)
    {
        var instance = Create(optimizer);
        RunThreeSteps(instance);
        instance.Reset();
        Assert.Equal(0, instance.StepCount);
        AssertClose(expected, RunThreeSteps(instance));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }

    [Fact]
    public void Adam_InFloat_TracksTheDoubleReference()
    {
        var adam = new Adam<float>(0.1f);
        float[] parameters = [1f, -2f, 3f];
        foreach (var gradient in Gradients)
        {
            adam.Step(parameters, gradient.Select(g => (float)g).ToArray());
        }

        Assert.Equal(0.9795549188742791, parameters[0], 1e-6);
        Assert.Equal(-1.9885344363316622, parameters[1], 1e-6);
        Assert.Equal(2.8040806463492736, parameters[2], 1e-6);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("nesterov+decay")]
    [InlineData("adagrad+decay")]
    [InlineData("adagrad+init")]
    [InlineData("rmsprop+momentum")]
    [InlineData("rmsprop+decay")]
    public void VectorizedSteps_EqualElementByElementSteps(string optimizer)
    {
        // 37 elements exercise the Vector<T> body and the scalar tail; a 1-element buffer only the tail.
        const int length = 37;
        var random = new DeterministicRandom(7);
        var parameters = Enumerable.Range(0, length).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble(-1, 1)).ToArray()).ToArray();

        var whole = (double[])parameters.Clone();
        var together = Create(optimizer);
        foreach (var gradient in gradients)
        {
            together.Step(whole, gradient);
        }

        for (int i = 0; i < length; i++)
        {
            double[] single = [parameters[i]];
            var alone = Create(optimizer);
            foreach (var gradient in gradients)
            {
                alone.Step(single, [gradient[i]]);
            }

            Assert.Equal(single[0], whole[i]);
        }
    }

    [Fact]
    public void Adam_StoresMomentsThatWouldBeSubnormalAsZero_AndLeavesTheParametersAsPlainFloatArithmetic()
    {
        // One step with a gradient, then 900 with none (a ReLU unit that stopped firing): m decays by 0.9 a step and
        // in plain float arithmetic ends at the smallest subnormal (0.9 of it rounds back to it), where every later
        // step would be a slow subnormal operation. The reference below is the update written out in scalar float
        // without the flush; the parameters must equal it bit for bit (37 elements: the vector body and the tail).
        const int length = 37;
        const int steps = 901;
        var adam = new Adam<float>(1e-3);
        var parameters = Enumerable.Range(0, length).Select(i => 0.5f + (i * 0.01f)).ToArray();
        var expected = (float[])parameters.Clone();
        float m = 0, v = 0;
        for (int k = 1; k <= steps; k++)
        {
            float g = k == 1 ? 1e-3f : 0f;
            adam.Step(parameters, Enumerable.Repeat(g, length).ToArray());

            m = (0.9f * m) + (0.1f * g);
            v = (0.999f * v) + (0.001f * (g * g));
            float stepSize = (float)(1e-3 / (1 - Math.Pow(0.9, k)));
            float denominator = (MathF.Sqrt(v) / (float)Math.Sqrt(1 - Math.Pow(0.999, k))) + 1e-8f;
            for (int i = 0; i < length; i++)
            {
                expected[i] -= stepSize * (m / denominator);
            }
        }

        Assert.True(float.IsSubnormal(m) && m > 0, $"the unflushed first moment is {m:R}, not subnormal: the case tests nothing");
        Assert.True(float.IsNormal(v), $"the second moment is {v:R}");
        Assert.Equal(expected, parameters);
        Assert.All(adam.StateBuffers[0], moment => Assert.Equal(0f, moment));
        Assert.All(adam.StateBuffers[1], moment => Assert.Equal(v, moment));
    }

    [Fact]
    public void RMSProp_StoresStateThatWouldBeSubnormalAsZero()
    {
        // One step with a gradient, then none: the mean square decays by 0.99 a step and the momentum buffer by 0.9,
        // into subnormals in plain float arithmetic; the optimizer stores zero instead, in the vector body and the tail.
        const int length = 37;
        var rmsProp = new RMSProp<float>(0.01, momentum: 0.9);
        var parameters = new float[length];
        float v = 0, b = 0;
        for (int k = 1; k <= 9_000; k++)
        {
            float g = k == 1 ? 1e-3f : 0f;
            rmsProp.Step(parameters, Enumerable.Repeat(g, length).ToArray());
            v = (0.99f * v) + (0.01f * (g * g));
            b = (0.9f * b) + (g / (MathF.Sqrt(v) + 1e-8f));
        }

        Assert.True(float.IsSubnormal(v) && float.IsSubnormal(b), $"the unflushed state is {v:R} and {b:R}, not subnormal: the case tests nothing");
        Assert.All(rmsProp.StateBuffers[0], meanSquare => Assert.Equal(0f, meanSquare));
        Assert.All(rmsProp.StateBuffers[1], momentum => Assert.Equal(0f, momentum));
    }

    public static TheoryData<bool, bool, double> MomentumVariants => new()
    {
        { false, false, 0 },
        { true, false, 0 },
        { false, true, 0 },
        { false, false, 0.01 },
        { true, false, 0.01 },
    };

    [Theory]
    [MemberData(nameof(MomentumVariants))]
    public void SgdMomentum_StoresVelocityThatWouldBeSubnormalAsZero_AndEveryWidthIsPlainFloatArithmetic(bool nesterov, bool dampened, double weightDecay)
    {
        // 37 elements (vector bodies and a tail at every width). Elements 0, 3, 6, ... keep receiving gradients; the
        // others get one step of gradient and then none (a ReLU unit that stopped firing), so their velocity decays by
        // 0.9 a step and in plain float arithmetic ends in subnormals. Half of the dead ones start and stay within a few
        // orders of magnitude of the subnormal range (1e-37, gradient 1e-35), where adding a subnormal velocity still
        // changes the parameter (and, with weight decay, the velocity -s λ p is itself subnormal), so the flush shows in
        // the parameters too. The reference is the documented update written out
        // in scalar float (v ← μ v - s g - s λ p, zero if subnormal; p ← p + v, or Nesterov p ← p (1 - lr λ) + μ v - lr g).
        const int length = 37;
        const int steps = 800;
        const double rate = 0.01, momentum = 0.9;
        float[] Gradient(int k) => [.. Enumerable.Range(0, length).Select(i =>
            i % 3 == 0 ? 1e-3f * MathF.Sin(k + i) : k == 1 ? (i % 2 == 0 ? 1e-3f : -1e-35f) * (1 + (0.1f * i)) : 0f)];
        float[] Start() => [.. Enumerable.Range(0, length).Select(i => i % 3 != 0 && i % 2 == 1 ? 1e-37f * (i + 1) : 0.5f - (0.01f * i))];

        float mu = (float)momentum;
        double velocityRate = dampened ? (1 - momentum) * rate : rate;
        float negativeVelocityRate = (float)-velocityRate;
        float negativeDecayRate = (float)(-velocityRate * weightDecay);
        float decayFactor = (float)(1 - (rate * weightDecay));
        float negativeRate = -(float)rate;
        (float[] Parameters, float[] Velocity, int Flushes) Reference(bool flush)
        {
            float[] p = Start(), v = new float[length];
            int flushes = 0;
            for (int k = 1; k <= steps; k++)
            {
                float[] g = Gradient(k);
                for (int i = 0; i < length; i++)
                {
                    v[i] = (mu * v[i]) + (negativeVelocityRate * g[i]);
                    if (weightDecay != 0)
                    {
                        v[i] = (negativeDecayRate * p[i]) + v[i];
                    }

                    if (flush && float.IsSubnormal(v[i]))
                    {
                        v[i] = 0;
                        flushes++;
                    }

                    p[i] = nesterov ? (negativeRate * g[i]) + ((mu * v[i]) + (p[i] * decayFactor)) : p[i] + v[i];
                }
            }

            return (p, v, flushes);
        }

        var (expected, expectedVelocity, flushes) = Reference(flush: true);
        Assert.True(flushes >= 12, $"only {flushes} velocities were flushed: the case tests nothing");
        Assert.NotEqual(Reference(flush: false).Parameters, expected);
        foreach (int bits in VectorWidth.Available)
        {
            var sgd = new Sgd<float>(rate, momentum, nesterov, weightDecay, dampened) { VectorBits = bits };
            float[] parameters = Start();
            for (int k = 1; k <= steps; k++)
            {
                sgd.Step(parameters, Gradient(k));
            }

            Assert.Equal(expected, parameters);
            Assert.Equal(expectedVelocity, sgd.StateBuffers[0]);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void PlainSgdIsPlainFloatArithmeticAtEveryWidth(double weightDecay)
    {
        // p ← (g · -lr) + p (1 - lr λ), each operation rounded to float, over lengths that leave every vector remainder.
        const float Rate = 0.1f;
        float decayFactor = (float)(1 - (0.1 * weightDecay));
        foreach (int length in new[] { 1, 9, 16, 131 })
        {
            var random = new DeterministicRandom(length);
            float[] start = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
            float[] gradient = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-3, 3)).ToArray();
            float[] expected = start.Select((p, i) => (gradient[i] * -Rate) + (weightDecay != 0 ? p * decayFactor : p)).ToArray();
            foreach (int bits in VectorWidth.Available)
            {
                var sgd = new Sgd<float>(0.1, weightDecay: weightDecay) { VectorBits = bits };
                float[] parameters = (float[])start.Clone();
                sgd.Step(parameters, gradient);
                Assert.Equal(expected, parameters);
            }
        }
    }

    [Fact]
    public void Step_RejectsMismatchedLengths()
    {
        var sgd = new Sgd<double>(0.1);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step(new double[3], new double[2]));
        Assert.Equal("gradient", error.ParamName);

        sgd.Step(new double[3], new double[3]);
        error = Assert.Throws<ArgumentException>(() => sgd.Step(new double[4], new double[4]));
        Assert.Equal("parameters", error.ParamName);
        Assert.Contains("sized for 3", error.Message);
    }

    [Fact]
    public void Constructors_RejectBadHyperparameters()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(-1)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double> { LearningRate = double.NaN }).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, momentum: 1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd<double>(0.1, nesterov: true)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(beta2: 1.5)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(epsilon: 0)).ParamName);
    }

    [Fact]
    public void Steps_DoNotAllocate()
    {
        var adam = new Adam<float>();
        var parameters = new float[1000];
        var gradient = Enumerable.Repeat(0.5f, 1000).ToArray();
        adam.Step(parameters, gradient);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            adam.Step(parameters, gradient);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void DampedMomentum_ByHand()
    {
        // μ = 0.5, lr = 0.25, gradient 2 twice, p = 1. The notes' damped form v ← μ v + (1 - μ) lr g, p ← p - v:
        // v = 0.5·0 + 0.5·0.25·2 = 0.25, p = 0.75; v = 0.5·0.25 + 0.25 = 0.375, p = 0.375.
        // Classic momentum v ← μ v + lr g (PyTorch's dampening 0): v = 0.5, p = 0.5; v = 0.25 + 0.5 = 0.75, p = -0.25.
        // Every velocity of the damped form is (1 - μ) times the classic one.
        double[] damped = [1.0];
        double[] classic = [1.0];
        var dampedSgd = new Sgd<double>(0.25, momentum: 0.5, dampened: true);
        var classicSgd = new Sgd<double>(0.25, momentum: 0.5);
        dampedSgd.Step(damped, [2.0]);
        classicSgd.Step(classic, [2.0]);
        Assert.Equal([0.75], damped);
        Assert.Equal([0.5], classic);
        dampedSgd.Step(damped, [2.0]);
        classicSgd.Step(classic, [2.0]);
        Assert.Equal([0.375], damped);
        Assert.Equal([-0.25], classic);
    }

    [Fact]
    public void DampedMomentum_IsClassicMomentumWithTheRateScaledByOneMinusMu_BitForBit()
    {
        // With a constant rate the damped velocity is classic momentum's at the rate (1 - μ) lr, weight decay included.
        const double momentum = 0.9, rate = 0.1;
        var random = new DeterministicRandom(5);
        float[] damped = [.. Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble(-1, 1))];
        float[] classic = [.. damped];
        var dampedSgd = new Sgd<float>(rate, momentum, weightDecay: 0.01, dampened: true);
        var classicSgd = new Sgd<float>((1 - momentum) * rate, momentum, weightDecay: 0.01);
        for (int step = 0; step < 10; step++)
        {
            float[] gradient = [.. Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble(-1, 1))];
            dampedSgd.Step(damped, gradient);
            classicSgd.Step(classic, gradient);
        }

        Assert.Equal(classic, damped);
        Assert.True(dampedSgd.Dampened);
    }

    [Fact]
    public void DampedMomentum_ChecksItsArguments()
    {
        var withoutMomentum = Assert.Throws<ArgumentException>(() => new Sgd<double>(0.1, dampened: true));
        Assert.Equal("dampened", withoutMomentum.ParamName);
        Assert.StartsWith("Damped momentum needs a positive 'momentum'.", withoutMomentum.Message);
        var withNesterov = Assert.Throws<ArgumentException>(() => new Sgd<double>(0.1, momentum: 0.9, nesterov: true, dampened: true));
        Assert.StartsWith("Damped momentum cannot be combined with Nesterov momentum", withNesterov.Message);
    }
}
