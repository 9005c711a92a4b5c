using System.Numerics;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Runtime;

/// <summary>
/// The batch form of the softmax cross-entropy that networks run sample by sample call between their forward and
/// backward passes (<c>SampleLoss.SoftmaxCrossEntropyWithLogits(buffer, stride, ...)</c>): one sample per vector lane.
/// </summary>
public class BatchSoftmaxCrossEntropyTests
{
    private const int Stride = 11;
    private const int LogitsOffset = 2;
    private const int GradientOffset = 6;

    public static TheoryData<int, int, int> Batches()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (var (batch, classes) in new[] { (1, 3), (3, 3), (4, 3), (5, 3), (8, 3), (13, 3), (16, 3), (16, 4), (9, 2), (19, 4) })
            {
                data.Add(bits, batch, classes);
            }
        }

        return data;
    }

    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    [Theory]
    [MemberData(nameof(Batches))]
    public void LossAndGradient_MatchADoubleReference_Float(int bits, int batch, int classes) => MatchesReference<float>(bits, batch, classes, lossBound: 1e-13, ulps: 1);

    [Theory]
    [MemberData(nameof(Batches))]
    public void LossAndGradient_MatchADoubleReference_Double(int bits, int batch, int classes) => MatchesReference<double>(bits, batch, classes, lossBound: 1e-13, ulps: 4);

    [Fact]
    public void TheBatchGoesOneVectorOfSamplesAtATime_EightAt512Bits()
    {
        // 8 samples at once at 512 bits (W2 at batch 16: two vectors), 4 at 256, 2 at 128.
        Assert.Equal([2, 4, 8], new[] { 128, 256, 512 }.Select(SampleLoss.BatchLanes));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ASample_HasTheSameBits_WhereverItIsInABatchOfAtLeastOneVector(int bits)
    {
        // Sample 0 of a batch of one vector, and the same logits and targets as sample 10 of 13 (others differ).
        int lanes = SampleLoss.BatchLanes(bits);
        var (small, smallTargets) = RandomBatch<float>(lanes, 3, seed: 1);
        var (large, largeTargets) = RandomBatch<float>(13, 3, seed: 2);
        small.AsSpan(LogitsOffset, 3).CopyTo(large.AsSpan((10 * Stride) + LogitsOffset, 3));
        smallTargets.AsSpan(0, 3).CopyTo(largeTargets.AsSpan(30, 3));

        double smallLoss = SampleLoss.SoftmaxCrossEntropyWithLogits<float>(bits, small, Stride, LogitsOffset, GradientOffset, smallTargets, 3);
        SampleLoss.SoftmaxCrossEntropyWithLogits<float>(bits, large, Stride, LogitsOffset, GradientOffset, largeTargets, 3);

        Assert.Equal(small.AsSpan(GradientOffset, 3).ToArray(), large.AsSpan((10 * Stride) + GradientOffset, 3).ToArray());
        double[] perSample = LossesOfEachSample(small, smallTargets, 3);
        Assert.Equal(perSample.Sum(), smallLoss, 1e-12);
    }

    [Theory]
    [InlineData(Stride, LogitsOffset, GradientOffset, 1)]
    [InlineData(Stride + 1, LogitsOffset, GradientOffset, 0)]
    [InlineData(Stride, LogitsOffset, Stride - 2, 0)]
    [InlineData(Stride, -1, GradientOffset, 0)]
    [InlineData(-Stride, LogitsOffset, GradientOffset, 0)]
    public void ABufferTooShortForTheBatch_IsRefusedBeforeAnythingIsWritten(int stride, int logitsOffset, int gradientOffset, int valuesMissing)
    {
        // 13 samples 11 apart need 12 * 11 + 6 + 3 = 141 values; the buffer is one short in the first case, a longer
        // stride or a later gradient puts the last sample's values past its end in the next two, and a negative offset or
        // stride would reach before its start in the last two.
        int batch = 13;
        var (full, targets) = RandomBatch<float>(batch, 3, seed: 4);
        var buffer = full.AsSpan(0, (12 * Stride) + GradientOffset + 3 - valuesMissing).ToArray();
        var before = (float[])buffer.Clone();
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => SampleLoss.SoftmaxCrossEntropyWithLogits<float>(buffer, stride, logitsOffset, gradientOffset, targets, 3));
        Assert.Equal("buffer", error.ParamName);
        Assert.Contains($"A batch of 13 samples {stride} apart, with 3 logits at {logitsOffset} and their gradient at {gradientOffset}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, buffer);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryWidth_GivesEachSampleTheSameBits(int bits)
    {
        // .NET's vector exponential and logarithm compute each lane by the same formula at every width, and every other
        // operation is per lane, so the width only decides how many samples go at once (W2's bits do not change with it).
        var (expected, targets) = RandomBatch<float>(17, 4, seed: 5);
        var buffer = (float[])expected.Clone();
        double expectedLoss = SampleLoss.SoftmaxCrossEntropyWithLogits<float>(128, expected, Stride, LogitsOffset, GradientOffset, targets, 4);

        double loss = SampleLoss.SoftmaxCrossEntropyWithLogits<float>(bits, buffer, Stride, LogitsOffset, GradientOffset, targets, 4);

        Assert.Equal(expectedLoss, loss);
        Assert.Equal(expected, buffer);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void BelowOneVectorOfSamples_EachSampleHasTheOneSampleFunctionsBits(int bits)
    {
        int batch = SampleLoss.BatchLanes(bits) - 1;
        var (buffer, targets) = RandomBatch<float>(batch, 3, seed: 3);
        var expectedBuffer = (float[])buffer.Clone();
        double expectedLoss = 0;
        for (int s = 0; s < batch; s++)
        {
            expectedLoss += SampleLoss.SoftmaxCrossEntropyWithLogits<float>(
                expectedBuffer.AsSpan((s * Stride) + LogitsOffset, 3), targets.AsSpan(s * 3, 3), expectedBuffer.AsSpan((s * Stride) + GradientOffset, 3));
        }

        double loss = SampleLoss.SoftmaxCrossEntropyWithLogits<float>(bits, buffer, Stride, LogitsOffset, GradientOffset, targets, 3);

        Assert.Equal(expectedLoss, loss);
        Assert.Equal(expectedBuffer, buffer);
    }

    [Fact]
    public void AnAbsentClassAtMinusInfinity_CostsNothing_AndHugeLogitsStayFinite()
    {
        // Eight samples of two classes: [-inf, 0] with target class 1 (loss 0, gradient [0, 0]) and [1000, 0] with
        // target class 1 (loss 1000 + ln(1 + e^-1000) = 1000, gradient [1, -1]), alternating.
        int batch = 8;
        var buffer = new double[batch * Stride];
        var targets = new double[batch * 2];
        for (int s = 0; s < batch; s++)
        {
            buffer[(s * Stride) + LogitsOffset] = s % 2 == 0 ? double.NegativeInfinity : 1000;
            targets[(s * 2) + 1] = 1;
        }

        double loss = SampleLoss.SoftmaxCrossEntropyWithLogits<double>(buffer, Stride, LogitsOffset, GradientOffset, targets, 2);

        Assert.Equal(4 * 1000.0, loss);
        for (int s = 0; s < batch; s++)
        {
            double[] expected = s % 2 == 0 ? [0, 0] : [1, -1];
            Assert.Equal(expected, buffer.AsSpan((s * Stride) + GradientOffset, 2).ToArray());
        }
    }

    [Fact]
    public void OnlyTheGradientSlotsOfTheBatchAreWritten()
    {
        var (buffer, targets) = RandomBatch<float>(5, 3, seed: 4);
        var before = (float[])buffer.Clone();

        SampleLoss.SoftmaxCrossEntropyWithLogits<float>(buffer.AsSpan(0, (5 * Stride) - 2), Stride, LogitsOffset, GradientOffset, targets, 3);

        for (int i = 0; i < buffer.Length; i++)
        {
            int slot = (i % Stride) - GradientOffset;
            if (i / Stride >= 5 || slot < 0 || slot >= 3)
            {
                Assert.Equal(before[i], buffer[i]);
            }
        }
    }

    private static void MatchesReference<T>(int bits, int batch, int classes, double lossBound, int ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (buffer, targets) = RandomBatch<T>(batch, classes, seed: batch + (100 * classes));

        double loss = SampleLoss.SoftmaxCrossEntropyWithLogits<T>(bits, buffer, Stride, LogitsOffset, GradientOffset, targets, classes);

        double expectedLoss = 0;
        for (int s = 0; s < batch; s++)
        {
            // The reference: softmax and cross-entropy in double from the definition, p = e^z / Σ e^z, L = -Σ t ln p.
            double[] z = [.. buffer.AsSpan((s * Stride) + LogitsOffset, classes).ToArray().Select(double.CreateChecked)];
            double[] t = [.. targets.AsSpan(s * classes, classes).ToArray().Select(double.CreateChecked)];
            double sum = z.Sum(Math.Exp);
            for (int i = 0; i < classes; i++)
            {
                double p = Math.Exp(z[i]) / sum;
                expectedLoss -= t[i] * Math.Log(p);
                double expected = (p * t.Sum()) - t[i];
                double actual = double.CreateChecked(buffer[(s * Stride) + GradientOffset + i]);
                double ulp = double.CreateChecked(T.BitIncrement(T.Abs(T.CreateChecked(expected))) - T.Abs(T.CreateChecked(expected)));
                // ulps of T, plus what the double arithmetic of p - t can lose to cancellation (a few ulps of 1).
                Assert.True(Math.Abs(actual - expected) <= (ulps * ulp) + 1e-15, $"sample {s} class {i}: {actual} against {expected}");
            }
        }

        Assert.True(Math.Abs(loss - expectedLoss) <= lossBound * Math.Abs(expectedLoss), $"loss {loss} against {expectedLoss}");
    }

    /// <summary>Random logits in [-4, 4) in each sample's region (every other value random too), one-hot targets.</summary>
    private static (T[] Buffer, T[] Targets) RandomBatch<T>(int batch, int classes, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new DeterministicRandom(seed);
        var buffer = new T[batch * Stride];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = T.CreateChecked((random.NextDouble() * 8) - 4);
        }

        var targets = new T[batch * classes];
        for (int s = 0; s < batch; s++)
        {
            targets[(s * classes) + random.NextInt32(classes)] = T.One;
        }

        return (buffer, targets);
    }

    private static double[] LossesOfEachSample(float[] buffer, float[] targets, int classes)
    {
        int batch = targets.Length / classes;
        var losses = new double[batch];
        for (int s = 0; s < batch; s++)
        {
            losses[s] = SampleLoss.SoftmaxCrossEntropyWithLogits<float>(buffer.AsSpan((s * Stride) + LogitsOffset, classes), targets.AsSpan(s * classes, classes), new float[classes]);
        }

        return losses;
    }
}
