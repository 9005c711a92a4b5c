using Xunit;

namespace NetGen.Tests.Runtime;

public class GradientCheckTests
{
    private static (double[] Inputs, double[] Targets) Batch(int inputSize, int outputSize, Loss loss, int count = 5)
    {
        var random = new DeterministicRandom(17);
        var inputs = Enumerable.Range(0, count * inputSize).Select(_ => random.NextDouble(-2, 2)).ToArray();
        var targets = new double[count * outputSize];
        for (int n = 0; n < count; n++)
        {
            if (loss is Loss.SoftmaxCrossEntropy)
            {
                targets[n * outputSize + random.NextInt32(outputSize)] = 1;
            }
            else
            {
                for (int o = 0; o < outputSize; o++)
                {
                    targets[n * outputSize + o] = loss is Loss.BinaryCrossEntropy ? random.NextInt32(2) : random.NextDouble(-1, 1);
                }
            }
        }

        return (inputs, targets);
    }

    [Theory]
    [InlineData(Loss.SquaredError)]
    [InlineData(Loss.MeanSquaredError)]
    [InlineData(Loss.BinaryCrossEntropy)]
    [InlineData(Loss.SoftmaxCrossEntropy)]
    public void CorrectGradients_Pass(Loss loss)
    {
        var model = new LinearModel<double>(4, 3, loss, seed: 3);
        model.Parameters[^1] = 0.3; // a non-zero bias, so the bias gradient is not trivially symmetric
        var (inputs, targets) = Batch(4, 3, loss);

        var result = GradientCheck.Run<double>(model, inputs, targets);
        Assert.True(result.IsWithin(1e-7), result.ToString());
        Assert.Equal(["W1", "b1"], result.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void CorrectGradients_PassInFloat()
    {
        var model = new LinearModel<float>(4, 3, Loss.SoftmaxCrossEntropy, seed: 3);
        var (inputs, targets) = Batch(4, 3, Loss.SoftmaxCrossEntropy);

        var result = GradientCheck.Run<float>(model, inputs.Select(v => (float)v).ToArray(), targets.Select(v => (float)v).ToArray());
        Assert.True(result.IsWithin(1e-3), result.ToString());
    }

    [Fact]
    public void AWrongBiasGradient_IsReportedOnTheBiasTensor()
    {
        var model = new LinearModel<double>(4, 3, Loss.SquaredError, biasGradientScale: 2);
        var (inputs, targets) = Batch(4, 3, Loss.SquaredError);

        var result = GradientCheck.Run<double>(model, inputs, targets);
        Assert.Equal("b1", result.Worst!.Name);
        Assert.True(result.Tensors[0].RelativeError < 1e-7, result.ToString());

        // Analytic = 2 x numeric, so the relative error is |2n - n| / |2n| = 1/2.
        Assert.Equal(0.5, result.MaxRelativeError, 1e-6);
        Assert.Equal(2 * result.Worst.Numeric, result.Worst.Analytic, 1e-6);
        Assert.Contains("b1", result.ToString());
    }

    [Fact]
    public void EveryParameter_IsRestoredExactly()
    {
        var model = new LinearModel<float>(3, 2, Loss.BinaryCrossEntropy, seed: 4);
        model.Parameters[0] = 0.1f; // 0.1 ± 0.01 is inexact in float: restoring by subtraction would drift
        var before = model.Parameters.ToArray();
        var (inputs, targets) = Batch(3, 2, Loss.BinaryCrossEntropy);

        GradientCheck.Run<float>(model, inputs.Select(v => (float)v).ToArray(), targets.Select(v => (float)v).ToArray());
        Assert.Equal(before, model.Parameters.ToArray());
    }

    [Fact]
    public void ToString_PrintsOneRowPerTensor()
    {
        var model = new LinearModel<double>(2, 2, Loss.SquaredError);
        var (inputs, targets) = Batch(2, 2, Loss.SquaredError);
        string table = GradientCheck.Run<double>(model, inputs, targets).ToString();
        var lines = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("W1", lines[2]);
        Assert.StartsWith("b1", lines[3]);
    }

    [Fact]
    public void BadArguments_AreNamed()
    {
        var model = new LinearModel<double>(2, 2, Loss.SquaredError);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => GradientCheck.Run<double>(model, new double[3], new double[2])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => GradientCheck.Run<double>(model, new double[4], new double[2])).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run<double>(model, new double[2], new double[2], epsilon: 0)).ParamName);
    }
}
