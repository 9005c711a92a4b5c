using System.Numerics;
using Xunit;

namespace NetGen.Tests.Runtime;

public class LossesTests
{
    private const double Tolerance = 1e-15;

    [Fact]
    public void SquaredError_IsHalfTheSumOfSquaredDifferences()
    {
        // By hand: differences (0.5, 0, -2); 1/2 (0.25 + 0 + 4) = 2.125.
        double[] gradient = new double[3];
        double loss = Losses.SquaredError<double>([1, 2, 3], [0.5, 2, 5], gradient);
        Assert.Equal(2.125, loss);
        Assert.Equal([0.5, 0, -2], gradient);
    }

    [Fact]
    public void MeanSquaredError_AveragesOverTheOutputs()
    {
        // By hand: (0.25 + 0 + 4) / 3; gradient 2 (y - t) / 3.
        double[] gradient = new double[3];
        double loss = Losses.MeanSquaredError<double>([1, 2, 3], [0.5, 2, 5], gradient);
        Assert.Equal(4.25 / 3, loss, Tolerance);
        Assert.Equal(1.0 / 3, gradient[0], Tolerance);
        Assert.Equal(0.0, gradient[1]);
        Assert.Equal(-4.0 / 3, gradient[2], Tolerance);
    }

    [Fact]
    public void MeanSquaredError_OfABatch_SumsThePerSampleMeans()
    {
        // Two samples of two outputs: (1 + 0) / 2 + (4 + 4) / 2 = 4.5.
        double[] gradient = new double[4];
        double loss = Losses.MeanSquaredError<double>([1, 0, 2, -2], [0, 0, 0, 0], outputSize: 2, gradient);
        Assert.Equal(4.5, loss);
        Assert.Equal([1, 0, 2, -2], gradient);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_MatchesTheLogLossOfTheSigmoid()
    {
        // Reference: python3 math, -[t ln s + (1 - t) ln(1 - s)] with s = 1 / (1 + exp(-z)), summed; gradient s - t.
        double[] gradient = new double[3];
        double loss = Losses.BinaryCrossEntropyWithLogits<double>([0, 2, -3], [1, 0, 1], gradient);
        Assert.Equal(5.868662543176659, loss, 1e-14);
        Assert.Equal(-0.5, gradient[0], Tolerance);
        Assert.Equal(0.8807970779778823, gradient[1], Tolerance);
        Assert.Equal(-0.9525741268224333, gradient[2], Tolerance);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_StaysFiniteForHugeLogits()
    {
        // A confident right answer costs nothing; a confident wrong one costs |z| (ln(1 + e^1000) = 1000 + ln(1 + e^-1000)).
        double[] gradient = new double[2];
        double loss = Losses.BinaryCrossEntropyWithLogits<double>([1000, -1000], [1, 1], gradient);
        Assert.Equal(1000, loss);
        Assert.Equal([0, -1], gradient);
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLogits_IsTheNegativeLogProbabilityOfTheTargetClass()
    {
        // Reference: python3 math, p = exp(z) / sum exp(z) for z = (1, 2, 3); loss -ln p[2]; gradient p - t.
        double[] gradient = new double[3];
        double loss = Losses.SoftmaxCrossEntropyWithLogits<double>([1, 2, 3], [0, 0, 1], gradient);
        Assert.Equal(0.4076059644443803, loss, Tolerance);
        Assert.Equal(0.09003057317038046, gradient[0], Tolerance);
        Assert.Equal(0.24472847105479767, gradient[1], Tolerance);
        Assert.Equal(-0.3347590442251781, gradient[2], Tolerance);
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLogits_ScalesTheProbabilityTermByTheTargetSum()
    {
        // Reference: python3 math, targets (0.5, 0.5, 1) summing to 2: loss -sum t ln p; gradient 2 p - t.
        double[] gradient = new double[3];
        double loss = Losses.SoftmaxCrossEntropyWithLogits<double>([1, 2, 3], [0.5, 0.5, 1], gradient);
        Assert.Equal(2.3152119288887603, loss, 1e-14);
        Assert.Equal(-0.3199388536592391, gradient[0], Tolerance);
        Assert.Equal(-0.010543057890404661, gradient[1], Tolerance);
        Assert.Equal(0.3304819115496438, gradient[2], Tolerance);
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLogits_StaysFiniteForHugeLogits()
    {
        double[] gradient = new double[4];
        double loss = Losses.SoftmaxCrossEntropyWithLogits<double>([1000, 0, 0, 1000], [1, 0, 1, 0], outputSize: 2, gradient);

        // Sample 1 is right with certainty (loss 0); sample 2 is wrong by 1000 logits (loss 1000).
        Assert.Equal(1000, loss);
        Assert.Equal([0, 0, -1, 1], gradient);
    }

    /// <summary>
    /// Up to eight classes the loss keeps its exponentials in a small inline array, above that in a stack buffer: both
    /// give the bits of the formula written out here in the same order (max shift, libm exp and log, p Σt - t), for
    /// float and double, one-hot and soft targets, an absent class at -∞; and without a gradient the loss is the same.
    /// </summary>
    [Fact]
    public void SoftmaxCrossEntropyWithLogits_HasTheBitsOfItsFormula_WithFewClassesAndWithMany()
    {
        var random = new DeterministicRandom(11);
        for (int classes = 1; classes <= 12; classes++)
        {
            for (int trial = 0; trial < 20; trial++)
            {
                var logits = Enumerable.Range(0, classes).Select(_ => (random.NextDouble() - 0.5) * 40).ToArray();
                var targets = new double[classes];
                if (trial % 2 == 0)
                {
                    targets[trial % classes] = 1;
                }
                else
                {
                    for (int i = 0; i < classes; i++)
                    {
                        targets[i] = i % 3 == 0 ? 0 : random.NextDouble();
                    }
                }

                if (trial % 5 == 4 && classes > 1 && targets[classes - 1] == 0)
                {
                    logits[classes - 1] = double.NegativeInfinity;
                }

                CheckFormula(logits, targets);
                CheckFormula(logits.Select(v => (float)v).ToArray(), targets.Select(v => (float)v).ToArray());
            }
        }

        static void CheckFormula<T>(T[] logits, T[] targets)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            double max = logits.Select(double.CreateTruncating).Max();
            var exponentials = logits.Select(z => Math.Exp(double.CreateTruncating(z) - max)).ToArray();
            double sum = 0;
            foreach (double e in exponentials)
            {
                sum += e;
            }

            double logSumExp = max + Math.Log(sum);
            double expectedLoss = 0;
            double targetSum = 0;
            for (int i = 0; i < logits.Length; i++)
            {
                double t = double.CreateTruncating(targets[i]);
                targetSum += t;
                if (t != 0)
                {
                    expectedLoss += t * (logSumExp - double.CreateTruncating(logits[i]));
                }
            }

            var gradient = new T[logits.Length];
            double loss = NetGen.CompilerServices.SampleLoss.SoftmaxCrossEntropyWithLogits<T>(logits, targets, gradient);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(loss));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(NetGen.CompilerServices.SampleLoss.SoftmaxCrossEntropyWithLogits<T>(logits, targets, Span<T>.Empty)));
            for (int i = 0; i < logits.Length; i++)
            {
                T expected = T.CreateTruncating((exponentials[i] / sum * targetSum) - double.CreateTruncating(targets[i]));
                Assert.True(expected.Equals(gradient[i]), $"{typeof(T).Name}, {logits.Length} classes, class {i}: expected {expected}, got {gradient[i]}");
            }
        }
    }

    [Fact]
    public void Softmax_IsStableAndSumsToOne()
    {
        // Reference: python3 math for z = (1, 2, 3); shifting every logit by 1000 must not change the result.
        float[] probabilities = new float[3];
        Losses.Softmax<float>([1001, 1002, 1003], probabilities);
        Assert.Equal(0.09003057317038046, probabilities[0], 1e-7);
        Assert.Equal(0.24472847105479767, probabilities[1], 1e-7);
        Assert.Equal(0.6652409557748219, probabilities[2], 1e-7);
    }

    [Fact]
    public void Sigmoid_HandlesBothTails()
    {
        Assert.Equal(0.5, Losses.Sigmoid(0.0));
        Assert.Equal(1.0, Losses.Sigmoid(800.0));
        Assert.Equal(0.0, Losses.Sigmoid(-800.0));
        Assert.Equal(0.8807970779778823, Losses.Sigmoid(2.0), Tolerance);
    }

    [Fact]
    public void FloatLosses_AccumulateInDouble()
    {
        // 10,000 differences of 0.1: the exact squared error is 1/2 * 10,000 * 0.01 = 50 (to float precision of 0.1f).
        var outputs = new float[10_000];
        Array.Fill(outputs, 0.1f);
        float loss = Losses.SquaredError<float>(outputs, new float[10_000]);
        Assert.Equal(0.5 * 10_000 * (double)0.1f * 0.1f, loss, 1e-4);
    }

    [Fact]
    public void Compute_DispatchesOnTheLoss()
    {
        double[] outputs = [1, 2, 3];
        double[] targets = [0, 0, 1];
        Assert.Equal(Losses.SoftmaxCrossEntropyWithLogits<double>(outputs, targets), Losses.Compute<double>(Loss.SoftmaxCrossEntropy, outputs, targets, 3));
        Assert.Equal(Losses.SquaredError<double>(outputs, targets), Losses.Compute<double>(Loss.SquaredError, outputs, targets, 3));
    }

    [Fact]
    public void MismatchedLengths_NameTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.SquaredError<double>([1, 2, 3], [1, 2]));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("2 values", error.Message);

        error = Assert.Throws<ArgumentException>(() => Losses.SquaredError<double>([1, 2, 3], [1, 2, 3], new double[2]));
        Assert.Equal("gradient", error.ParamName);

        error = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropyWithLogits<double>([1, 2, 3], [1, 2, 3], outputSize: 2));
        Assert.Equal("logits", error.ParamName);
        Assert.Contains("multiple of the 2 outputs", error.Message);
    }

    // The zero-target and tiny-term rules, decided once for every caller (generated code, the dynamic graph and
    // Losses all run NetGen.CompilerServices.SampleLoss): an absent class may have a -inf logit, and a confident
    // right answer keeps its tiny cost instead of rounding it to zero.

    [Fact]
    public void SoftmaxCrossEntropy_SkipsZeroTargets_SoAMinusInfiniteLogitOfAnAbsentClassCostsNothing()
    {
        // By hand: lse(-inf, 0) = 0, so the loss is 1 * (0 - 0) = 0 and p = (0, 1), gradient p - t = (0, 0).
        // Multiplying the zero target by lse - (-inf) = inf instead would give NaN.
        double[] gradient = new double[2];
        double loss = Losses.SoftmaxCrossEntropyWithLogits<double>([double.NegativeInfinity, 0], [0, 1], gradient);
        Assert.Equal(0.0, loss);
        Assert.Equal([0.0, 0.0], gradient);
    }

    [Fact]
    public void BinaryCrossEntropy_KeepsTheTinyCostOfAConfidentRightAnswer()
    {
        // By hand: z = 40, t = 1: max(40, 0) - 40 + ln(1 + e^-40) = ln(1 + e^-40), which is e^-40 to double precision
        // (ln(1 + x) = x - x²/2 + ..., and x² is 10^-35 below it). Computing 1 + e^-40 first rounds it to 1 and the loss to 0.
        double loss = Losses.BinaryCrossEntropyWithLogits<double>([40], [1]);
        Assert.Equal(Math.Exp(-40), loss);
        Assert.NotEqual(0.0, loss);
    }

    [Fact]
    public void TheDynamicGraphsLossNodeFollowsTheSameRules()
    {
        var graph = new NetGen.Graph.ComputationGraph<double>();
        var logits = graph.Input("z", 2);
        var targets = graph.Input("t", 2);
        var crossEntropy = graph.SoftmaxCrossEntropy(logits, targets);
        logits.Value[0] = double.NegativeInfinity;
        logits.Value[1] = 0;
        targets.Value[0] = 0;
        targets.Value[1] = 1;
        graph.Forward(crossEntropy);
        Assert.Equal(0.0, crossEntropy.Value[0]);

        var logLoss = graph.BinaryCrossEntropy(graph.Input("z40", 1), graph.Input("t1", 1));
        logLoss.Inputs[0].Value[0] = 40;
        logLoss.Inputs[1].Value[0] = 1;
        graph.Forward(logLoss);
        Assert.Equal(Math.Exp(-40), logLoss.Value[0]);
    }
}
