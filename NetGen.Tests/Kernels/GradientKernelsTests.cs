namespace NetGen.Tests.Kernels;

/// <summary>
/// The trainer's fused divide-and-check against plain division and <see cref="float.IsFinite"/> element by element, at
/// every vector width this machine runs, over lengths that leave every remainder after the wide and the 128-bit vectors.
/// </summary>
public class GradientKernelsTests
{
    public static TheoryData<int, int> WidthsAndLengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (int length in new[] { 1, 3, 4, 9, 16, 19, 32, 33, 48, 49, 131 })
            {
                data.Add(bits, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void QuotientsAreThoseOfPlainDivisionAndFiniteValuesPass(int bits, int length)
    {
        var random = new DeterministicRandom(length);
        var source = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        foreach (float divisor in new[] { 1f, 3f, 16f, 0.1f })
        {
            var destination = new float[length];
            Assert.True(GradientKernels.DivideAndCheckFinite<float>(bits, source, divisor, destination));
            for (int i = 0; i < length; i++)
            {
                float expected = source[i] / divisor;
                Assert.True(expected.Equals(destination[i]), $"element {i}: expected {expected}, got {destination[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void InPlaceEachValueIsDividedOnce(int bits, int length)
    {
        // The last vector overlaps the ones before it when the length is not a multiple of the width: dividing any value
        // twice would show as a ninth instead of a third.
        var random = new DeterministicRandom(length + 2);
        var original = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        foreach (float divisor in new[] { 3f, 4f })
        {
            var values = original.ToArray();
            Assert.True(GradientKernels.DivideAndCheckFinite<float>(bits, values, divisor, values));
            Assert.Equal(original.Select(v => v / divisor), values);
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void PowersOfTwoGiveTheQuotientsOfDivisionEvenWhereTheyRoundToSubnormals(int bits, int length)
    {
        // A power-of-two divisor is applied as a multiplication by its exact reciprocal: the same correctly rounded real
        // number, so the same bits, including quotients that round into the subnormal range or overflow, and the sign of zero;
        // a subnormal 2^-127 multiplies by 2^127, while 2^-149's reciprocal overflows and it divides.
        float[] special = [float.Epsilon, -float.Epsilon, 3 * float.Epsilon, 1.5e-38f, -0f, float.MaxValue, 7e-39f, 1.0000001f];
        var random = new DeterministicRandom(length + 1);
        var source = Enumerable.Range(0, length).Select(i => i < special.Length ? special[i] : (float)((random.NextDouble() * 2) - 1) * 1e-36f).ToArray();
        foreach (float divisor in new[] { 2f, 16f, 256f, 0.5f, 0.125f, MathF.ScaleB(1, 100), MathF.ScaleB(1, 127), MathF.ScaleB(1, -126), MathF.ScaleB(1, -127), float.Epsilon, 3f })
        {
            var destination = new float[length];
            GradientKernels.DivideAndCheckFinite<float>(bits, source, divisor, destination);
            for (int i = 0; i < length; i++)
            {
                float expected = source[i] / divisor;
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(destination[i]), $"{source[i]:R} / {divisor:R}: expected {expected:R}, got {destination[i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void OneNonFiniteValueAnywhereFailsTheCheck(int bits, int length)
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int position = 0; position < length; position++)
            {
                var source = Enumerable.Repeat(0.5f, length).ToArray();
                source[position] = bad;
                var destination = new float[length];
                Assert.False(GradientKernels.DivideAndCheckFinite<float>(bits, source, 2f, destination), $"{bad} at {position} of {length}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void LargeFiniteValuesWhoseSumOverflowsPassButAQuotientThatOverflowsFails(int bits, int length)
    {
        var source = Enumerable.Repeat(float.MaxValue, length).ToArray();
        var destination = new float[length];
        Assert.True(GradientKernels.DivideAndCheckFinite<float>(bits, source, 1f, destination));
        Assert.Equal(float.MaxValue, destination[^1]);
        Assert.False(GradientKernels.DivideAndCheckFinite<float>(bits, source, 0.5f, destination));
    }

    [Fact]
    public void DoublesAreDividedAndCheckedToo()
    {
        double[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var destination = new double[9];
        Assert.True(GradientKernels.DivideAndCheckFinite<double>(source, 4, destination));
        Assert.Equal(source.Select(v => v / 4), destination);
        source[8] = double.NaN;
        Assert.False(GradientKernels.DivideAndCheckFinite<double>(source, 4, destination));
    }

    /// <summary>Every element of the span becomes +0 and nothing around it changes, for small lengths (vector stores) and past 16 KB (<c>Span.Clear</c>).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(19)]
    [InlineData(131)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(10_000)]
    public void ClearZeroesExactlyTheSpan(int length)
    {
        var buffer = Enumerable.Repeat(float.NaN, length + 2).ToArray();
        GradientKernels.Clear<float>(buffer.AsSpan(1, length));
        Assert.True(float.IsNaN(buffer[0]));
        Assert.True(float.IsNaN(buffer[length + 1]));
        Assert.All(buffer.Skip(1).Take(length), value => Assert.Equal(0, BitConverter.SingleToInt32Bits(value)));

        var doubles = Enumerable.Repeat(-1.5, length + 1).ToArray();
        GradientKernels.Clear<double>(doubles.AsSpan(0, length));
        Assert.All(doubles.Take(length), value => Assert.Equal(0, BitConverter.DoubleToInt64Bits(value)));
        Assert.Equal(-1.5, doubles[length]);
    }
}
