using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The products with a rectifier fused into their store (<c>DenseKernels.ForwardRectified</c> and
/// <c>InputGradientRectified</c>) against the unfused sequence generated code ran before them,
/// bit for bit: the product, then <c>TensorPrimitives.Max(z, 0, a)</c> (ReLU) or <c>z &gt; 0 ? z : s·z</c> (leaky) per
/// sample, and the input gradient, then <c>ActivationKernels.RectifierDerivative</c> per sample. At every width the machine
/// has, over shapes around every tile and lane edge and both forward paths, alone and on teams of 2 and 3 threads, with
/// NaN, infinities, -0 and +0 among the values the activation reads.
/// </summary>
public class FusedEpilogueTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (1, 1, 1), (1, 17, 40), (2, 4, 8), (3, 5, 7), (5, 9, 33), (7, 13, 64), (17, 16, 16), (31, 300, 130), (32, 8, 16),
        (33, 70, 300), (35, 64, 129), (37, 140, 131), (64, 10, 128), (64, 128, 784), (100, 130, 200), (130, 65, 40),
        (256, 512, 512), (45, 8, 70), (4, 63, 17), (6, 64, 16), (8, 65, 15), (12, 257, 300),
    ];

    public static TheoryData<int, int, int, int> WidthsAndShapes() => ProductShapes.AtEveryWidth(s_shapes);

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void ForwardRectifiedIsTheProductThenTheActivation(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom((m * 7919) + (n * 31) + k);
        int xStride = k + 3, zStride = n + 5, aStride = n + 2;
        var x = Fill(random, m * xStride);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        if (m > 2)
        {
            // Sample 1 reads a NaN and sample 2 an infinity, so their z rows are NaN and ±∞ or NaN.
            x[xStride + (k / 2)] = float.NaN;
            x[(2 * xStride) + (k / 3)] = float.PositiveInfinity;
        }

        foreach (float slope in new[] { 0f, 0.01f })
        {
            var expectedZ = new float[m * zStride];
            var expectedA = new float[m * aStride];
            DenseKernels.Forward<float>(bits, x, xStride, w, b, expectedZ, zStride, m, n, k);
            for (int s = 0; s < m; s++)
            {
                var zs = expectedZ.AsSpan(s * zStride, n);
                var @as = expectedA.AsSpan(s * aStride, n);
                if (slope == 0f)
                {
                    TensorPrimitives.Max(zs, 0f, @as);
                }
                else
                {
                    for (int i = 0; i < n; i++)
                    {
                        @as[i] = zs[i] > 0 ? zs[i] : slope * zs[i];
                    }
                }
            }

            foreach (int threads in new[] { 1, 2, 3 })
            {
                using var served = threads > 1 ? new KernelTeamTests.ServedTeam(threads) : null;
                var z = new float[m * zStride];
                var a = Enumerable.Repeat(7f, m * aStride).ToArray();
                DenseKernels.ForwardRectified<float>(bits, x, xStride, w, b, z, zStride, a, aStride, slope, m, n, k, served?.Team);
                Assert.Equal(Bits(expectedZ), Bits(z));
                AssertRowsWritten(expectedA, a, m, n, aStride);
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void InputGradientRectifiedIsTheProductThenTheDerivative(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom((m * 31) + (n * 7) + k);
        int dzStride = n + 1, xzStride = k + 4, dxStride = k + 2;
        var dz = Fill(random, m * dzStride);
        var w = Fill(random, n * k);
        var xz = Fill(random, m * xzStride);
        float[] special = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon];
        for (int i = 0; i < xz.Length; i += 5)
        {
            xz[i] = special[(i / 5) % special.Length];
        }

        if (m > 1)
        {
            // A NaN in the upstream gradient: the rectifier still gives 0 where xz ≤ 0 (and NaN where it is > 0).
            dz[dzStride + (n / 2)] = float.NaN;
        }

        foreach (float slope in new[] { 0f, 0.01f })
        {
            var da = new float[m * dxStride];
            var expected = new float[m * dxStride];
            DenseKernels.InputGradient<float>(bits, dz, dzStride, w, da, dxStride, m, n, k);
            for (int s = 0; s < m; s++)
            {
                ActivationKernels.RectifierDerivative<float>(bits, xz.AsSpan(s * xzStride, k), da.AsSpan(s * dxStride, k), slope, expected.AsSpan(s * dxStride, k), accumulate: false);
            }

            foreach (int threads in new[] { 1, 2, 3 })
            {
                using var served = threads > 1 ? new KernelTeamTests.ServedTeam(threads) : null;
                var dx = Enumerable.Repeat(7f, m * dxStride).ToArray();
                DenseKernels.InputGradientRectified<float>(bits, dz, dzStride, w, xz, xzStride, slope, dx, dxStride, m, n, k, served?.Team);
                AssertRowsWritten(expected, dx, m, k, dxStride);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DoublesTooAtEveryWidth(int bits)
    {
        const int m = 37, n = 70, k = 45;
        var random = new DeterministicRandom(bits);
        var x = FillDouble(random, m * k);
        var w = FillDouble(random, n * k);
        var b = FillDouble(random, n);
        var z = new double[m * n];
        var a = new double[m * n];
        var expectedZ = new double[m * n];
        DenseKernels.Forward<double>(bits, x, k, w, b, expectedZ, n, m, n, k);
        DenseKernels.ForwardRectified<double>(bits, x, k, w, b, z, n, a, n, 0.0, m, n, k);
        var expectedA = new double[m * n];
        TensorPrimitives.Max(expectedZ, 0.0, expectedA);
        Assert.Equal(expectedZ, z);
        Assert.Equal(expectedA, a);

        var dz = FillDouble(random, m * n);
        var dx = new double[m * k];
        var da = new double[m * k];
        var expectedDx = new double[m * k];
        DenseKernels.InputGradient<double>(bits, dz, n, w, da, k, m, n, k);
        ActivationKernels.RectifierDerivative<double>(bits, x, da, 0.01, expectedDx, accumulate: false);
        DenseKernels.InputGradientRectified<double>(bits, dz, n, w, x, k, 0.01, dx, k, m, n, k);
        Assert.Equal(expectedDx, dx);
    }

    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    [Theory]
    [MemberData(nameof(Widths))]
    public void TheVectorMaximumIsTensorPrimitivesMax(int bits)
    {
        // The ReLU epilogue's vectors take the maximum as TensorPrimitives.Max does: NaN stays NaN, -0 gives +0.
        float[] values = [float.NaN, -0f, 0f, -1f, 1f, float.NegativeInfinity, float.PositiveInfinity, -float.Epsilon, float.Epsilon, -float.NaN, 3e38f, -3e38f, 0.5f, -0.5f, 2f, -2f];
        var expected = new float[values.Length];
        TensorPrimitives.Max(values, 0f, expected);
        var actual = new float[values.Length];
        switch (bits)
        {
            case 512: VectorMax<Vector512Ops<float>, Vector512<float>>(values, actual); break;
            case 256: VectorMax<Vector256Ops<float>, Vector256<float>>(values, actual); break;
            default: VectorMax<Vector128Ops<float>, Vector128<float>>(values, actual); break;
        }

        Assert.Equal(Bits(expected), Bits(actual));
        Assert.Equal(Bits(expected), Bits(values.Select(v => float.Max(v, 0f)).ToArray()));
    }

    [Fact]
    public void BadSizesAreRefusedNamingTheArgument()
    {
        var x = new float[8];
        var w = new float[8];
        var b = new float[2];
        var z = new float[4];
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.ForwardRectified<float>(x, 4, w, b, z, 2, new float[3], 2, 0f, 2, 2, 4));
        Assert.Equal("a", error.ParamName);
        Assert.StartsWith("'a' has 3 elements; 2 rows of 2 with stride 2 need 4.", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => DenseKernels.ForwardRectified<float>(x, 4, w, b, z, 2, new float[4], 1, 0f, 2, 2, 4));
        Assert.Equal("a", error.ParamName);
        Assert.StartsWith("'a': 2 rows of 2 with stride 1 is not a valid layout.", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => DenseKernels.ForwardRectified<float>(x, 4, w, b, new float[3], 2, new float[4], 2, 0f, 2, 2, 4));
        Assert.Equal("z", error.ParamName);

        var slopeError = Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernels.ForwardRectified<float>(x, 4, w, b, z, 2, new float[4], 2, float.NaN, 2, 2, 4));
        Assert.Equal("negativeSlope", slopeError.ParamName);
        Assert.Contains("finite", slopeError.Message, StringComparison.Ordinal);

        var dz = new float[4];
        var dx = new float[8];
        error = Assert.Throws<ArgumentException>(() => DenseKernels.InputGradientRectified<float>(dz, 2, w, new float[7], 4, 0f, dx, 4, 2, 2, 4));
        Assert.Equal("xz", error.ParamName);
        Assert.StartsWith("'xz' has 7 elements; 2 rows of 4 with stride 4 need 8.", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => DenseKernels.InputGradientRectified<float>(dz, 2, w, new float[8], 4, 0f, new float[7], 4, 2, 2, 4));
        Assert.Equal("dx", error.ParamName);

        slopeError = Assert.Throws<ArgumentOutOfRangeException>(() => DenseKernels.InputGradientRectified<float>(dz, 2, w, new float[8], 4, float.PositiveInfinity, dx, 4, 2, 2, 4));
        Assert.Equal("negativeSlope", slopeError.ParamName);
    }

    private static void VectorMax<TOps, TVector>(float[] values, float[] result)
        where TOps : struct, IVectorOps<float, TVector>
        where TVector : struct
    {
        for (int i = 0; i + TOps.Count <= values.Length; i += TOps.Count)
        {
            TOps.Store(TOps.Max(TOps.Load(ref values[i], 0), TOps.Zero), ref result[i], 0);
        }
    }

    /// <summary>The m rows of n elements are the expected bits, and the stride's gap after each row is untouched.</summary>
    private static void AssertRowsWritten(float[] expected, float[] actual, int m, int n, int stride)
    {
        for (int s = 0; s < m; s++)
        {
            Assert.Equal(Bits(expected.AsSpan(s * stride, n).ToArray()), Bits(actual.AsSpan(s * stride, n).ToArray()));
            for (int i = n; i < stride && (s * stride) + i < actual.Length; i++)
            {
                Assert.Equal(7f, actual[(s * stride) + i]);
            }
        }
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static float[] Fill(DeterministicRandom random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble(-1, 1);
        }

        return values;
    }

    private static double[] FillDouble(DeterministicRandom random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble(-1, 1);
        }

        return values;
    }
}
