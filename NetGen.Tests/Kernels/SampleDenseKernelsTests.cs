using System.Runtime.Intrinsics;
using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The one-sample kernels of small dense layers against the textbook loops in double, at every vector width this
/// machine runs, over shapes that take each path: rows of whole vectors (k a multiple of the lanes), rows packed
/// several to a vector (k = 1, 2, 4, 8 with n a multiple of the lanes), a narrower width when the widest does not fit,
/// and the scalar loops when none does. Float is checked against the double reference within its rounding.
/// </summary>
public class SampleDenseKernelsTests
{
    private static readonly (int N, int K)[] s_shapes =
    [
        (16, 4), (3, 16), (16, 1), (16, 2), (32, 4), (16, 8), (8, 4), (4, 4), (12, 4), (1, 4), (2, 32), (4, 8), (8, 2), (64, 1), (5, 3), (2, 2), (1, 1),
        (4, 16), (5, 32), (9, 16), (7, 64),
    ];

    public static TheoryData<int, int, int> WidthsAndShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (var (n, k) in s_shapes)
            {
                data.Add(bits, n, k);
            }
        }

        return data;
    }

    [Fact]
    public void TheShapesOfW2AndTheXorNetworkTakeTheExpectedPaths()
    {
        Assert.True(SampleDenseKernels.IsVectorized<float>(16, 4));
        Assert.True(SampleDenseKernels.IsVectorized<float>(3, 16));
        Assert.True(SampleDenseKernels.IsVectorized<double>(3, 2));
        Assert.False(SampleDenseKernels.IsVectorized<float>(2, 2));
        Assert.False(SampleDenseKernels.IsVectorized<float>(5, 3));
        Assert.False(SampleDenseKernels.IsVectorized<double>(3, 3));
    }

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void ForwardMatchesTheDefinition(int bits, int n, int k)
    {
        var random = new DeterministicRandom((n * 100) + k);
        var x = Fill(random, k);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var expected = new double[n];
        for (int j = 0; j < n; j++)
        {
            expected[j] = b[j];
            for (int i = 0; i < k; i++)
            {
                expected[j] += w[(j * k) + i] * x[i];
            }
        }

        var z = new double[n + 1];
        z[n] = 42;
        SampleDenseKernels.Forward<double>(bits, x, w, b, z, n, k);
        AssertClose(expected, z, 1e-13);
        Assert.Equal(42, z[n]);

        var zf = new float[n + 1];
        zf[n] = 42;
        SampleDenseKernels.Forward<float>(bits, Single(x), Single(w), Single(b), zf, n, k);
        AssertClose(expected, zf[..n].Select(v => (double)v).ToArray(), 2e-6 * k);
        Assert.Equal(42, zf[n]);
    }

    /// <summary>
    /// Rows of one whole vector each are reduced four at a time; every output keeps the bits of <c>b + VectorN.Sum(w_j · x)</c>,
    /// the one-row-at-a-time form (inputs of mixed magnitudes, so another order of the additions would show).
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void RowsOfOneVectorHaveTheBitsOfOneReductionEach(int bits)
    {
        int k = bits / 32;
        var random = new DeterministicRandom(bits);
        foreach (int n in new[] { 1, 3, 4, 5, 8, 11 })
        {
            var x = Mixed(random, k);
            var w = Mixed(random, n * k);
            var b = Mixed(random, n);
            var z = new float[n];
            SampleDenseKernels.Forward<float>(bits, x, w, b, z, n, k);
            for (int j = 0; j < n; j++)
            {
                var products = w.AsSpan(j * k, k).ToArray().Zip(x, (wi, xi) => wi * xi).ToArray();
                float expected = b[j] + VectorSum(bits, products);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(z[j]), $"{bits} bits, n = {n}, output {j}: expected {expected:R}, got {z[j]:R}");
            }
        }
    }

    /// <summary>
    /// A layer of four inputs packs four rows to 128 bits; each output is <c>b + ((p0 + p1) + (p2 + p3))</c> of its
    /// row's products, whichever vector the row sits in (mixed magnitudes, so another order would show).
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void RowsOfFourInputsHaveTheBitsOfTheirPairwiseSum(int bits)
    {
        var random = new DeterministicRandom(bits + 2);
        int lanes = bits / 32;
        foreach (int n in new[] { lanes, 2 * lanes, 3 * lanes })
        {
            var x = Mixed(random, 4);
            var w = Mixed(random, n * 4);
            var b = Mixed(random, n);
            var z = new float[n];
            SampleDenseKernels.Forward<float>(bits, x, w, b, z, n, 4);
            for (int j = 0; j < n; j++)
            {
                float[] p = [w[4 * j] * x[0], w[(4 * j) + 1] * x[1], w[(4 * j) + 2] * x[2], w[(4 * j) + 3] * x[3]];
                float expected = b[j] + ((p[0] + p[1]) + (p[2] + p[3]));
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(z[j]), $"{bits} bits, n = {n}, output {j}: expected {expected:R}, got {z[j]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FourSumsAtOnceHaveTheBitsOfEachSum(int bits)
    {
        var random = new DeterministicRandom(bits + 1);
        for (int trial = 0; trial < 200; trial++)
        {
            var vectors = Enumerable.Range(0, 4).Select(_ => Mixed(random, bits / 32)).ToArray();
            float[] sums = bits switch
            {
                512 => Lanes(Sample512<float>.SumFour(Vector512.Create(vectors[0]), Vector512.Create(vectors[1]), Vector512.Create(vectors[2]), Vector512.Create(vectors[3]))),
                256 => Lanes(Sample256<float>.SumFour(Vector256.Create(vectors[0]), Vector256.Create(vectors[1]), Vector256.Create(vectors[2]), Vector256.Create(vectors[3]))),
                _ => Lanes(Sample128<float>.SumFour(Vector128.Create(vectors[0]), Vector128.Create(vectors[1]), Vector128.Create(vectors[2]), Vector128.Create(vectors[3]))),
            };
            for (int r = 0; r < 4; r++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(VectorSum(bits, vectors[r])), BitConverter.SingleToInt32Bits(sums[r]));
            }
        }
    }

    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    private static float VectorSum(int bits, float[] values) => bits switch
    {
        512 => Vector512.Sum(Vector512.Create(values)),
        256 => Vector256.Sum(Vector256.Create(values)),
        _ => Vector128.Sum(Vector128.Create(values)),
    };

    private static float[] Lanes(Vector128<float> value) => [value[0], value[1], value[2], value[3]];

    /// <summary>Values from 2^-12 to 2^12 in size, either sign, so that sums in another order round differently.</summary>
    private static float[] Mixed(DeterministicRandom random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(((random.NextDouble() * 2) - 1) * Math.Pow(2, (random.NextDouble() * 24) - 12))).ToArray();

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void WeightGradientMatchesTheDefinition(int bits, int n, int k)
    {
        var random = new DeterministicRandom((n * 10) + k + 7);
        var dz = Fill(random, n);
        var x = Fill(random, k);
        var dw = Fill(random, n * k);
        var db = Fill(random, n);
        var dwExpected = dw.ToArray();
        var dbExpected = db.ToArray();
        for (int j = 0; j < n; j++)
        {
            dbExpected[j] += dz[j];
            for (int i = 0; i < k; i++)
            {
                dwExpected[(j * k) + i] += dz[j] * x[i];
            }
        }

        var dwf = Single(dw);
        var dbf = Single(db);
        SampleDenseKernels.AccumulateWeightGradient<double>(bits, dz, x, dw, n, k);
        SampleDenseKernels.AccumulateBiasGradient<double>(bits, dz, db, n);
        AssertClose(dwExpected, dw, 1e-14);
        AssertClose(dbExpected, db, 1e-14);

        SampleDenseKernels.AccumulateWeightGradient<float>(bits, Single(dz), Single(x), dwf, n, k);
        SampleDenseKernels.AccumulateBiasGradient<float>(bits, Single(dz), dbf, n);
        AssertClose(dwExpected, dwf.Select(v => (double)v).ToArray(), 1e-6);
        AssertClose(dbExpected, dbf.Select(v => (double)v).ToArray(), 1e-6);
    }

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void InputGradientMatchesTheDefinition(int bits, int n, int k)
    {
        var random = new DeterministicRandom((n * 1000) + k + 3);
        var dz = Fill(random, n);
        var w = Fill(random, n * k);
        var before = Fill(random, k);
        var expected = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[i] += w[(j * k) + i] * dz[j];
            }
        }

        var dx = new double[k + 1];
        dx[k] = 42;
        SampleDenseKernels.InputGradient<double>(bits, dz, w, dx, n, k);
        AssertClose(expected, dx[..k], 1e-13);
        Assert.Equal(42, dx[k]);

        var accumulated = before.ToArray();
        SampleDenseKernels.InputGradient<double>(bits, dz, w, accumulated, n, k, accumulate: true);
        AssertClose(expected.Select((e, i) => e + before[i]).ToArray(), accumulated, 1e-13);

        var dxf = new float[k];
        SampleDenseKernels.InputGradient<float>(bits, Single(dz), Single(w), dxf, n, k);
        AssertClose(expected, dxf.Select(v => (double)v).ToArray(), 2e-6 * n);
    }

    /// <summary>
    /// The dispatchers test the width rule written out (so the JIT folds it for constant sizes) instead of calling
    /// <c>Width</c>; for every size up to 40 x 40 each takes the width that rule gives, for float and double.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryDispatcherTakesTheWidthOfTheRule(int bits)
    {
        TakesTheRulesWidth<float>(bits);
        TakesTheRulesWidth<double>(bits);

        static void TakesTheRulesWidth<T>(int bits)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int n = 1; n <= 40; n++)
            {
                for (int k = 1; k <= 40; k++)
                {
                    int expected = SampleDenseKernels.Width<T>(bits, n, k);
                    var outputs = new T[n];
                    var inputs = new T[k];
                    var weights = new T[n * k];
                    Assert.Equal(expected, SampleDenseKernels.Forward<T>(bits, inputs, weights, outputs, outputs, n, k));
                    Assert.Equal(expected, SampleDenseKernels.AccumulateWeightGradient<T>(bits, outputs, inputs, weights, n, k));
                    Assert.Equal(expected, SampleDenseKernels.InputGradient<T>(bits, outputs, weights, inputs, n, k));
                }
            }
        }
    }

    [Fact]
    public void ShortBuffersAreRejectedNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleDenseKernels.Forward<float>(new float[4], new float[63], new float[16], new float[16], 16, 4));
        Assert.Equal("w", error.ParamName);
        Assert.Contains("'w' has 63 elements; the layer needs 64", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => SampleDenseKernels.InputGradient<float>(new float[16], new float[64], new float[3], 16, 4));
        Assert.Equal("dx", error.ParamName);
    }

    private static double[] Fill(DeterministicRandom random, int count) =>
        Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 2) - 1).ToArray();

    private static float[] Single(double[] values) => values.Select(v => (float)v).ToArray();

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
