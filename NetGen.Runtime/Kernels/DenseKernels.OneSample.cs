using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.CompilerServices;

/// <summary>
/// The forward product of one sample (a prediction), apart from the batched products: each weight is read once,
/// so this path is bound by how fast the weights stream from cache, not by arithmetic. Its loops are compiled fully
/// optimized at their first call (<c>AggressiveOptimization</c>): as tier-0 code a W3 prediction took 38 µs instead of
/// about 4 for the first thousands of calls, since one prediction's loops are too short to trigger on-stack replacement.
/// </summary>
internal static partial class DenseKernels<T, TOps, TVector>
{
    /// <summary>
    /// <c>z[j] = b[j] + Σ_i x[i] w[j, i]</c> for one sample (a prediction): eight rows at a time, so eight
    /// independent chains of fused multiply-adds cover the FMA latency (four rows left the units half idle) and
    /// each x vector is loaded once for eight rows. Each row's dot product is formed exactly as in the tiles of
    /// several samples (one vector accumulator over the inputs, then its horizontal sum), so a sample's result
    /// does not depend on the batch it came in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardOneSample(ref T x, ref T w, ref T b, ref T z, int n, int k)
    {
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            Dot1x8(ref x, ref Unsafe.Add(ref w, j * k), k, out var d);
            for (int r = 0; r < 8; r++)
            {
                Unsafe.Add(ref z, j + r) = Unsafe.Add(ref b, j + r) + d[r];
            }
        }

        for (; j + 4 <= n; j += 4)
        {
            Dot1x4(ref x, ref Unsafe.Add(ref w, j * k), k, out var d);
            for (int r = 0; r < 4; r++)
            {
                Unsafe.Add(ref z, j + r) = Unsafe.Add(ref b, j + r) + d[r];
            }
        }

        for (; j < n; j++)
        {
            Unsafe.Add(ref z, j) = Unsafe.Add(ref b, j) + Dot(ref x, ref Unsafe.Add(ref w, j * k), k);
        }
    }

    /// <summary>
    /// Whether <see cref="Dot1x8"/> prefetches its rows, and the blocked product the block of C each register tile adds to:
    /// with 64-byte vectors (one cache line per row and step) on x86. With narrower vectors a step reads part of a line,
    /// and the loads alone were as fast.
    /// </summary>
    private static bool PrefetchesRows => Sse.IsSupported && TOps.Count * Unsafe.SizeOf<T>() == 64;

    /// <summary>How far ahead of the loads <see cref="Dot1x8"/> prefetches, in elements: eight cache lines (512 bytes).</summary>
    private static int PrefetchDistance => 512 / Unsafe.SizeOf<T>();

    /// <summary>
    /// A hint to load the line holding <paramref name="element"/> into L1. A prefetch never faults, so an address past the
    /// end of the weights (the last rows' lookahead), or one the garbage collector has since moved, costs nothing but the hint.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref T element) => Sse.Prefetch0(Unsafe.AsPointer(ref element));

    /// <summary>Eight dot products of one sample x against rows w, w+k, ..., w+7k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot1x8(ref T x, ref T w, int k, out DenseKernels.Tile8<T> result)
    {
        if (typeof(T) == typeof(float) && typeof(TVector) == typeof(Vector512<float>) && Avx512F.IsSupported && k % 16 == 0)
        {
            nint misalignment = (nint)Unsafe.AsPointer(ref w) & 63;
            if (misalignment != 0 && (misalignment & 3) == 0)
            {
                Dot1x8FromAlignedLines(ref Unsafe.As<T, float>(ref x), ref Unsafe.As<T, float>(ref w), k, (int)(misalignment / 4), out var sums);
                result = Unsafe.As<DenseKernels.Tile8<float>, DenseKernels.Tile8<T>>(ref sums);
                return;
            }
        }

        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        ref T w4 = ref Unsafe.Add(ref w3, k);
        ref T w5 = ref Unsafe.Add(ref w4, k);
        ref T w6 = ref Unsafe.Add(ref w5, k);
        ref T w7 = ref Unsafe.Add(ref w6, k);
        var c0 = TOps.Zero; var c1 = TOps.Zero; var c2 = TOps.Zero; var c3 = TOps.Zero;
        var c4 = TOps.Zero; var c5 = TOps.Zero; var c6 = TOps.Zero; var c7 = TOps.Zero;
        int width = TOps.Count;
        int i = 0;
        int ahead = PrefetchDistance;
        for (; i + width <= k; i += width)
        {
            if (PrefetchesRows)
            {
                // One cache line of each row, eight lines ahead of the loads: the eight streams come from L2, and
                // asking for their lines early raised one prediction through W3 by 10-15%.
                Prefetch(ref Unsafe.Add(ref w, i + ahead));
                Prefetch(ref Unsafe.Add(ref w1, i + ahead));
                Prefetch(ref Unsafe.Add(ref w2, i + ahead));
                Prefetch(ref Unsafe.Add(ref w3, i + ahead));
                Prefetch(ref Unsafe.Add(ref w4, i + ahead));
                Prefetch(ref Unsafe.Add(ref w5, i + ahead));
                Prefetch(ref Unsafe.Add(ref w6, i + ahead));
                Prefetch(ref Unsafe.Add(ref w7, i + ahead));
            }

            var a = TOps.Load(ref x, i);
            c0 = TOps.Fma(a, TOps.Load(ref w, i), c0);
            c1 = TOps.Fma(a, TOps.Load(ref w1, i), c1);
            c2 = TOps.Fma(a, TOps.Load(ref w2, i), c2);
            c3 = TOps.Fma(a, TOps.Load(ref w3, i), c3);
            c4 = TOps.Fma(a, TOps.Load(ref w4, i), c4);
            c5 = TOps.Fma(a, TOps.Load(ref w5, i), c5);
            c6 = TOps.Fma(a, TOps.Load(ref w6, i), c6);
            c7 = TOps.Fma(a, TOps.Load(ref w7, i), c7);
        }

        result = default;
        result[0] = TOps.Sum(c0); result[1] = TOps.Sum(c1); result[2] = TOps.Sum(c2); result[3] = TOps.Sum(c3);
        result[4] = TOps.Sum(c4); result[5] = TOps.Sum(c5); result[6] = TOps.Sum(c6); result[7] = TOps.Sum(c7);
        for (; i < k; i++)
        {
            T a = Unsafe.Add(ref x, i);
            result[0] += a * Unsafe.Add(ref w, i);
            result[1] += a * Unsafe.Add(ref w1, i);
            result[2] += a * Unsafe.Add(ref w2, i);
            result[3] += a * Unsafe.Add(ref w3, i);
            result[4] += a * Unsafe.Add(ref w4, i);
            result[5] += a * Unsafe.Add(ref w5, i);
            result[6] += a * Unsafe.Add(ref w6, i);
            result[7] += a * Unsafe.Add(ref w7, i);
        }
    }

    /// <summary>
    /// <see cref="Dot1x8"/> for float rows of 512-bit vectors that start
    /// <paramref name="misalignment"/> floats past a cache line (the same for all eight: k is a multiple of 16). A
    /// 64-byte load that straddles two lines costs two of L1's reads: one thread read W3's 0.4 MB of weights from L2
    /// at 75 GB/s that way against 133 GB/s on line-aligned addresses. So each row is read a whole line at a time
    /// and every vector of the row is put together from two consecutive lines (one two-source permute, kept from the
    /// last step), the same sixteen weights in the same lanes as the straddling load: the same FMAs, the same bits.
    /// Every line read holds at least one weight of the row (the rows are not line-aligned), so none is past the
    /// weights' memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x8FromAlignedLines(ref float x, ref float w, int k, int misalignment, out DenseKernels.Tile8<float> result)
    {
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector512.Create(misalignment);
        ref float line0 = ref Unsafe.Subtract(ref w, misalignment);
        ref float line1 = ref Unsafe.Add(ref line0, k);
        ref float line2 = ref Unsafe.Add(ref line1, k);
        ref float line3 = ref Unsafe.Add(ref line2, k);
        ref float line4 = ref Unsafe.Add(ref line3, k);
        ref float line5 = ref Unsafe.Add(ref line4, k);
        ref float line6 = ref Unsafe.Add(ref line5, k);
        ref float line7 = ref Unsafe.Add(ref line6, k);
        var l0 = Vector512.LoadUnsafe(ref line0); var l1 = Vector512.LoadUnsafe(ref line1);
        var l2 = Vector512.LoadUnsafe(ref line2); var l3 = Vector512.LoadUnsafe(ref line3);
        var l4 = Vector512.LoadUnsafe(ref line4); var l5 = Vector512.LoadUnsafe(ref line5);
        var l6 = Vector512.LoadUnsafe(ref line6); var l7 = Vector512.LoadUnsafe(ref line7);
        var c0 = Vector512<float>.Zero; var c1 = Vector512<float>.Zero; var c2 = Vector512<float>.Zero; var c3 = Vector512<float>.Zero;
        var c4 = Vector512<float>.Zero; var c5 = Vector512<float>.Zero; var c6 = Vector512<float>.Zero; var c7 = Vector512<float>.Zero;
        for (int i = 0; i < k; i += 16)
        {
            var a = Vector512.LoadUnsafe(ref x, (nuint)i);
            nuint next = (nuint)(i + 16);
            var h0 = Vector512.LoadUnsafe(ref line0, next);
            c0 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l0, lanes, h0), c0);
            l0 = h0;
            var h1 = Vector512.LoadUnsafe(ref line1, next);
            c1 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l1, lanes, h1), c1);
            l1 = h1;
            var h2 = Vector512.LoadUnsafe(ref line2, next);
            c2 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l2, lanes, h2), c2);
            l2 = h2;
            var h3 = Vector512.LoadUnsafe(ref line3, next);
            c3 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l3, lanes, h3), c3);
            l3 = h3;
            var h4 = Vector512.LoadUnsafe(ref line4, next);
            c4 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l4, lanes, h4), c4);
            l4 = h4;
            var h5 = Vector512.LoadUnsafe(ref line5, next);
            c5 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l5, lanes, h5), c5);
            l5 = h5;
            var h6 = Vector512.LoadUnsafe(ref line6, next);
            c6 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l6, lanes, h6), c6);
            l6 = h6;
            var h7 = Vector512.LoadUnsafe(ref line7, next);
            c7 = Avx512F.FusedMultiplyAdd(a, Avx512F.PermuteVar16x32x2(l7, lanes, h7), c7);
            l7 = h7;
        }

        // The horizontal sums of Vector512Ops (Vector512.Sum), as the general loop forms them.
        result = default;
        result[0] = Vector512.Sum(c0); result[1] = Vector512.Sum(c1); result[2] = Vector512.Sum(c2); result[3] = Vector512.Sum(c3);
        result[4] = Vector512.Sum(c4); result[5] = Vector512.Sum(c5); result[6] = Vector512.Sum(c6); result[7] = Vector512.Sum(c7);
    }

    /// <summary>Four dot products of one sample x against rows w, w+k, w+2k, w+3k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x4(ref T x, ref T w, int k, out DenseKernels.Tile8<T> result)
    {
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var c0 = TOps.Zero; var c1 = TOps.Zero; var c2 = TOps.Zero; var c3 = TOps.Zero;
        int width = TOps.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var a = TOps.Load(ref x, i);
            c0 = TOps.Fma(a, TOps.Load(ref w, i), c0);
            c1 = TOps.Fma(a, TOps.Load(ref w1, i), c1);
            c2 = TOps.Fma(a, TOps.Load(ref w2, i), c2);
            c3 = TOps.Fma(a, TOps.Load(ref w3, i), c3);
        }

        result = default;
        result[0] = TOps.Sum(c0); result[1] = TOps.Sum(c1); result[2] = TOps.Sum(c2); result[3] = TOps.Sum(c3);
        for (; i < k; i++)
        {
            T a = Unsafe.Add(ref x, i);
            result[0] += a * Unsafe.Add(ref w, i);
            result[1] += a * Unsafe.Add(ref w1, i);
            result[2] += a * Unsafe.Add(ref w2, i);
            result[3] += a * Unsafe.Add(ref w3, i);
        }
    }
}
