using Xunit;

namespace NetGen.Tests.Runtime;

/// <summary>
/// AdaGrad and RMSProp: three steps from p = (1, -2, 3) with the fixed gradients (0.1, -0.2, 0.3), (-0.5, 0.4, 0),
/// (0.2, 0.2, -0.1) used by <see cref="OptimizerTests"/>. The expected values were computed independently with
/// /usr/bin/python3 in plain double arithmetic, element by element, from PyTorch's documented update rules:
/// AdaGrad <c>g ← g + λ p; s ← s + g·g; p ← p - lr·g / (√s + ε)</c> (s starting at the initial accumulator value);
/// RMSProp <c>g ← g + λ p; v ← α v + (1 - α)·g·g; a = √v + ε; b ← μ b + g / a; p ← p - lr·b</c>
/// (without momentum <c>p ← p - lr·g / a</c>).
/// </summary>
public class AdaptiveOptimizerTests
{
    private const double Tolerance = 1e-14;

    // The same three gradients and starting point as OptimizerTests.
    private static double[][] Gradients => OptimizerTests.Gradients;

    public static TheoryData<string, double[]> Cases => new()
    {
        { "adagrad", [0.9615432304895167, -2.0302675481680446, 2.931622776625017] },
        { "adagrad+init", [1.0215594222740751, -2.053877142975109, 2.953535959624619] },
        { "adagrad+decay", [0.9590694136805438, -2.0244903284045455, 2.9122271916344293] },
        { "rmsprop", [0.9613968080518667, -2.030562469372621, 2.9319098432354607] },
        { "rmsprop+momentum", [0.8786661990353681, -1.9401416034229624, 2.760909900235442] },
        { "rmsprop+decay", [0.9865337834416955, -2.008773813102739, 2.972649804610312] },
    };

    internal static Optimizer<double> Create(string name) => name switch
    {
        "adagrad" => new AdaGrad<double>(0.1),
        "adagrad+init" => new AdaGrad<double>(0.1, initialAccumulatorValue: 0.1),
        "adagrad+decay" => new AdaGrad<double>(0.1, weightDecay: 0.01),
        "rmsprop" => new RMSProp<double>(0.01),
        "rmsprop+momentum" => new RMSProp<double>(0.01, momentum: 0.9),
        "rmsprop+decay" => new RMSProp<double>(0.01, alpha: 0.9, weightDecay: 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeSteps_MatchTheReference(string optimizer, double[] expected)
    {
        var actual = OptimizerTests.RunThreeSteps(Create(optimizer));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reset_MakesTheNextStepTheFirst(string optimizer, double[] expected)
    {
        var instance = Create(optimizer);
        OptimizerTests.RunThreeSteps(instance);
        instance.Reset();
        Assert.Equal(0, instance.StepCount);
        var actual = OptimizerTests.RunThreeSteps(instance);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }

    [Fact]
    public void InFloat_TrackTheDoubleReference()
    {
        Optimizer<float>[] optimizers = [new AdaGrad<float>(0.1), new RMSProp<float>(0.01, momentum: 0.9)];
        double[][] expected = [[0.9615432304895167, -2.0302675481680446, 2.931622776625017], [0.8786661990353681, -1.9401416034229624, 2.760909900235442]];
        for (int k = 0; k < optimizers.Length; k++)
        {
            float[] parameters = [1f, -2f, 3f];
            foreach (var gradient in Gradients)
            {
                optimizers[k].Step(parameters, gradient.Select(g => (float)g).ToArray());
            }

            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(expected[k][i], parameters[i], 1e-5);
            }
        }
    }

    [Fact]
    public void Constructors_RejectBadHyperparameters()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGrad<double>(-1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGrad<double>(epsilon: 0)).ParamName);
        Assert.Equal("initialAccumulatorValue", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGrad<double>(initialAccumulatorValue: -0.1)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGrad<double>(weightDecay: double.NaN)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new RMSProp<double>(alpha: 1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new RMSProp<double>(epsilon: -1e-8)).ParamName);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RMSProp<double>(momentum: 1.5));
        Assert.Equal("momentum", error.ParamName);
        Assert.Contains("'momentum'", error.Message);
    }

    [Fact]
    public void Defaults_AreThoseOfPyTorch()
    {
        var adaGrad = new AdaGrad<float>();
        Assert.Equal((0.01, 1e-10, 0.0, 0.0), (adaGrad.LearningRate, adaGrad.Epsilon, adaGrad.InitialAccumulatorValue, adaGrad.WeightDecay));
        var rmsProp = new RMSProp<float>();
        Assert.Equal((0.01, 0.99, 1e-8, 0.0, 0.0), (rmsProp.LearningRate, rmsProp.Alpha, rmsProp.Epsilon, rmsProp.Momentum, rmsProp.WeightDecay));
    }

    [Fact]
    public void Steps_DoNotAllocate()
    {
        Optimizer<float>[] optimizers = [new AdaGrad<float>(weightDecay: 0.01), new RMSProp<float>(momentum: 0.9, weightDecay: 0.01)];
        var parameters = new float[1000];
        var gradient = Enumerable.Repeat(0.5f, 1000).ToArray();
        foreach (var optimizer in optimizers)
        {
            optimizer.Step(parameters, gradient);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                optimizer.Step(parameters, gradient);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }
}
