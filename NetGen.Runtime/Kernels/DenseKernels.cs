using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Register-blocked matrix kernels of a dense layer over a minibatch, the work of batched training:
/// the forward product <c>Z = X · Wᵀ + b</c>, the weight gradient <c>dW += dZᵀ · X</c> (with
/// <c>db += Σ dZ</c>) and the input gradient <c>dX = dZ · W</c>, all with <c>W</c> stored row-major as
/// [outputs x inputs] and no transposed copy. Rows of <c>X</c>, <c>Z</c>, <c>dZ</c> and <c>dX</c> may be
/// strided (one row per sample inside a larger per-sample buffer). Generated networks call these for
/// layers too large to unroll; so does the dynamic graph, so the two are compared on equal kernels.
/// </summary>
/// <remarks>
/// Each kernel keeps a tile of 4 x 4 outputs in <see cref="Vector{T}"/> registers (16 accumulators) so
/// every loaded vector feeds four fused multiply-adds, and the two backward products work in blocks whose
/// panel of operands stays in the L1 cache. Results depend only on the sizes, never on
/// the thread that runs them. Arguments are validated once per call; the loops then read without
/// bounds checks.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class DenseKernels
{
    /// <summary>
    /// <c>z[s, j] = b[j] + Σ_i x[s, i] w[j, i]</c> for <paramref name="m"/> samples, <paramref name="n"/> outputs
    /// and <paramref name="k"/> inputs.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckMatrix(z.Length, m, n, zStride, nameof(z));
        CheckLength(w.Length, n * k, nameof(w));
        CheckLength(b.Length, n, nameof(b));
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rz = ref MemoryMarshal.GetReference(z);

        // Rows of W outside, samples inside: a block of four rows (a few KB) stays in L1 while every sample
        // streams past it, instead of W (megabytes for wide layers) streaming from memory once per sample pair.
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref T rows = ref Unsafe.Add(ref rw, j * k);
            T b0 = Unsafe.Add(ref rb, j), b1 = Unsafe.Add(ref rb, j + 1), b2 = Unsafe.Add(ref rb, j + 2), b3 = Unsafe.Add(ref rb, j + 3);
            int s = 0;
            for (; s + 4 <= m; s += 4)
            {
                Dot4x4(ref Unsafe.Add(ref rx, s * xStride), xStride, ref rows, k, out var d);
                for (int r = 0; r < 4; r++)
                {
                    ref T zr = ref Unsafe.Add(ref rz, ((s + r) * zStride) + j);
                    zr = b0 + d[4 * r];
                    Unsafe.Add(ref zr, 1) = b1 + d[(4 * r) + 1];
                    Unsafe.Add(ref zr, 2) = b2 + d[(4 * r) + 2];
                    Unsafe.Add(ref zr, 3) = b3 + d[(4 * r) + 3];
                }
            }

            for (; s + 2 <= m; s += 2)
            {
                ref T z0 = ref Unsafe.Add(ref rz, (s * zStride) + j);
                ref T z1 = ref Unsafe.Add(ref rz, ((s + 1) * zStride) + j);
                Dot2x4(ref Unsafe.Add(ref rx, s * xStride), ref Unsafe.Add(ref rx, (s + 1) * xStride), ref rows, k, out var d);
                z0 = b0 + d[0]; Unsafe.Add(ref z0, 1) = b1 + d[1]; Unsafe.Add(ref z0, 2) = b2 + d[2]; Unsafe.Add(ref z0, 3) = b3 + d[3];
                z1 = b0 + d[4]; Unsafe.Add(ref z1, 1) = b1 + d[5]; Unsafe.Add(ref z1, 2) = b2 + d[6]; Unsafe.Add(ref z1, 3) = b3 + d[7];
            }

            if (s < m)
            {
                // One sample left: four dot products at once, each row's x load shared.
                ref T z0 = ref Unsafe.Add(ref rz, (s * zStride) + j);
                Dot1x4(ref Unsafe.Add(ref rx, s * xStride), ref rows, k, out var d);
                z0 = b0 + d[0]; Unsafe.Add(ref z0, 1) = b1 + d[1]; Unsafe.Add(ref z0, 2) = b2 + d[2]; Unsafe.Add(ref z0, 3) = b3 + d[3];
            }
        }

        for (; j < n; j++)
        {
            ref T row = ref Unsafe.Add(ref rw, j * k);
            T bias = Unsafe.Add(ref rb, j);
            for (int s = 0; s < m; s++)
            {
                Unsafe.Add(ref rz, (s * zStride) + j) = bias + Dot(ref Unsafe.Add(ref rx, s * xStride), ref row, k);
            }
        }
    }

    /// <summary>
    /// Adds <c>dw[j, i] += Σ_s dz[s, j] x[s, i]</c> and <c>db[j] += Σ_s dz[s, j]</c> over <paramref name="m"/> samples.
    /// </summary>
    public static void AccumulateWeightGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckLength(dw.Length, n * k, nameof(dw));
        CheckLength(db.Length, n, nameof(db));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rdw = ref MemoryMarshal.GetReference(dw);
        ref T rdb = ref MemoryMarshal.GetReference(db);

        // db: each column summed over the samples in order, then added. A vector of columns at a time, so each
        // cache line of dZ is read once rather than once per column.
        int db0 = 0;
        for (; db0 + Vector<T>.Count <= n; db0 += Vector<T>.Count)
        {
            var sum = Vector<T>.Zero;
            ref T column = ref Unsafe.Add(ref rdz, db0);
            for (int s = 0; s < m; s++)
            {
                sum += Load(ref column, 0);
                column = ref Unsafe.Add(ref column, dzStride);
            }

            Store(Load(ref rdb, db0) + sum, ref rdb, db0);
        }

        for (; db0 < n; db0++)
        {
            T sum = T.Zero;
            for (int s = 0; s < m; s++)
            {
                sum += Unsafe.Add(ref rdz, (s * dzStride) + db0);
            }

            Unsafe.Add(ref rdb, db0) += sum;
        }

        // Blocked like a GEMM: a block of samples, then a panel of 4 vectors of input columns, then tiles of 4
        // weight rows. Each tile keeps 4 x 4 vectors of dW in registers while the block's samples stream past, so
        // every loaded x vector feeds four FMAs and every broadcast dZ value four more. The operands are packed
        // into contiguous scratch first (the panel of X, PanelSamples x 4 vectors, 16 KB of floats, and the block
        // of dZ, tile by tile): strided rows a power of two apart would all fall into the same few L1 sets and
        // evict each other. Each dW element is still a chain of FMAs over the samples in order, so the blocking
        // and packing do not change the result.
        int width = Vector<T>.Count;
        int panel = 4 * width;
        int tiledRows = n & ~3;
        bool pack = n >= 16 && k >= width;
        Span<T> scratch = pack ? KernelScratch<T>.Get(PanelSamples * (panel + tiledRows)) : default;
        ref T xPacked = ref MemoryMarshal.GetReference(scratch);
        ref T dzPacked = ref Unsafe.Add(ref xPacked, PanelSamples * panel);
        for (int s0 = 0; s0 < m; s0 += PanelSamples)
        {
            int count = Math.Min(PanelSamples, m - s0);
            ref T dzBlock = ref Unsafe.Add(ref rdz, s0 * dzStride);
            ref T xBlock = ref Unsafe.Add(ref rx, s0 * xStride);
            if (pack)
            {
                // dZ tile by tile: [tile][sample][4].
                for (int j = 0; j < tiledRows; j += 4)
                {
                    ref T source = ref Unsafe.Add(ref dzBlock, j);
                    ref T target = ref Unsafe.Add(ref dzPacked, j * count);
                    for (int t = 0; t < count; t++)
                    {
                        Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref target, 4 * t)), ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, t * dzStride)), (uint)(4 * Unsafe.SizeOf<T>()));
                    }
                }
            }

            // Where tile j/4 of dZ starts, and the step from one sample to the next within it.
            ref T dzTiles = ref pack ? ref dzPacked : ref dzBlock;
            int dzTileStride = pack ? 4 : dzStride;
            int dzTileStep = pack ? 4 * count : 4;
            // Panels of 4 vectors of columns, then the columns left over one vector at a time.
            int i = 0;
            while (i + width <= k)
            {
                int vectors = i + panel <= k ? 4 : 1;
                ref T xPanel = ref Unsafe.Add(ref xBlock, i);
                int xPanelStride = xStride;
                if (pack)
                {
                    PackRows(ref xPanel, xStride, count, vectors, ref xPacked);
                    xPanel = ref xPacked;
                    xPanelStride = vectors * width;
                }

                int j = 0;
                for (; j < tiledRows; j += 4)
                {
                    ref T dzTile = ref Unsafe.Add(ref dzTiles, (j / 4) * dzTileStep);
                    ref T dwTile = ref Unsafe.Add(ref rdw, (j * k) + i);
                    if (vectors == 4)
                    {
                        WeightTile4x4(ref dzTile, dzTileStride, ref xPanel, xPanelStride, count, ref dwTile, k);
                    }
                    else
                    {
                        WeightTile4x1(ref dzTile, dzTileStride, ref xPanel, xPanelStride, count, ref dwTile, k);
                    }
                }

                // The rows left over (at most 3), a vector at a time.
                for (; j < n; j++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        ref T row = ref Unsafe.Add(ref rdw, (j * k) + i + (v * width));
                        var acc = Load(ref row, 0);
                        ref T g = ref Unsafe.Add(ref dzBlock, j);
                        ref T xs = ref Unsafe.Add(ref xPanel, v * width);
                        for (int t = 0; t < count; t++)
                        {
                            acc = Fma(new Vector<T>(g), Load(ref xs, 0), acc);
                            g = ref Unsafe.Add(ref g, dzStride);
                            xs = ref Unsafe.Add(ref xs, xPanelStride);
                        }

                        Store(acc, ref row, 0);
                    }
                }

                i += vectors * width;
            }

            for (; i < k; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    ref T dwji = ref Unsafe.Add(ref rdw, (j * k) + i);
                    T sum = dwji;
                    for (int s = 0; s < count; s++)
                    {
                        sum = T.FusedMultiplyAdd(Unsafe.Add(ref dzBlock, (s * dzStride) + j), Unsafe.Add(ref xBlock, (s * xStride) + i), sum);
                    }

                    dwji = sum;
                }
            }
        }
    }

    /// <summary>
    /// <c>dx[s, i] = Σ_j dz[s, j] w[j, i]</c> (or <c>+=</c> when <paramref name="accumulate"/>) over <paramref name="m"/> samples.
    /// </summary>
    public static void InputGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(dx.Length, m, k, dxStride, nameof(dx));
        CheckLength(w.Length, n * k, nameof(w));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rdx = ref MemoryMarshal.GetReference(dx);

        // Blocked like a GEMM: a panel of 4 vectors of input columns, then a block of PanelRows weight rows
        // (PanelRows x 4 vectors: 16 KB of floats, kept in L1 while every sample passes), then tiles of 4 samples
        // that keep 4 x 4 vectors of dX in registers. With enough samples to pay for it, the block of W is packed
        // into contiguous scratch first: rows a power of two apart would all fall into the same few L1 sets. Each
        // dX element is a chain of FMAs over the rows in order (the first block starts from zero unless
        // accumulating), so the blocking and packing do not change the result.
        int width = Vector<T>.Count;
        int panel = 4 * width;
        bool pack = m >= 16 && k >= width;
        ref T wPacked = ref MemoryMarshal.GetReference(pack ? KernelScratch<T>.Get(PanelRows * panel) : default);
        // Panels of 4 vectors of columns, then the columns left over one vector at a time.
        int i = 0;
        while (i + width <= k)
        {
            int vectors = i + panel <= k ? 4 : 1;
            for (int j0 = 0; j0 < n; j0 += PanelRows)
            {
                int count = Math.Min(PanelRows, n - j0);
                bool add = accumulate || j0 > 0;
                ref T wPanel = ref Unsafe.Add(ref rw, (j0 * k) + i);
                int wPanelStride = k;
                if (pack)
                {
                    PackRows(ref wPanel, k, count, vectors, ref wPacked);
                    wPanel = ref wPacked;
                    wPanelStride = vectors * width;
                }

                int s = 0;
                for (; s + 4 <= m; s += 4)
                {
                    ref T dzTile = ref Unsafe.Add(ref rdz, (s * dzStride) + j0);
                    ref T dxTile = ref Unsafe.Add(ref rdx, (s * dxStride) + i);
                    if (vectors == 4)
                    {
                        InputTile4x4(ref dzTile, dzStride, ref wPanel, wPanelStride, count, ref dxTile, dxStride, add);
                    }
                    else
                    {
                        InputTile4x1(ref dzTile, dzStride, ref wPanel, wPanelStride, count, ref dxTile, dxStride, add);
                    }
                }

                // The samples left over (at most 3), a vector at a time.
                for (; s < m; s++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        ref T ds = ref Unsafe.Add(ref rdx, (s * dxStride) + i + (v * width));
                        var acc = add ? Load(ref ds, 0) : Vector<T>.Zero;
                        ref T g = ref Unsafe.Add(ref rdz, (s * dzStride) + j0);
                        ref T row = ref Unsafe.Add(ref wPanel, v * width);
                        for (int j = 0; j < count; j++)
                        {
                            acc = Fma(new Vector<T>(Unsafe.Add(ref g, j)), Load(ref row, 0), acc);
                            row = ref Unsafe.Add(ref row, wPanelStride);
                        }

                        Store(acc, ref ds, 0);
                    }
                }
            }

            i += vectors * width;
        }

        for (; i < k; i++)
        {
            for (int s = 0; s < m; s++)
            {
                ref T ds = ref Unsafe.Add(ref rdx, (s * dxStride) + i);
                T sum = accumulate ? ds : T.Zero;
                ref T g = ref Unsafe.Add(ref rdz, s * dzStride);
                for (int j = 0; j < n; j++)
                {
                    sum = T.FusedMultiplyAdd(Unsafe.Add(ref g, j), Unsafe.Add(ref rw, (j * k) + i), sum);
                }

                ds = sum;
            }
        }
    }

    /// <summary>Copies <paramref name="rows"/> rows of <paramref name="vectors"/> vectors, <paramref name="stride"/> apart, into contiguous <paramref name="target"/>.</summary>
    private static void PackRows<T>(ref T source, int stride, int rows, int vectors, ref T target)
        where T : unmanaged
    {
        int width = Vector<T>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref source, r * stride);
            ref T packed = ref Unsafe.Add(ref target, r * vectors * width);
            for (int v = 0; v < vectors; v++)
            {
                Store(Load(ref row, v * width), ref packed, v * width);
            }
        }
    }

    /// <summary>Samples per block of the weight gradient: the block's packed panel of inputs (this many rows of 4 vectors) stays in L1.</summary>
    private const int PanelSamples = 128;

    /// <summary>Weight rows per block of the input gradient: the block's packed panel of W (this many rows of 4 vectors) stays in L1.</summary>
    private const int PanelRows = 128;

    /// <summary>
    /// <c>dw[r, c] += Σ_s dz[s, r] x[s, c]</c> for 4 rows and 4 vectors of columns over <paramref name="count"/> samples,
    /// with the 16 accumulators in registers (AVX-512 machines have 32).
    /// </summary>
    private static void WeightTile4x4<T>(ref T dz, int dzStride, ref T x, int xStride, int count, ref T dw, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T w1 = ref Unsafe.Add(ref dw, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var a00 = Load(ref dw, 0); var a01 = Load(ref dw, width); var a02 = Load(ref dw, 2 * width); var a03 = Load(ref dw, 3 * width);
        var a10 = Load(ref w1, 0); var a11 = Load(ref w1, width); var a12 = Load(ref w1, 2 * width); var a13 = Load(ref w1, 3 * width);
        var a20 = Load(ref w2, 0); var a21 = Load(ref w2, width); var a22 = Load(ref w2, 2 * width); var a23 = Load(ref w2, 3 * width);
        var a30 = Load(ref w3, 0); var a31 = Load(ref w3, width); var a32 = Load(ref w3, 2 * width); var a33 = Load(ref w3, 3 * width);
        for (int s = 0; s < count; s++)
        {
            var v0 = Load(ref x, 0); var v1 = Load(ref x, width); var v2 = Load(ref x, 2 * width); var v3 = Load(ref x, 3 * width);
            var g = new Vector<T>(dz);
            a00 = Fma(g, v0, a00); a01 = Fma(g, v1, a01); a02 = Fma(g, v2, a02); a03 = Fma(g, v3, a03);
            g = new Vector<T>(Unsafe.Add(ref dz, 1));
            a10 = Fma(g, v0, a10); a11 = Fma(g, v1, a11); a12 = Fma(g, v2, a12); a13 = Fma(g, v3, a13);
            g = new Vector<T>(Unsafe.Add(ref dz, 2));
            a20 = Fma(g, v0, a20); a21 = Fma(g, v1, a21); a22 = Fma(g, v2, a22); a23 = Fma(g, v3, a23);
            g = new Vector<T>(Unsafe.Add(ref dz, 3));
            a30 = Fma(g, v0, a30); a31 = Fma(g, v1, a31); a32 = Fma(g, v2, a32); a33 = Fma(g, v3, a33);
            x = ref Unsafe.Add(ref x, xStride);
            dz = ref Unsafe.Add(ref dz, dzStride);
        }

        Store(a00, ref dw, 0); Store(a01, ref dw, width); Store(a02, ref dw, 2 * width); Store(a03, ref dw, 3 * width);
        Store(a10, ref w1, 0); Store(a11, ref w1, width); Store(a12, ref w1, 2 * width); Store(a13, ref w1, 3 * width);
        Store(a20, ref w2, 0); Store(a21, ref w2, width); Store(a22, ref w2, 2 * width); Store(a23, ref w2, 3 * width);
        Store(a30, ref w3, 0); Store(a31, ref w3, width); Store(a32, ref w3, 2 * width); Store(a33, ref w3, 3 * width);
    }

    /// <summary><see cref="WeightTile4x4"/> one vector wide, for the columns left over.</summary>
    private static void WeightTile4x1<T>(ref T dz, int dzStride, ref T x, int xStride, int count, ref T dw, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w1 = ref Unsafe.Add(ref dw, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var a0 = Load(ref dw, 0); var a1 = Load(ref w1, 0); var a2 = Load(ref w2, 0); var a3 = Load(ref w3, 0);
        for (int s = 0; s < count; s++)
        {
            var v = Load(ref x, 0);
            a0 = Fma(new Vector<T>(dz), v, a0);
            a1 = Fma(new Vector<T>(Unsafe.Add(ref dz, 1)), v, a1);
            a2 = Fma(new Vector<T>(Unsafe.Add(ref dz, 2)), v, a2);
            a3 = Fma(new Vector<T>(Unsafe.Add(ref dz, 3)), v, a3);
            x = ref Unsafe.Add(ref x, xStride);
            dz = ref Unsafe.Add(ref dz, dzStride);
        }

        Store(a0, ref dw, 0); Store(a1, ref w1, 0); Store(a2, ref w2, 0); Store(a3, ref w3, 0);
    }

    /// <summary>
    /// <c>dx[t, c] (+)= Σ_r dz[t, r] w[r, c]</c> for 4 samples and 4 vectors of columns over <paramref name="count"/>
    /// weight rows, with the 16 accumulators in registers.
    /// </summary>
    private static void InputTile4x4<T>(ref T dz, int dzStride, ref T w, int wStride, int count, ref T dx, int dxStride, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        ref T d1 = ref Unsafe.Add(ref dx, dxStride);
        ref T d2 = ref Unsafe.Add(ref d1, dxStride);
        ref T d3 = ref Unsafe.Add(ref d2, dxStride);
        ref T g1 = ref Unsafe.Add(ref dz, dzStride);
        ref T g2 = ref Unsafe.Add(ref g1, dzStride);
        ref T g3 = ref Unsafe.Add(ref g2, dzStride);
        Vector<T> a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        if (add)
        {
            a00 = Load(ref dx, 0); a01 = Load(ref dx, width); a02 = Load(ref dx, 2 * width); a03 = Load(ref dx, 3 * width);
            a10 = Load(ref d1, 0); a11 = Load(ref d1, width); a12 = Load(ref d1, 2 * width); a13 = Load(ref d1, 3 * width);
            a20 = Load(ref d2, 0); a21 = Load(ref d2, width); a22 = Load(ref d2, 2 * width); a23 = Load(ref d2, 3 * width);
            a30 = Load(ref d3, 0); a31 = Load(ref d3, width); a32 = Load(ref d3, 2 * width); a33 = Load(ref d3, 3 * width);
        }
        else
        {
            a00 = a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = a30 = a31 = a32 = a33 = Vector<T>.Zero;
        }

        for (int j = 0; j < count; j++)
        {
            var v0 = Load(ref w, 0); var v1 = Load(ref w, width); var v2 = Load(ref w, 2 * width); var v3 = Load(ref w, 3 * width);
            var g = new Vector<T>(Unsafe.Add(ref dz, j));
            a00 = Fma(g, v0, a00); a01 = Fma(g, v1, a01); a02 = Fma(g, v2, a02); a03 = Fma(g, v3, a03);
            g = new Vector<T>(Unsafe.Add(ref g1, j));
            a10 = Fma(g, v0, a10); a11 = Fma(g, v1, a11); a12 = Fma(g, v2, a12); a13 = Fma(g, v3, a13);
            g = new Vector<T>(Unsafe.Add(ref g2, j));
            a20 = Fma(g, v0, a20); a21 = Fma(g, v1, a21); a22 = Fma(g, v2, a22); a23 = Fma(g, v3, a23);
            g = new Vector<T>(Unsafe.Add(ref g3, j));
            a30 = Fma(g, v0, a30); a31 = Fma(g, v1, a31); a32 = Fma(g, v2, a32); a33 = Fma(g, v3, a33);
            w = ref Unsafe.Add(ref w, wStride);
        }

        Store(a00, ref dx, 0); Store(a01, ref dx, width); Store(a02, ref dx, 2 * width); Store(a03, ref dx, 3 * width);
        Store(a10, ref d1, 0); Store(a11, ref d1, width); Store(a12, ref d1, 2 * width); Store(a13, ref d1, 3 * width);
        Store(a20, ref d2, 0); Store(a21, ref d2, width); Store(a22, ref d2, 2 * width); Store(a23, ref d2, 3 * width);
        Store(a30, ref d3, 0); Store(a31, ref d3, width); Store(a32, ref d3, 2 * width); Store(a33, ref d3, 3 * width);
    }

    /// <summary><see cref="InputTile4x4"/> one vector wide, for the columns left over.</summary>
    private static void InputTile4x1<T>(ref T dz, int dzStride, ref T w, int wStride, int count, ref T dx, int dxStride, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T d1 = ref Unsafe.Add(ref dx, dxStride);
        ref T d2 = ref Unsafe.Add(ref d1, dxStride);
        ref T d3 = ref Unsafe.Add(ref d2, dxStride);
        ref T g1 = ref Unsafe.Add(ref dz, dzStride);
        ref T g2 = ref Unsafe.Add(ref g1, dzStride);
        ref T g3 = ref Unsafe.Add(ref g2, dzStride);
        Vector<T> a0, a1, a2, a3;
        if (add)
        {
            a0 = Load(ref dx, 0); a1 = Load(ref d1, 0); a2 = Load(ref d2, 0); a3 = Load(ref d3, 0);
        }
        else
        {
            a0 = a1 = a2 = a3 = Vector<T>.Zero;
        }

        for (int j = 0; j < count; j++)
        {
            var v = Load(ref w, 0);
            a0 = Fma(new Vector<T>(Unsafe.Add(ref dz, j)), v, a0);
            a1 = Fma(new Vector<T>(Unsafe.Add(ref g1, j)), v, a1);
            a2 = Fma(new Vector<T>(Unsafe.Add(ref g2, j)), v, a2);
            a3 = Fma(new Vector<T>(Unsafe.Add(ref g3, j)), v, a3);
            w = ref Unsafe.Add(ref w, wStride);
        }

        Store(a0, ref dx, 0); Store(a1, ref d1, 0); Store(a2, ref d2, 0); Store(a3, ref d3, 0);
    }

    /// <summary>
    /// Sixteen dot products at once: samples x, x+xStride, x+2xStride, x+3xStride against rows w, w+k, w+2k,
    /// w+3k. Sixteen accumulators plus the loads fit the 32 vector registers of AVX-512 machines; each
    /// loaded vector feeds four fused multiply-adds.
    /// </summary>
    private static void Dot4x4<T>(ref T x, int xStride, ref T w, int k, out Tile16<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x1 = ref Unsafe.Add(ref x, xStride);
        ref T x2 = ref Unsafe.Add(ref x1, xStride);
        ref T x3 = ref Unsafe.Add(ref x2, xStride);
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        Vector<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector<T> c30 = default, c31 = default, c32 = default, c33 = default;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var v0 = Load(ref w, i);
            var v1 = Load(ref w1, i);
            var v2 = Load(ref w2, i);
            var v3 = Load(ref w3, i);
            var a = Load(ref x, i);
            c00 = Fma(a, v0, c00); c01 = Fma(a, v1, c01); c02 = Fma(a, v2, c02); c03 = Fma(a, v3, c03);
            a = Load(ref x1, i);
            c10 = Fma(a, v0, c10); c11 = Fma(a, v1, c11); c12 = Fma(a, v2, c12); c13 = Fma(a, v3, c13);
            a = Load(ref x2, i);
            c20 = Fma(a, v0, c20); c21 = Fma(a, v1, c21); c22 = Fma(a, v2, c22); c23 = Fma(a, v3, c23);
            a = Load(ref x3, i);
            c30 = Fma(a, v0, c30); c31 = Fma(a, v1, c31); c32 = Fma(a, v2, c32); c33 = Fma(a, v3, c33);
        }

        result = default;
        result[0] = Vector.Sum(c00); result[1] = Vector.Sum(c01); result[2] = Vector.Sum(c02); result[3] = Vector.Sum(c03);
        result[4] = Vector.Sum(c10); result[5] = Vector.Sum(c11); result[6] = Vector.Sum(c12); result[7] = Vector.Sum(c13);
        result[8] = Vector.Sum(c20); result[9] = Vector.Sum(c21); result[10] = Vector.Sum(c22); result[11] = Vector.Sum(c23);
        result[12] = Vector.Sum(c30); result[13] = Vector.Sum(c31); result[14] = Vector.Sum(c32); result[15] = Vector.Sum(c33);
        for (; i < k; i++)
        {
            T v0 = Unsafe.Add(ref w, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
            T a0 = Unsafe.Add(ref x, i), a1 = Unsafe.Add(ref x1, i), a2 = Unsafe.Add(ref x2, i), a3 = Unsafe.Add(ref x3, i);
            result[0] += a0 * v0; result[1] += a0 * v1; result[2] += a0 * v2; result[3] += a0 * v3;
            result[4] += a1 * v0; result[5] += a1 * v1; result[6] += a1 * v2; result[7] += a1 * v3;
            result[8] += a2 * v0; result[9] += a2 * v1; result[10] += a2 * v2; result[11] += a2 * v3;
            result[12] += a3 * v0; result[13] += a3 * v1; result[14] += a3 * v2; result[15] += a3 * v3;
        }
    }

    /// <summary>Eight dot products at once: samples x0, x1 against rows w, w+k, w+2k, w+3k.</summary>
    private static void Dot2x4<T>(ref T x0, ref T x1, ref T w, int k, out Tile8<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var c00 = Vector<T>.Zero; var c01 = Vector<T>.Zero; var c02 = Vector<T>.Zero; var c03 = Vector<T>.Zero;
        var c10 = Vector<T>.Zero; var c11 = Vector<T>.Zero; var c12 = Vector<T>.Zero; var c13 = Vector<T>.Zero;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var a0 = Load(ref x0, i);
            var a1 = Load(ref x1, i);
            var v = Load(ref w, i);
            c00 = Fma(a0, v, c00); c10 = Fma(a1, v, c10);
            v = Load(ref w1, i);
            c01 = Fma(a0, v, c01); c11 = Fma(a1, v, c11);
            v = Load(ref w2, i);
            c02 = Fma(a0, v, c02); c12 = Fma(a1, v, c12);
            v = Load(ref w3, i);
            c03 = Fma(a0, v, c03); c13 = Fma(a1, v, c13);
        }

        result = default;
        result[0] = Vector.Sum(c00); result[1] = Vector.Sum(c01); result[2] = Vector.Sum(c02); result[3] = Vector.Sum(c03);
        result[4] = Vector.Sum(c10); result[5] = Vector.Sum(c11); result[6] = Vector.Sum(c12); result[7] = Vector.Sum(c13);
        for (; i < k; i++)
        {
            T a0 = Unsafe.Add(ref x0, i);
            T a1 = Unsafe.Add(ref x1, i);
            T v0 = Unsafe.Add(ref w, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
            result[0] += a0 * v0; result[1] += a0 * v1; result[2] += a0 * v2; result[3] += a0 * v3;
            result[4] += a1 * v0; result[5] += a1 * v1; result[6] += a1 * v2; result[7] += a1 * v3;
        }
    }

    /// <summary>Four dot products of one sample x against rows w, w+k, w+2k, w+3k.</summary>
    private static void Dot1x4<T>(ref T x, ref T w, int k, out Tile8<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var c0 = Vector<T>.Zero; var c1 = Vector<T>.Zero; var c2 = Vector<T>.Zero; var c3 = Vector<T>.Zero;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var a = Load(ref x, i);
            c0 = Fma(a, Load(ref w, i), c0);
            c1 = Fma(a, Load(ref w1, i), c1);
            c2 = Fma(a, Load(ref w2, i), c2);
            c3 = Fma(a, Load(ref w3, i), c3);
        }

        result = default;
        result[0] = Vector.Sum(c0); result[1] = Vector.Sum(c1); result[2] = Vector.Sum(c2); result[3] = Vector.Sum(c3);
        for (; i < k; i++)
        {
            T a = Unsafe.Add(ref x, i);
            result[0] += a * Unsafe.Add(ref w, i);
            result[1] += a * Unsafe.Add(ref w1, i);
            result[2] += a * Unsafe.Add(ref w2, i);
            result[3] += a * Unsafe.Add(ref w3, i);
        }
    }

    private static T Dot<T>(ref T a, ref T b, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c0 = Vector<T>.Zero;
        var c1 = Vector<T>.Zero;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + (2 * width) <= k; i += 2 * width)
        {
            c0 = Fma(Load(ref a, i), Load(ref b, i), c0);
            c1 = Fma(Load(ref a, i + width), Load(ref b, i + width), c1);
        }

        for (; i + width <= k; i += width)
        {
            c0 = Fma(Load(ref a, i), Load(ref b, i), c0);
        }

        T sum = Vector.Sum(c0 + c1);
        for (; i < k; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ref T source, int offset)
        where T : unmanaged => Vector.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> value, ref T destination, int offset)
        where T : unmanaged => Vector.StoreUnsafe(value, ref destination, (nuint)offset);

    /// <summary><c>a * b + c</c>, fused where the hardware has FMA (one rounding, and twice the throughput).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged
    {
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    private static void CheckMatrix(int length, int rows, int columns, int stride, string name)
    {
        if (rows < 0 || columns < 0 || stride < columns)
        {
            throw new ArgumentException($"'{name}': {rows} rows of {columns} with stride {stride} is not a valid layout.", name);
        }

        if (rows > 0 && length < ((long)(rows - 1) * stride) + columns)
        {
            throw new ArgumentException($"'{name}' has {length} elements; {rows} rows of {columns} with stride {stride} need {((long)(rows - 1) * stride) + columns}.", name);
        }
    }

    private static void CheckLength(int length, int required, string name)
    {
        if (length < required)
        {
            throw new ArgumentException($"'{name}' has {length} elements; the layer needs {required}.", name);
        }
    }

    /// <summary>Sixteen results of <see cref="Dot4x4"/>, on the stack.</summary>
    [InlineArray(16)]
    private struct Tile16<T>
    {
        private T _element;
    }

    /// <summary>Eight results of <see cref="Dot2x4"/>, on the stack.</summary>
    [InlineArray(8)]
    private struct Tile8<T>
    {
        private T _element;
    }
}
