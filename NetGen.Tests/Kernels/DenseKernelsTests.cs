namespace NetGen.Tests.Kernels;

/// <summary>
/// The blocked kernels against the textbook triple loops, over shapes that hit every tile remainder, both
/// block sizes (128 samples for dW, 128 weight rows for dX), and both the packed and the unpacked paths.
/// </summary>
public class DenseKernelsTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 2, 4, 8 }, { 3, 5, 7 }, { 4, 4, 16 }, { 5, 9, 33 }, { 7, 13, 64 }, { 9, 3, 100 }, { 16, 10, 784 },
        { 17, 16, 16 }, { 130, 21, 39 }, { 20, 133, 45 }, { 257, 18, 6 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesTheDefinition(int m, int n, int k)
    {
        var random = new DeterministicRandom(m * 1000 + n * 10 + k);
        int xStride = k + 3, zStride = n + 2;
        var x = Fill(random, m * xStride);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var z = new double[m * zStride];
        DenseKernels.Forward<double>(x, xStride, w, b, z, zStride, m, n, k);

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
    [MemberData(nameof(Shapes))]
    public void WeightGradientMatchesTheDefinition(int m, int n, int k)
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

        DenseKernels.AccumulateWeightGradient<double>(dz, dzStride, x, xStride, dw, db, m, n, k);
        AssertClose(dwExpected, dw);
        AssertClose(dbExpected, db);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InputGradientMatchesTheDefinition(int m, int n, int k)
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

            DenseKernels.InputGradient<double>(dz, dzStride, w, dx, dxStride, m, n, k, accumulate);
            AssertClose(expected, dx);
        }
    }

    [Fact]
    public void FloatKernelsAgreeWithDouble()
    {
        const int m = 6, n = 11, k = 50;
        var random = new DeterministicRandom(3);
        var x = Fill(random, m * k);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var z = new double[m * n];
        var zf = new float[m * n];
        DenseKernels.Forward<double>(x, k, w, b, z, n, m, n, k);
        DenseKernels.Forward<float>(ToFloat(x), k, ToFloat(w), ToFloat(b), zf, n, m, n, k);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(z[i], zf[i], 1e-4);
        }
    }

    [Fact]
    public void FloatBackwardKernelsAgreeWithDouble()
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
        DenseKernels.AccumulateWeightGradient<double>(dz, n, x, k, dw, db, m, n, k);
        DenseKernels.AccumulateWeightGradient<float>(ToFloat(dz), n, ToFloat(x), k, dwf, dbf, m, n, k);
        DenseKernels.InputGradient<double>(dz, n, w, dx, k, m, n, k);
        DenseKernels.InputGradient<float>(ToFloat(dz), n, ToFloat(w), dxf, k, m, n, k);
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
