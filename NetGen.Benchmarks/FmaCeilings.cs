using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Benchmarks;

/// <summary>
/// The machine's single-thread peak of float fused multiply-adds per vector width, measured rather than taken
/// from a data sheet (turbo, AVX-512 frequency offsets and the number of FMA units differ between CPUs): the
/// yardstick the kernels' GFLOP/s are read against, so figures from different machines compare.
/// </summary>
internal static class FmaCeilings
{
    /// <summary>
    /// Independent accumulator chains: enough to cover the FMA latency (4 cycles) times the FMA units (2) with
    /// room to spare, and few enough to stay in registers (16 of AVX2's 16 and AVX-512's 32).
    /// </summary>
    public const int Chains = 12;

    private const int Iterations = 1 << 20;

    /// <summary>GFLOP/s by vector width in bits, for the widths the runtime accelerates here.</summary>
    public static Dictionary<int, double> Measure(double seconds)
    {
        var result = new Dictionary<int, double>();
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            result[256] = Rate(Chains256, Vector256<float>.Count, seconds);
        }

        if (Vector512.IsHardwareAccelerated)
        {
            result[512] = Rate(Chains512, Vector512<float>.Count, seconds);
        }

        return result;
    }

    /// <summary>
    /// GB/s of one thread reading a buffer of <paramref name="floats"/> floats over and over (widest vectors, eight
    /// independent sums, so only the loads limit it): with a buffer the size of a layer's weights that stays in L2, the rate a single-sample
    /// prediction can stream its weights at, since each weight is used once per sample.
    /// </summary>
    public static double ReadRate(int floats, double seconds)
    {
        // Line-aligned (pinned, from the first element on a 64-byte boundary), as a weight matrix read a line at a time is:
        // a 64-byte load straddling two lines costs two reads (75 GB/s against 133 GB/s here, 16 bytes off).
        var storage = GC.AllocateArray<float>(floats + 16, pinned: true);
        int offset = (int)((64 - (System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0) & 63)) & 63) / sizeof(float);
        var buffer = new ArraySegment<float>(storage, offset, floats);
        buffer.AsSpan().Fill(1e-3f);
        float sink = 0;
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 0.3)
        {
            sink += ReadAll(buffer);
        }

        long rounds = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            sink += ReadAll(buffer);
            rounds++;
        }

        GC.KeepAlive(sink);
        return rounds * (double)floats * sizeof(float) / clock.Elapsed.TotalSeconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float ReadAll(ArraySegment<float> buffer)
    {
        ref float start = ref buffer.Array![buffer.Offset];
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (; i + (8 * 16) <= buffer.Count; i += 8 * 16)
            {
                s0 += Vector512.LoadUnsafe(ref start, (nuint)i); s1 += Vector512.LoadUnsafe(ref start, (nuint)(i + 16));
                s2 += Vector512.LoadUnsafe(ref start, (nuint)(i + 32)); s3 += Vector512.LoadUnsafe(ref start, (nuint)(i + 48));
                s4 += Vector512.LoadUnsafe(ref start, (nuint)(i + 64)); s5 += Vector512.LoadUnsafe(ref start, (nuint)(i + 80));
                s6 += Vector512.LoadUnsafe(ref start, (nuint)(i + 96)); s7 += Vector512.LoadUnsafe(ref start, (nuint)(i + 112));
            }

            return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
        }

        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default, t6 = default, t7 = default;
        for (; i + (8 * 8) <= buffer.Count; i += 8 * 8)
        {
            t0 += Vector256.LoadUnsafe(ref start, (nuint)i); t1 += Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            t2 += Vector256.LoadUnsafe(ref start, (nuint)(i + 16)); t3 += Vector256.LoadUnsafe(ref start, (nuint)(i + 24));
            t4 += Vector256.LoadUnsafe(ref start, (nuint)(i + 32)); t5 += Vector256.LoadUnsafe(ref start, (nuint)(i + 40));
            t6 += Vector256.LoadUnsafe(ref start, (nuint)(i + 48)); t7 += Vector256.LoadUnsafe(ref start, (nuint)(i + 56));
        }

        return Vector256.Sum(t0 + t1 + t2 + t3 + t4 + t5 + t6 + t7);
    }

    private static double Rate(Func<int, float> run, int lanes, double seconds)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 0.3)
        {
            run(Iterations);
        }

        long rounds = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            run(Iterations);
            rounds++;
        }

        // Two floating-point operations per lane per FMA.
        return rounds * (double)Iterations * Chains * lanes * 2 / clock.Elapsed.TotalSeconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains256(int iterations)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains512(int iterations)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
