using NetGen.CompilerServices;

namespace NetGen.Benchmarks;

/// <summary>
/// `tanh-accuracy`: the float tanh kernel on every one of the 2^32 bit patterns (or every <c>--stride</c>-th) at the
/// process's vector width, against double <see cref="Math.Tanh(double)"/> rounded to float: the largest distance in
/// ulp, where, and how many results lie 0, 1, 2, ... ulp away; results of the wrong sign and NaN mismatches apart.
/// The test suite sweeps every 256th pattern; this is the full sweep its documentation quotes (about 30 s).
/// </summary>
internal static class TanhAccuracy
{
    public static int Run(string[] args)
    {
        uint stride = (uint)BenchmarkOptions.WholeNumber(args, "--stride", "floats", fallback: 1);
        const int Chunk = 1 << 20;
        var z = new float[Chunk];
        var a = new float[Chunk];
        var histogram = new long[4];
        long worst = 0, wrongSign = 0, nanMismatch = 0;
        float worstAt = 0;
        for (ulong start = 0; start < 1UL << 32; start += (ulong)Chunk * stride)
        {
            int count = (int)Math.Min(Chunk, (((1UL << 32) - start) + stride - 1) / stride);
            for (int i = 0; i < count; i++)
            {
                z[i] = BitConverter.UInt32BitsToSingle((uint)(start + ((ulong)i * stride)));
            }

            ActivationKernels.Tanh<float>(z.AsSpan(0, count), a.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                float expected = (float)Math.Tanh(z[i]);
                if (float.IsNaN(expected) || float.IsNaN(a[i]))
                {
                    nanMismatch += float.IsNaN(expected) == float.IsNaN(a[i]) ? 0 : 1;
                    continue;
                }

                if (float.IsNegative(expected) != float.IsNegative(a[i]))
                {
                    wrongSign++;
                    continue;
                }

                long ulp = Math.Abs((long)Ordinal(expected) - Ordinal(a[i]));
                histogram[Math.Min(ulp, histogram.Length - 1)]++;
                if (ulp > worst)
                {
                    (worst, worstAt) = (ulp, z[i]);
                }
            }
        }

        Console.WriteLine($"float tanh at {VectorWidth.Bits} bits, {(stride == 1 ? "all 2^32 bit patterns" : $"one bit pattern in {stride}")}: at most {worst} ulp (tanh({worstAt:R}) = {FloatTanh.Tanh(worstAt):R}, correctly rounded {(float)Math.Tanh(worstAt):R})");
        Console.WriteLine($"0 / 1 / 2 / 3+ ulp: {string.Join(" / ", histogram)}; wrong sign {wrongSign}; NaN mismatches {nanMismatch}");
        return worst <= 2 && wrongSign == 0 && nanMismatch == 0 ? 0 : 1;
    }

    private static int Ordinal(float f)
    {
        int i = BitConverter.SingleToInt32Bits(f);
        return i < 0 ? int.MinValue - i : i;
    }
}
