using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The forward product on weights packed for predictions (<c>DenseKernels.PackWeights</c> and <c>ForwardPacked</c>): the
/// layout (Wᵀ in panels of eight vectors of outputs), and each output as one chain of fused multiply-adds from the bias
/// over the inputs in order, bit for bit against that chain computed here, at every width the machine has, with strided
/// samples, partial panels, partial vectors and the rectifier fused.
/// </summary>
public class PackedForwardTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (1, 1, 1), (1, 3, 5), (1, 16, 16), (1, 128, 784), (1, 10, 128), (2, 37, 19), (3, 129, 7), (1, 300, 33), (4, 64, 1),
        (1, 512, 64), (5, 257, 3),
    ];

    public static TheoryData<int, int, int, int> WidthsAndShapes() => ProductShapes.AtEveryWidth(s_shapes);

    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    [Theory]
    [MemberData(nameof(Widths))]
    public void PackWeightsWritesWTransposedInPanelsOfEightVectorsOfOutputs(int bits)
    {
        // A whole panel (8 vectors of floats: 128 outputs at 512 bits, 64 at 256, 32 at 128) and a last one of 3 outputs.
        int panel = 8 * (bits / 32), n = panel + 3, k = 5;
        var w = Enumerable.Range(0, n * k).Select(e => (float)e).ToArray();
        var packed = new float[n * k];
        DenseKernels.PackWeights<float>(bits, w, packed, n, k);

        for (int i = 0; i < k; i++)
        {
            // First panel: input i's weights of its outputs side by side, `panel` apart from the next input's.
            for (int j = 0; j < panel; j++)
            {
                Assert.Equal(w[(j * k) + i], packed[(i * panel) + j]);
            }

            // Last panel: after the first one's panel·k weights, 3 outputs per input.
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(w[((panel + j) * k) + i], packed[(panel * k) + (i * 3) + j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void EachOutputIsOneFmaChainFromTheBiasOverTheInputsInOrder(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom((m * 7919) + (n * 31) + k);
        int xStride = k + 3, zStride = n + 2;
        var x = Floats(random, m * xStride);
        var w = Floats(random, n * k);
        var b = Floats(random, n);
        var packed = new float[n * k];
        DenseKernels.PackWeights<float>(bits, w, packed, n, k);
        var z = Floats(random, m * zStride);
        var untouched = z.ToArray();

        DenseKernels.ForwardPacked<float>(bits, x, xStride, packed, b, z, zStride, m, n, k);

        for (int s = 0; s < m; s++)
        {
            var expected = Chains(x.AsSpan(s * xStride, k), w, b, n, k, Fuses(bits));
            Assert.Equal(expected, z.AsSpan(s * zStride, n).ToArray());

            // The stride's gap after each row is not written.
            Assert.Equal(untouched.AsSpan((s * zStride) + n, zStride - n).ToArray(), z.AsSpan((s * zStride) + n, zStride - n).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DoublesTakeTheSameChains(int bits)
    {
        const int m = 2, n = 70, k = 45;
        var random = new DeterministicRandom(5);
        var x = Enumerable.Range(0, m * k).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var w = Enumerable.Range(0, n * k).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var packed = new double[n * k];
        DenseKernels.PackWeights<double>(bits, w, packed, n, k);
        var z = new double[m * n];

        DenseKernels.ForwardPacked<double>(bits, x, k, packed, b, z, n, m, n, k);

        for (int s = 0; s < m; s++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = b[j];
                for (int i = 0; i < k; i++)
                {
                    sum = Fuses(bits) ? Math.FusedMultiplyAdd(x[(s * k) + i], w[(j * k) + i], sum) : (x[(s * k) + i] * w[(j * k) + i]) + sum;
                }

                Assert.Equal(sum, z[(s * n) + j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void TheRectifierIsAppliedToEachOutputAsForwardRectifiedAppliesIt(int bits)
    {
        const int m = 3, n = 150, k = 20;
        var random = new DeterministicRandom(9);
        var x = Floats(random, m * k);
        x[k + 4] = float.NaN;
        var w = Floats(random, n * k);
        var b = Floats(random, n);
        var packed = new float[n * k];
        DenseKernels.PackWeights<float>(bits, w, packed, n, k);
        foreach (float slope in new[] { 0f, 0.01f })
        {
            var z = new float[m * n];
            var a = new float[m * n];
            DenseKernels.ForwardPackedRectified<float>(bits, x, k, packed, b, z, n, a, n, slope, m, n, k);
            for (int e = 0; e < z.Length; e++)
            {
                // ReLU as TensorPrimitives.Max(z, 0): NaN stays NaN; leaky: z > 0 ? z : slope·z.
                float expected = slope == 0 ? float.Max(z[e], 0) : z[e] > 0 ? z[e] : slope * z[e];
                Assert.Equal(expected, a[e]);
            }

            Assert.True(float.IsNaN(a[n]), "sample 1 read a NaN, so its outputs are NaN");
            // Some outputs are negative: ReLU zeroes them, the leaky rectifier keeps them negative.
            Assert.Contains(a, v => slope == 0 ? v == 0 : v < 0);
        }
    }

    [Fact]
    public void ASizeThatDoesNotFitIsRejectedByName()
    {
        var w = new float[12];
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.PackWeights<float>(w, new float[11], 3, 4));
        Assert.Equal("packed", error.ParamName);

        error = Assert.Throws<ArgumentException>(() => DenseKernels.ForwardPacked<float>(new float[4], 4, new float[11], new float[3], new float[3], 3, 1, 3, 4));
        Assert.Equal("packed", error.ParamName);

        error = Assert.Throws<ArgumentException>(() => DenseKernels.ForwardPacked<float>(new float[4], 4, new float[12], new float[2], new float[3], 3, 1, 3, 4));
        Assert.Equal("b", error.ParamName);

        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernels.PackWeights<float>(w, new float[12], 0, 4));
        Assert.Equal("n", zero.ParamName);
    }

    /// <summary>Whether the vectors of <paramref name="bits"/> fuse the multiply-add (then so does the scalar chain).</summary>
    private static bool Fuses(int bits) => bits switch
    {
        512 => Vector512Ops<float>.FusesMultiplyAdd,
        256 => Vector256Ops<float>.FusesMultiplyAdd,
        _ => Vector128Ops<float>.FusesMultiplyAdd,
    };

    /// <summary>Each output as one chain over the inputs in order, started from its bias: fused, or rounding twice a step.</summary>
    private static float[] Chains(ReadOnlySpan<float> x, float[] w, float[] b, int n, int k, bool fused)
    {
        var z = new float[n];
        for (int j = 0; j < n; j++)
        {
            float sum = b[j];
            for (int i = 0; i < k; i++)
            {
                sum = fused ? MathF.FusedMultiplyAdd(x[i], w[(j * k) + i], sum) : (x[i] * w[(j * k) + i]) + sum;
            }

            z[j] = sum;
        }

        return z;
    }

    private static float[] Floats(DeterministicRandom random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
}
