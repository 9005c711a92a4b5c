using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NetGen.CompilerServices;

/// <summary>
/// The forward product of one sample (a prediction), apart from the batched products: each weight is read once,
/// so this path is bound by how fast the weights stream from cache, not by arithmetic.
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
    /// Whether <see cref="Dot1x8"/> prefetches its rows: with 64-byte vectors (one cache line per row and step) on x86.
    /// With narrower vectors a step reads part of a line, and the loads alone were as fast.
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
    private static void Dot1x8(ref T x, ref T w, int k, out DenseKernels.Tile8<T> result)
    {
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

    /// <summary>Four dot products of one sample x against rows w, w+k, w+2k, w+3k.</summary>
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
