using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The blocked kernels against the textbook triple loops in double (the scalar reference), at every vector
/// width this machine runs (128, 256 and, with AVX-512, 512 bits: the widths add in different orders, so each
/// is checked on its own), over shapes that hit every remainder of the register tiles (6 or 4 rows, 4 vectors of
/// columns), several depth blocks (128), B read in place (fewer than 16 rows) and packed, and the transposed
/// forward product (512-bit vectors and 32 samples or more).
/// </summary>
public class DenseKernelsTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (1, 1, 1), (2, 4, 8), (3, 5, 7), (4, 4, 16), (5, 9, 33), (7, 13, 64), (9, 3, 100), (16, 10, 784),
        (17, 16, 16), (1, 21, 45), (1, 13, 37), (130, 21, 39), (20, 133, 45), (257, 18, 6), (130, 70, 40), (128, 64, 16), (131, 135, 67),
        (33, 70, 300), (35, 64, 129), (32, 200, 97), (8, 70, 40), (10, 36, 20), (13, 40, 130), (40, 70, 33), (64, 10, 128), (45, 8, 70),
    ];

    public static TheoryData<int, int, int, int> WidthsAndShapes() => ProductShapes.AtEveryWidth(s_shapes);

    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void ForwardMatchesTheDefinition(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom(m * 1000 + n * 10 + k);
        int xStride = k + 3, zStride = n + 2;
        var x = Fill(random, m * xStride);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var z = new double[m * zStride];
        DenseKernels.Forward<double>(bits, x, xStride, w, b, z, zStride, m, n, k);

        for (int s = 0; s < m; s++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = b[j];
                for (int i = 0; i < k; i++)
                {
                    expected += x[(s * xStride) + i] * w[(j * k) + i];
                }

                Assert.Equal(expected, z[(s * zStride) + j], 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void WeightGradientMatchesTheDefinition(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom(m + n + k);
        int dzStride = n + 1, xStride = k + 5;
        var dz = Fill(random, m * dzStride);
        var x = Fill(random, m * xStride);
        var dw = Fill(random, n * k);
        var db = Fill(random, n);
        var dwExpected = dw.ToArray();
        var dbExpected = db.ToArray();
        for (int j = 0; j < n; j++)
        {
            for (int s = 0; s < m; s++)
            {
                dbExpected[j] += dz[(s * dzStride) + j];
                for (int i = 0; i < k; i++)
                {
                    dwExpected[(j * k) + i] += dz[(s * dzStride) + j] * x[(s * xStride) + i];
                }
            }
        }

        DenseKernels.AccumulateWeightGradient<double>(bits, dz, dzStride, x, xStride, dw, db, m, n, k);
        AssertClose(dwExpected, dw);
        AssertClose(dbExpected, db);
    }

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void InputGradientMatchesTheDefinition(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom(7 * m + n + k);
        int dzStride = n + 2, dxStride = k + 1;
        var dz = Fill(random, m * dzStride);
        var w = Fill(random, n * k);
        foreach (bool accumulate in new[] { false, true })
        {
            var dx = Fill(random, m * dxStride);
            var expected = dx.ToArray();
            for (int s = 0; s < m; s++)
            {
                for (int i = 0; i < k; i++)
                {
                    double sum = accumulate ? dx[(s * dxStride) + i] : 0;
                    for (int j = 0; j < n; j++)
                    {
                        sum += dz[(s * dzStride) + j] * w[(j * k) + i];
                    }

                    expected[(s * dxStride) + i] = sum;
                }
            }

            DenseKernels.InputGradient<double>(bits, dz, dzStride, w, dx, dxStride, m, n, k, accumulate);
            AssertClose(expected, dx);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FloatKernelsAgreeWithDouble(int bits)
    {
        // 6 samples take the dot-product tiles, 130 the transposed product.
        foreach (int m in new[] { 6, 130 })
        {
            FloatForwardAgreesWithDouble(bits, m, n: 70, k: 50);
        }
    }

    private static void FloatForwardAgreesWithDouble(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom(3);
        var x = Fill(random, m * k);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var z = new double[m * n];
        var zf = new float[m * n];
        DenseKernels.Forward<double>(bits, x, k, w, b, z, n, m, n, k);
        DenseKernels.Forward<float>(bits, ToFloat(x), k, ToFloat(w), ToFloat(b), zf, n, m, n, k);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(z[i], zf[i], 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FloatBackwardKernelsAgreeWithDouble(int bits)
    {
        // 50 inputs: one panel of 4 float vectors (32), two single vectors and two scalar columns; 18 rows: packed, with 2 rows over.
        const int m = 20, n = 18, k = 50;
        var random = new DeterministicRandom(4);
        var dz = Fill(random, m * n);
        var x = Fill(random, m * k);
        var w = Fill(random, n * k);
        var dw = new double[n * k];
        var db = new double[n];
        var dx = new double[m * k];
        var dwf = new float[n * k];
        var dbf = new float[n];
        var dxf = new float[m * k];
        DenseKernels.AccumulateWeightGradient<double>(bits, dz, n, x, k, dw, db, m, n, k);
        DenseKernels.AccumulateWeightGradient<float>(bits, ToFloat(dz), n, ToFloat(x), k, dwf, dbf, m, n, k);
        DenseKernels.InputGradient<double>(bits, dz, n, w, dx, k, m, n, k);
        DenseKernels.InputGradient<float>(bits, ToFloat(dz), n, ToFloat(w), dxf, k, m, n, k);
        for (int i = 0; i < dw.Length; i++)
        {
            Assert.Equal(dw[i], dwf[i], 1e-4);
        }

        for (int i = 0; i < db.Length; i++)
        {
            Assert.Equal(db[i], dbf[i], 1e-4);
        }

        for (int i = 0; i < dx.Length; i++)
        {
            Assert.Equal(dx[i], dxf[i], 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ASingleSampleGetsTheBitsItGetsInABatch(int bits)
    {
        // One sample takes its own path (rows eight at a time); each row's sum must be formed as in the tiles of a
        // batch of 5 (four samples in a tile, one left over), so a prediction does not depend on the batch size.
        // 45 rows: five groups of eight, one of four and one row alone; 83 inputs: whole vectors and a scalar tail.
        const int m = 5, n = 45, k = 83;
        var random = new DeterministicRandom(6);
        var x = ToFloat(Fill(random, m * k));
        var w = ToFloat(Fill(random, n * k));
        var b = ToFloat(Fill(random, n));
        var batch = new float[m * n];
        DenseKernels.Forward<float>(bits, x, k, w, b, batch, n, m, n, k);
        for (int s = 0; s < m; s++)
        {
            var single = new float[n];
            DenseKernels.Forward<float>(bits, x.AsSpan(s * k, k), k, w, b, single, n, 1, n, k);
            Assert.Equal(batch.AsSpan(s * n, n).ToArray(), single);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void TransposeMovesEveryElement(int bits)
    {
        // Full 16 x 16 register blocks, their edges on either side, and shapes with no full block at all.
        foreach (var (rows, columns) in new[] { (1, 1), (3, 5), (16, 16), (17, 33), (32, 15), (15, 32), (48, 40), (512, 784) })
        {
            var source = Enumerable.Range(0, rows * columns).Select(v => (float)v).ToArray();
            var target = new float[rows * columns];
            DenseKernels.Transpose<float>(bits, source, rows, columns, target);
            for (int j = 0; j < rows; j++)
            {
                for (int i = 0; i < columns; i++)
                {
                    Assert.True(target[(i * rows) + j] == source[(j * columns) + i], $"{rows} x {columns}: element ({j}, {i}) moved to the wrong place");
                }
            }
        }
    }

    [Fact]
    public void ThePublicKernelsRunTheProcessWidth()
    {
        // The public entry points dispatch on VectorWidth.Bits: bit for bit the same as asking for that width.
        const int m = 130, n = 70, k = 50;
        var random = new DeterministicRandom(5);
        var x = ToFloat(Fill(random, m * k));
        var w = ToFloat(Fill(random, n * k));
        var b = ToFloat(Fill(random, n));
        var viaPublic = new float[m * n];
        var viaWidth = new float[m * n];
        DenseKernels.Forward<float>(x, k, w, b, viaPublic, n, m, n, k);
        DenseKernels.Forward<float>(VectorWidth.Bits, x, k, w, b, viaWidth, n, m, n, k);
        Assert.Equal(viaWidth, viaPublic);
    }

    [Theory]
    [InlineData(512, null, 512)]
    [InlineData(512, "", 512)]
    [InlineData(512, "256", 256)]
    [InlineData(512, " 128 ", 128)]
    [InlineData(256, "512", 256)]
    [InlineData(256, "128", 128)]
    [InlineData(128, "256", 128)]
    public void TheWidthIsTheHardwareWidthCappedByTheVariable(int hardware, string? limit, int expected)
    {
        Assert.Equal(expected, VectorWidth.Choose(hardware, limit));
    }

    [Fact]
    public void AnInvalidWidthLimitNamesTheVariableAndTheValidValues()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorWidth.Choose(512, "300"));
        Assert.Equal("NETGEN_MAX_VECTOR_BITS is '300'; it must be 128, 256 or 512 (or unset for the widest the CPU accelerates). (Parameter 'limit')", error.Message);
    }

    [Fact]
    public void TheAvailableWidthsIncludeTheProcessWidth()
    {
        Assert.Contains(VectorWidth.Bits, VectorWidth.Available);
        Assert.Equal(128, VectorWidth.Available[0]);
    }

    [Fact]
    public void ShortBuffersAreRejectedWithTheirName()
    {
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<float>(new float[7], 4, new float[8], new float[2], new float[4], 2, 2, 2, 4));
        Assert.Equal("x", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<float>(new float[8], 4, new float[7], new float[2], new float[4], 2, 2, 2, 4));
        Assert.Equal("w", error.ParamName);
    }

    private static double[] Fill(DeterministicRandom random, int length) =>
        Enumerable.Range(0, length).Select(_ => random.NextDouble(-1, 1)).ToArray();

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12);
        }
    }
}
