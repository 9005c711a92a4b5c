using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>W3's shape with its logits as the prediction (squared error, no softmax), so each output's bound follows from the two products'.</summary>
[Network(Inputs = 784, Loss = Loss.SquaredError)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class LogitsW3Net;

/// <summary>
/// What a prediction's bits depend on. The forward product takes one of two paths: dot-product tiles (each output a
/// vector of lane sums over the inputs, added across the lanes, then the bias added), or, at 512 bits from 32 samples on
/// (for layers of 8 or more outputs and 16 or more inputs), the blocked product on Wᵀ, where each output is one chain of
/// fused multiply-adds over the inputs in order, started from the bias. So a sample's outputs are the same bits in every
/// batch whose size takes the same path, whatever the other samples hold and wherever the sample sits; on Wᵀ they are
/// exactly the chain's bits; and across the two paths they differ by no more than two summation orders can: each is
/// within γ(k+1)·(|b| + Σ|x·w|) of the exact value, Higham's bound for a bias and k products added in any order,
/// γ(n) = n·u / (1 − n·u) with u = 2⁻²⁴. (Thread counts never change them: <see cref="KernelTeamTests"/>.)
/// </summary>
public class PredictionBitsTests
{
    private const int Inputs = 784, Hidden = 128, Outputs = 10;

    private static readonly int[] s_batchSizes = [1, 31, 32, 256];

    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    [Theory]
    [MemberData(nameof(Widths))]
    public void ALayersOutputsForOneSampleDependOnlyOnThePathItsBatchSizeTakes(int bits)
    {
        // W3's two layers, and an odd one: a partial vector of inputs, outputs not filling a sliver.
        foreach (var (n, k) in new[] { (Hidden, Inputs), (Outputs, Hidden), (13, 37) })
        {
            var random = new DeterministicRandom((n * 1000) + k);
            var w = Floats(random, n * k);
            var b = Floats(random, n);
            var sample = Floats(random, k);
            foreach (int m in s_batchSizes)
            {
                // The sample last in a batch of other random samples: in the tiles' leftover rows when there are any.
                var x = Floats(random, m * k);
                sample.CopyTo(x, (m - 1) * k);
                var z = new float[m * n];
                DenseKernels.Forward<float>(bits, x, k, w, b, z, n, m, n, k);
                var output = z.AsSpan((m - 1) * n, n).ToArray();

                var alone = new float[n];
                DenseKernels.Forward<float>(bits, sample, k, w, b, alone, n, 1, n, k);
                if (bits == 512 && m >= 32)
                {
                    Assert.Equal(FmaChains(sample, w, b, n, k), output);
                }
                else
                {
                    Assert.Equal(alone, output);
                }

                for (int j = 0; j < n; j++)
                {
                    var (exact, magnitude) = Exact(sample, w.AsSpan(j * k, k), b[j]);
                    Assert.True(Math.Abs(output[j] - exact) <= Gamma(k + 1) * magnitude, $"{bits} bits, {n}x{k}, batch {m}, output {j}: {output[j]} is {Math.Abs(output[j] - exact):E3} from {exact}, over the bound {Gamma(k + 1) * magnitude:E3}");
                }
            }
        }
    }

    [Fact]
    public void APredictionHasTheBitsOfEveryBatchOnItsPathAndIsWithinTheBoundOfTheOthers()
    {
        var network = new LogitsW3Net();
        var random = new DeterministicRandom(11);
        var parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)random.NextDouble(-0.1, 0.1);
        }

        var sample = Floats(random, Inputs);
        var predicted = new float[Outputs];
        network.Predict(sample, predicted);

        var w1 = parameters.Slice(LogitsW3Net.W1Offset, Hidden * Inputs).ToArray();
        var b1 = parameters.Slice(LogitsW3Net.B1Offset, Hidden).ToArray();
        var w2 = parameters.Slice(LogitsW3Net.W2Offset, Outputs * Hidden).ToArray();
        var b2 = parameters.Slice(LogitsW3Net.B2Offset, Outputs).ToArray();

        // On Wᵀ both layers are chains of FMAs from the bias; ReLU is exact.
        var hidden = FmaChains(sample, w1, b1, Hidden, Inputs).Select(v => v > 0 ? v : 0f).ToArray();
        var chains = FmaChains(hidden, w2, b2, Outputs, Hidden);

        // Each path's hidden value is within e1 = γ(785)·(|b1| + Σ|x·w1|) of the exact one, and ReLU moves it no further;
        // the output is then within Σ|w2|·e1 (from the hidden error) + γ(129)·(|b2| + Σ|w2|·(|a1| + e1)) (its own sum).
        var exactHidden = new double[Hidden];
        var hiddenError = new double[Hidden];
        for (int j = 0; j < Hidden; j++)
        {
            var (z, magnitude) = Exact(sample, w1.AsSpan(j * Inputs, Inputs), b1[j]);
            exactHidden[j] = Math.Max(z, 0);
            hiddenError[j] = Gamma(Inputs + 1) * magnitude;
        }

        var exact = new double[Outputs];
        var bound = new double[Outputs];
        for (int c = 0; c < Outputs; c++)
        {
            double sum = b2[c], propagated = 0, magnitude = Math.Abs(b2[c]);
            for (int j = 0; j < Hidden; j++)
            {
                double weight = w2[(c * Hidden) + j];
                sum += weight * exactHidden[j];
                propagated += Math.Abs(weight) * hiddenError[j];
                magnitude += Math.Abs(weight) * (exactHidden[j] + hiddenError[j]);
            }

            exact[c] = sum;
            bound[c] = propagated + (Gamma(Hidden + 1) * magnitude);
        }

        foreach (int m in s_batchSizes)
        {
            // The sample in the middle of a batch of other random samples.
            var inputs = Floats(random, m * Inputs);
            int position = m / 2;
            sample.CopyTo(inputs, position * Inputs);
            var outputs = new float[m * Outputs];
            network.Forward(inputs, outputs, network.CreateWorkspace(m));
            var output = outputs.AsSpan(position * Outputs, Outputs).ToArray();
            if (VectorWidth.Bits == 512 && m >= 32)
            {
                Assert.Equal(chains, output);
            }
            else
            {
                Assert.Equal(predicted, output);
            }

            for (int c = 0; c < Outputs; c++)
            {
                Assert.True(Math.Abs(output[c] - exact[c]) <= bound[c], $"batch {m}, output {c}: {output[c]} is {Math.Abs(output[c] - exact[c]):E3} from {exact[c]}, over the bound {bound[c]:E3}");
            }
        }
    }

    /// <summary>γ(n) = n·u / (1 − n·u), u = 2⁻²⁴, widened by the double reference's own rounding (n·2⁻⁵³ of the magnitude).</summary>
    private static double Gamma(int n)
    {
        double u = Math.ScaleB(1, -24);
        return (n * u / (1 - (n * u))) + (n * Math.ScaleB(1, -53));
    }

    /// <summary><c>b + Σ x·w</c> in double (each float product exact) and <c>|b| + Σ|x·w|</c>.</summary>
    private static (double Value, double Magnitude) Exact(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float b)
    {
        double value = b, magnitude = Math.Abs(b);
        for (int i = 0; i < x.Length; i++)
        {
            double product = (double)x[i] * w[i];
            value += product;
            magnitude += Math.Abs(product);
        }

        return (value, magnitude);
    }

    /// <summary>Each output as one chain of fused multiply-adds over the inputs in order, started from its bias.</summary>
    internal static float[] FmaChains(float[] x, float[] w, float[] b, int n, int k)
    {
        var z = new float[n];
        for (int j = 0; j < n; j++)
        {
            float sum = b[j];
            for (int i = 0; i < k; i++)
            {
                sum = MathF.FusedMultiplyAdd(x[i], w[(j * k) + i], sum);
            }

            z[j] = sum;
        }

        return z;
    }

    private static float[] Floats(DeterministicRandom random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
}
