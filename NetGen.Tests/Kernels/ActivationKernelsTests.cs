using System.Runtime.InteropServices;
using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The rectifier and tanh kernels against their definitions element by element, at every vector width this machine runs,
/// over lengths that leave every remainder after the vectors, with zero, negative, infinite and NaN inputs; float tanh
/// also against double tanh rounded to float, and for the same bits at every width and length.
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
    public void TanhGivesEachFloatTheSameBitsAtEveryWidthAndLength(int bits, int length)
    {
        // The dynamic graph calls the kernel over the whole batch and generated code per sample, at whatever width the
        // process chose: an element's bits must depend on its value alone, not on the width, the span's length or
        // whether it fell in the overlapping last vector. The reference is the formula in one lane.
        for (int seed = 0; seed < 20; seed++)
        {
            var z = Values(length, seed).Select(v => (seed % 2 == 0 ? 8f : 1e-3f) * v).ToArray();
            var expected = z.Select(FloatTanh.Tanh).ToArray();
            var actual = new float[length];
            ActivationKernels.Tanh<float>(bits, z, actual);
            for (int i = 0; i < length; i++)
            {
                Assert.True(Bits(expected[i]) == Bits(actual[i]), $"tanh({z[i]}): one lane {expected[i]}, kernel {actual[i]}");
            }

            // In place, as the kernel's overlapping last vector must allow.
            ActivationKernels.Tanh<float>(bits, z, z);
            Assert.Equal(expected.Select(Bits), z.Select(Bits));
        }
    }

    [Fact]
    public void TanhIsWithinTwoUlpOfTheCorrectlyRoundedValueOnEvery256thFloat()
    {
        // Every 256th bit pattern (2^24 floats of every exponent and sign, NaNs included) at every width, against double
        // tanh rounded to float. The same sweep over all 2^32 patterns measured at most 1 ulp.
        const int Chunk = 1 << 16;
        var z = new float[Chunk];
        var widest = new float[Chunk];
        var other = new float[Chunk];
        long worst = 0;
        float worstAt = 0;
        for (long start = 0; start < 1L << 32; start += 256L * Chunk)
        {
            for (int i = 0; i < Chunk; i++)
            {
                z[i] = BitConverter.UInt32BitsToSingle((uint)(start + (256L * i) + (i % 251)));
            }

            ActivationKernels.Tanh<float>(VectorWidth.HardwareBits, z, widest);
            for (int i = 0; i < Chunk; i++)
            {
                long ulp = UlpFromCorrectlyRounded(z[i], widest[i]);
                if (ulp > worst)
                {
                    (worst, worstAt) = (ulp, z[i]);
                }
            }

            foreach (int bits in VectorWidth.Available.Where(bits => bits != VectorWidth.HardwareBits))
            {
                ActivationKernels.Tanh<float>(bits, z, other);
                Assert.Equal(widest.Select(Bits), other.Select(Bits));
            }
        }

        Assert.True(worst <= 2, $"tanh({worstAt:R}) is {worst} ulp from the correctly rounded {(float)Math.Tanh(worstAt):R}");
    }

    [Fact]
    public void TanhIsWithinTwoUlpAroundItsBranchPointsAndLimits()
    {
        // Densely around where the formula changes branch, where the exponent of the result changes, where float tanh
        // becomes 1 and where the clamp starts, and at the ends of the float range.
        var z = new List<float>();
        foreach (float around in new[] { FloatTanh.Threshold, 0.5493061f, 9.010913f, 10f, 1f, 2f, 1e-4f, 2.4e-4f, float.MaxValue, float.Epsilon * 8, 1.1754944e-38f })
        {
            int center = BitConverter.SingleToInt32Bits(around);
            for (int d = -2000; d <= 2000; d++)
            {
                long b = (long)center + d;
                if (b is >= 0 and <= 0x7F7F_FFFF)
                {
                    float v = BitConverter.Int32BitsToSingle((int)b);
                    z.Add(v);
                    z.Add(-v);
                }
            }
        }

        var a = new float[z.Count];
        ActivationKernels.Tanh<float>(CollectionsMarshal.AsSpan(z), a);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(UlpFromCorrectlyRounded(z[i], a[i]) <= 2, $"tanh({z[i]:R}) = {a[i]:R}, correctly rounded {(float)Math.Tanh(z[i]):R}");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndTanhLengths))]
    public void TanhKeepsZerosSignsInfinitiesNaNAndTinyValues(int bits, int length)
    {
        float[] cases = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, 9.1f, -9.1f, 10f, 50f, -1e30f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 1e-30f, -1.1754944e-38f, 1e-5f, -2e-4f];
        float[] expected = [0f, -0f, 1f, -1f, float.NaN, float.NaN, 1f, -1f, 1f, 1f, -1f, 1f, -1f, float.Epsilon, -float.Epsilon, 1e-30f, -1.1754944e-38f, 1e-5f, -2e-4f];
        var z = Enumerable.Range(0, length).Select(i => cases[i % cases.Length]).ToArray();
        var a = new float[length];
        ActivationKernels.Tanh<float>(bits, z, a);
        for (int i = 0; i < length; i++)
        {
            float e = expected[i % cases.Length];
            bool same = float.IsNaN(e) ? float.IsNaN(a[i]) : Bits(e) == Bits(a[i]);
            Assert.True(same, $"tanh({z[i]:R}): expected {e:R}, got {a[i]:R}");
        }
    }

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);

    /// <summary>How many floats lie between the result and double tanh rounded to float (0 for NaN from NaN; ±0 count as one value here, their signs are tested apart).</summary>
    private static long UlpFromCorrectlyRounded(float z, float actual)
    {
        float expected = (float)Math.Tanh(z);
        if (float.IsNaN(expected) || float.IsNaN(actual))
        {
            return float.IsNaN(expected) && float.IsNaN(actual) ? 0 : long.MaxValue;
        }

        return Math.Abs((long)Ordinal(expected) - Ordinal(actual));

        static int Ordinal(float f)
        {
            int i = BitConverter.SingleToInt32Bits(f);
            return i < 0 ? int.MinValue - i : i;
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
