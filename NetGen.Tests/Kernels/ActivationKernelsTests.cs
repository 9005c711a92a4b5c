using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The rectifier kernels against their definition element by element, at every vector width this machine runs,
/// over lengths that leave every remainder after the vectors, with zero, negative, infinite and NaN inputs.
/// </summary>
public class ActivationKernelsTests
{
    private static readonly float[] s_specials = [0f, -0f, 1f, -1f, 2.5f, -3.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon];

    public static TheoryData<int, int> WidthsAndLengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (int length in new[] { 1, 7, 16, 33, 64, 100 })
            {
                data.Add(bits, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void RectifierIsMaxOrSlopeTimesInput(int bits, int length)
    {
        var x = Values(length, seed: length);
        foreach (float slope in new[] { 0f, 0.01f })
        {
            var y = new float[length];
            ActivationKernels.Rectifier<float>(bits, x, slope, y);
            for (int i = 0; i < length; i++)
            {
                float expected = x[i] > 0 ? x[i] : slope == 0 ? 0f : slope * x[i];
                Assert.True(expected.Equals(y[i]), $"slope {slope}, x = {x[i]}: expected {expected}, got {y[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void RectifierDerivativePassesTheUpstreamGradientWhereTheInputIsPositive(int bits, int length)
    {
        var z = Values(length, seed: length);
        var upstream = Values(length, seed: length + 1);
        var before = Values(length, seed: length + 2).Select(v => float.IsFinite(v) ? v : 1f).ToArray();
        foreach (float slope in new[] { 0f, 0.01f })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                var dz = (float[])before.Clone();
                ActivationKernels.RectifierDerivative<float>(bits, z, upstream, slope, dz, accumulate);
                for (int i = 0; i < length; i++)
                {
                    // As generated scalar code writes it: z > 0 ? da : 0 (so an infinite upstream value where z <= 0 gives 0, not NaN).
                    float d = z[i] > 0 ? upstream[i] : slope == 0 ? 0f : slope * upstream[i];
                    float expected = accumulate ? before[i] + d : d;
                    Assert.True(expected.Equals(dz[i]), $"slope {slope}, accumulate {accumulate}, z = {z[i]}, da = {upstream[i]}: expected {expected}, got {dz[i]}");
                }
            }
        }
    }

    [Fact]
    public void BuffersOfAnotherLengthAreRejectedWithTheirName()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationKernels.RectifierDerivative<float>(new float[4], new float[3], 0f, new float[4], accumulate: false));
        Assert.Equal("upstream", error.ParamName);
        Assert.Equal("'upstream' has 3 elements; the activation's input has 4. (Parameter 'upstream')", error.Message);
        error = Assert.Throws<ArgumentException>(() => ActivationKernels.Rectifier<float>(new float[4], 0f, new float[5]));
        Assert.Equal("y", error.ParamName);
    }

    private static float[] Values(int length, int seed)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, length)
            .Select(i => i % 3 == 0 ? s_specials[(i / 3 + seed) % s_specials.Length] : (float)random.NextDouble(-2, 2))
            .ToArray();
    }

    public static TheoryData<int, int> WidthsAndTanhLengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (int length in new[] { 1, 3, 4, 7, 8, 15, 16, 17, 33, 100 })
            {
                data.Add(bits, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndTanhLengths))]
    public void TanhHasTensorPrimitivesBitsInFloat(int bits, int length)
    {
        // The dynamic graph calls TensorPrimitives.Tanh over the whole batch; generated code calls this kernel per sample.
        // (For double the kernel is TensorPrimitives.Tanh itself, whose double results here even depend on where the
        // destination is in memory, so there is no formula of its to match.)
        for (int seed = 0; seed < 20; seed++)
        {
            var z = Values(length, seed).Select(v => (seed % 2 == 0 ? 8f : 1e-3f) * v).ToArray();
            var expected = new float[length];
            System.Numerics.Tensors.TensorPrimitives.Tanh<float>(z, expected);
            var actual = new float[length];
            ActivationKernels.Tanh<float>(bits, z, actual);
            for (int i = 0; i < length; i++)
            {
                Assert.True(expected[i].Equals(actual[i]) && float.IsNegative(expected[i]) == float.IsNegative(actual[i]), $"tanh({z[i]}): TensorPrimitives {expected[i]}, kernel {actual[i]}");
            }

            // In place, as the kernel's overlapping last vector must allow.
            ActivationKernels.Tanh<float>(bits, z, z);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), z.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void TanhDerivativeIsUpstreamTimesOneMinusTheOutputSquared(int bits, int length)
    {
        var a = Values(length, seed: length).Select(v => float.IsFinite(v) ? v / 2 : 0.25f).ToArray();
        var upstream = Values(length, seed: length + 1);
        var before = Values(length, seed: length + 2).Select(v => float.IsFinite(v) ? v : 1f).ToArray();
        foreach (bool accumulate in new[] { false, true })
        {
            var dz = (float[])before.Clone();
            ActivationKernels.TanhDerivative<float>(bits, a, upstream, dz, accumulate);
            for (int i = 0; i < length; i++)
            {
                // As generated scalar code writes it: dz = da * (1 - a * a).
                float d = upstream[i] * (1f - (a[i] * a[i]));
                float expected = accumulate ? before[i] + d : d;
                Assert.True(expected.Equals(dz[i]), $"a = {a[i]}, da = {upstream[i]}, accumulate {accumulate}: expected {expected}, got {dz[i]}");
            }
        }
    }
}
