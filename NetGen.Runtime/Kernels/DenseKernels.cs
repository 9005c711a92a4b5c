using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.CompilerServices;

/// <summary>
/// Register-blocked matrix kernels of a dense layer over a minibatch, the work of batched training:
/// the forward product <c>Z = X · Wᵀ + b</c>, the weight gradient <c>dW += dZᵀ · X</c> (with
/// <c>db += Σ dZ</c>) and the input gradient <c>dX = dZ · W</c>, all with <c>W</c> stored row-major as
/// [outputs x inputs] and no transposed copy. Rows of <c>X</c>, <c>Z</c>, <c>dZ</c> and <c>dX</c> may be
/// strided (one row per sample inside a larger per-sample buffer). Generated networks call these for
/// layers too large to unroll; so does the dynamic graph, so the two are compared on equal kernels.
/// </summary>
/// <remarks>
/// Each kernel keeps a tile of 4 x 4 outputs in vector registers (16 accumulators) so every loaded vector
/// feeds four fused multiply-adds, and the two backward products work in blocks whose panel of operands
/// stays in the L1 cache. The vectors are the widest the process uses (<c>Vector512</c>, <c>Vector256</c> or
/// <c>Vector128</c>, chosen once at start-up and capped by the environment variable
/// <c>NETGEN_MAX_VECTOR_BITS</c>), so tiles and blocks scale with the width. Results depend only on the sizes
/// and that width, never on the thread that runs them; different widths add in a different order and may
/// differ in the last bits. Arguments are validated once per call; the loops then read without bounds checks.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DenseKernels
{
    /// <summary>
    /// <c>z[s, j] = b[j] + Σ_i x[s, i] w[j, i]</c> for <paramref name="m"/> samples, <paramref name="n"/> outputs
    /// and <paramref name="k"/> inputs.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(VectorWidth.Bits, x, xStride, w, b, z, zStride, m, n, k);

    /// <summary>
    /// Adds <c>dw[j, i] += Σ_s dz[s, j] x[s, i]</c> and <c>db[j] += Σ_s dz[s, j]</c> over <paramref name="m"/> samples.
    /// </summary>
    public static void AccumulateWeightGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AccumulateWeightGradient(VectorWidth.Bits, dz, dzStride, x, xStride, dw, db, m, n, k);

    /// <summary>
    /// <c>dx[s, i] = Σ_j dz[s, j] w[j, i]</c> (or <c>+=</c> when <paramref name="accumulate"/>) over <paramref name="m"/> samples.
    /// </summary>
    public static void InputGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => InputGradient(VectorWidth.Bits, dz, dzStride, w, dx, dxStride, m, n, k, accumulate);

    /// <summary><see cref="Forward{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int)"/> with vectors of <paramref name="vectorBits"/> bits (tests run every width the machine has).</summary>
    internal static void Forward<T>(int vectorBits, ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckMatrix(z.Length, m, n, zStride, nameof(z));
        CheckLength(w.Length, n * k, nameof(w));
        CheckLength(b.Length, n, nameof(b));
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.Forward(x, xStride, w, b, z, zStride, m, n, k); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.Forward(x, xStride, w, b, z, zStride, m, n, k); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.Forward(x, xStride, w, b, z, zStride, m, n, k); break;
        }
    }

    /// <summary><see cref="AccumulateWeightGradient{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, Span{T}, int, int, int)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void AccumulateWeightGradient<T>(int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckLength(dw.Length, n * k, nameof(dw));
        CheckLength(db.Length, n, nameof(db));
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.AccumulateWeightGradient(dz, dzStride, x, xStride, dw, db, m, n, k); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.AccumulateWeightGradient(dz, dzStride, x, xStride, dw, db, m, n, k); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.AccumulateWeightGradient(dz, dzStride, x, xStride, dw, db, m, n, k); break;
        }
    }

    /// <summary><see cref="InputGradient{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void InputGradient<T>(int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(dx.Length, m, k, dxStride, nameof(dx));
        CheckLength(w.Length, n * k, nameof(w));
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, accumulate); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, accumulate); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, accumulate); break;
        }
    }

    /// <summary><c>target[i, j] = source[j, i]</c> with vectors of <paramref name="vectorBits"/> bits (the forward product's transpose of W, for tests).</summary>
    internal static void Transpose<T>(int vectorBits, ReadOnlySpan<T> source, int rows, int columns, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(source.Length, rows * columns, nameof(source));
        CheckLength(target.Length, rows * columns, nameof(target));
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.Transpose(source, rows, columns, target); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.Transpose(source, rows, columns, target); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.Transpose(source, rows, columns, target); break;
        }
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

    /// <summary>Sixteen results of a 4 x 4 tile of dot products, on the stack.</summary>
    [InlineArray(16)]
    internal struct Tile16<T>
    {
        private T _element;
    }

    /// <summary>Eight results of a 2 x 4 tile of dot products, on the stack.</summary>
    [InlineArray(8)]
    internal struct Tile8<T>
    {
        private T _element;
    }
}

/// <summary>
/// The bodies of <see cref="DenseKernels"/> for one vector type: <typeparamref name="TOps"/> supplies the
/// operations, and the JIT compiles each width separately with every width-dependent size a constant.
/// Arguments were validated by <see cref="DenseKernels"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOps">The operations on <typeparamref name="TVector"/>.</typeparam>
/// <typeparam name="TVector">The vector type.</typeparam>
internal static partial class DenseKernels<T, TOps, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOps : struct, IVectorOps<T, TVector>
    where TVector : struct
{
    /// <summary>
    /// <c>z[s, j] = b[j] + Σ_i x[s, i] w[j, i]</c> for <paramref name="m"/> samples, <paramref name="n"/> outputs
    /// and <paramref name="k"/> inputs.
    /// </summary>
    public static void Forward(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
    {
        if (TOps.Count * Unsafe.SizeOf<T>() >= 64 && m >= TransposedForwardSamples && n >= 4 * TOps.Count && k >= TOps.Count)
        {
            // With 512-bit vectors and enough samples to pay for transposing W once: then Z = b + X · (Wᵀ) is the
            // input-gradient product, whose tiles broadcast one x value against vectors of outputs and so need no
            // horizontal sums (16 per tile, each several shuffles, which halved this product's speed at 512 bits),
            // and whose packed panel of Wᵀ stays in L1 while the samples stream past. Narrower vectors keep the
            // dot-product tiles, which were faster there (W3 inference, batch 256: 285,000 against 227,000
            // samples/s at 256 bits).
            // Wᵀ is never built whole: each panel is transposed from W straight into the packed scratch (16 x 16
            // blocks in registers), so W is read once and no transposed copy goes through memory.
            for (int s = 0; s < m; s++)
            {
                b[..n].CopyTo(z.Slice(s * zStride, n));
            }

            InputGradient(x, xStride, w, z, zStride, m, k, n, accumulate: true, transposedW: true);
            return;
        }

        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rz = ref MemoryMarshal.GetReference(z);
        if (m == 1)
        {
            ForwardOneSample(ref rx, ref rw, ref rb, ref rz, n, k);
            return;
        }

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
    public static void AccumulateWeightGradient(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k)
    {
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rdw = ref MemoryMarshal.GetReference(dw);
        ref T rdb = ref MemoryMarshal.GetReference(db);

        // db: each column summed over the samples in order, then added. A vector of columns at a time, so each
        // cache line of dZ is read once rather than once per column.
        int db0 = 0;
        for (; db0 + TOps.Count <= n; db0 += TOps.Count)
        {
            var sum = TOps.Zero;
            ref T column = ref Unsafe.Add(ref rdz, db0);
            for (int s = 0; s < m; s++)
            {
                sum = TOps.Add(sum, TOps.Load(ref column, 0));
                column = ref Unsafe.Add(ref column, dzStride);
            }

            TOps.Store(TOps.Add(TOps.Load(ref rdb, db0), sum), ref rdb, db0);
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
        int width = TOps.Count;
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
                        var acc = TOps.Load(ref row, 0);
                        ref T g = ref Unsafe.Add(ref dzBlock, j);
                        ref T xs = ref Unsafe.Add(ref xPanel, v * width);
                        for (int t = 0; t < count; t++)
                        {
                            acc = TOps.Fma(TOps.Broadcast(g), TOps.Load(ref xs, 0), acc);
                            g = ref Unsafe.Add(ref g, dzStride);
                            xs = ref Unsafe.Add(ref xs, xPanelStride);
                        }

                        TOps.Store(acc, ref row, 0);
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
    public static void InputGradient(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false)
        => InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, accumulate, transposedW: false);

    /// <summary>
    /// <see cref="InputGradient(ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool)"/>, or with
    /// <paramref name="transposedW"/> the same product with <c>w</c> given transposed, as [k x n] (the forward product
    /// <c>X · Wᵀ</c>): then every panel is packed by transposing its block, which needs the packed path (16+ samples).
    /// </summary>
    private static void InputGradient(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate, bool transposedW)
    {
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rdx = ref MemoryMarshal.GetReference(dx);

        // Blocked like a GEMM: a panel of 4 vectors of input columns, then a block of PanelRows weight rows
        // (PanelRows x 4 vectors: 16 KB of floats, kept in L1 while every sample passes), then tiles of 4 samples
        // that keep 4 x 4 vectors of dX in registers. With enough samples to pay for it, the block of W is packed
        // into contiguous scratch first: rows a power of two apart would all fall into the same few L1 sets. Each
        // dX element is a chain of FMAs over the rows in order (the first block starts from zero unless
        // accumulating), so the blocking and packing do not change the result.
        int width = TOps.Count;
        int panel = 4 * width;
        bool pack = transposedW || (m >= 16 && k >= width);
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
                if (transposedW)
                {
                    // Block [columns i.., rows j0..] of the product's operand is rows i.. and columns j0.. of w as given.
                    TransposeBlock(ref Unsafe.Add(ref rw, (i * n) + j0), n, vectors * width, count, ref wPacked, vectors * width);
                    wPanel = ref wPacked;
                    wPanelStride = vectors * width;
                }
                else if (pack)
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
                        var acc = add ? TOps.Load(ref ds, 0) : TOps.Zero;
                        ref T g = ref Unsafe.Add(ref rdz, (s * dzStride) + j0);
                        ref T row = ref Unsafe.Add(ref wPanel, v * width);
                        for (int j = 0; j < count; j++)
                        {
                            acc = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref g, j)), TOps.Load(ref row, 0), acc);
                            row = ref Unsafe.Add(ref row, wPanelStride);
                        }

                        TOps.Store(acc, ref ds, 0);
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
                    sum = T.FusedMultiplyAdd(Unsafe.Add(ref g, j), transposedW ? Unsafe.Add(ref rw, (i * n) + j) : Unsafe.Add(ref rw, (j * k) + i), sum);
                }

                ds = sum;
            }
        }
    }

    /// <summary>
    /// Samples from which <see cref="Forward"/> runs on Wᵀ (512-bit vectors only): transposing a panel costs a few
    /// tenths of a cycle per weight, the product <c>m / (2 · lanes)</c> cycles per weight. From 32 samples on, W3's
    /// training (chunks of 32) measured the same within this machine's noise (75,900-81,900 samples/s either way), so
    /// the threshold stays where the dot-product tiles were measured to lose.
    /// </summary>
    private const int TransposedForwardSamples = 128;

    /// <summary><c>target[i, j] = source[j, i]</c> for a <paramref name="rows"/> x <paramref name="columns"/> source.</summary>
    internal static void Transpose(ReadOnlySpan<T> source, int rows, int columns, Span<T> target) =>
        TransposeBlock(ref MemoryMarshal.GetReference(source), columns, rows, columns, ref MemoryMarshal.GetReference(target), rows);

    /// <summary>
    /// <c>target[c * targetStride + r] = source[r * sourceStride + c]</c> for a <paramref name="rows"/> x
    /// <paramref name="columns"/> block. Floats with AVX-512 go 16 x 16 at a time through registers (16 loads, 64
    /// shuffles, 16 stores per 256 elements: a scalar loop costs about 5 cycles per element on the strided reads, a
    /// sixth of W4's training step when the forward product transposed its three large W per chunk); the rest, and the
    /// edges, element by element in blocks of one cache line by one cache line, so the block's source lines stay in L1.
    /// </summary>
    private static void TransposeBlock(ref T source, int sourceStride, int rows, int columns, ref T target, int targetStride)
    {
        int fullRows = 0, fullColumns = 0;
        if (typeof(T) == typeof(float) && Avx512F.IsSupported && TOps.Count == 16)
        {
            fullRows = rows & ~15;
            fullColumns = columns & ~15;
            ref float from = ref Unsafe.As<T, float>(ref source);
            ref float to = ref Unsafe.As<T, float>(ref target);
            for (int r0 = 0; r0 < fullRows; r0 += 16)
            {
                for (int c0 = 0; c0 < fullColumns; c0 += 16)
                {
                    Transpose16x16(ref Unsafe.Add(ref from, (r0 * sourceStride) + c0), sourceStride, ref Unsafe.Add(ref to, (c0 * targetStride) + r0), targetStride);
                }
            }
        }

        // What the register blocks left: the columns past the last full block of every row, then the rows past it.
        TransposeScalar(ref source, sourceStride, ref target, targetStride, 0, fullRows, fullColumns, columns);
        TransposeScalar(ref source, sourceStride, ref target, targetStride, fullRows, rows, 0, columns);
    }

    private static void TransposeScalar(ref T source, int sourceStride, ref T target, int targetStride, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int line = 64 / Unsafe.SizeOf<T>();
        for (int r0 = rowStart; r0 < rowEnd; r0 += line)
        {
            int rowCount = Math.Min(line, rowEnd - r0);
            for (int c0 = columnStart; c0 < columnEnd; c0 += line)
            {
                int blockEnd = Math.Min(c0 + line, columnEnd);
                for (int c = c0; c < blockEnd; c++)
                {
                    ref T from = ref Unsafe.Add(ref source, (r0 * sourceStride) + c);
                    ref T to = ref Unsafe.Add(ref target, (c * targetStride) + r0);
                    for (int r = 0; r < rowCount; r++)
                    {
                        Unsafe.Add(ref to, r) = Unsafe.Add(ref from, r * sourceStride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Transposes one 16 x 16 block of floats in registers: pairs of rows interleaved (unpack), then pairs of pairs
    /// (shufps), then 128-bit quarters twice (shuff32x4), the textbook sequence for AVX-512.
    /// </summary>
    private static void Transpose16x16(ref float source, int sourceStride, ref float target, int targetStride)
    {
        var r0 = Vector512.LoadUnsafe(ref source, 0);
        var r1 = Vector512.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector512.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector512.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var r4 = Vector512.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        var r5 = Vector512.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        var r6 = Vector512.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        var r7 = Vector512.LoadUnsafe(ref source, (nuint)(7 * sourceStride));
        var r8 = Vector512.LoadUnsafe(ref source, (nuint)(8 * sourceStride));
        var r9 = Vector512.LoadUnsafe(ref source, (nuint)(9 * sourceStride));
        var r10 = Vector512.LoadUnsafe(ref source, (nuint)(10 * sourceStride));
        var r11 = Vector512.LoadUnsafe(ref source, (nuint)(11 * sourceStride));
        var r12 = Vector512.LoadUnsafe(ref source, (nuint)(12 * sourceStride));
        var r13 = Vector512.LoadUnsafe(ref source, (nuint)(13 * sourceStride));
        var r14 = Vector512.LoadUnsafe(ref source, (nuint)(14 * sourceStride));
        var r15 = Vector512.LoadUnsafe(ref source, (nuint)(15 * sourceStride));

        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);

        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, t10, 0x44); r9 = Avx512F.Shuffle(t8, t10, 0xEE);
        r10 = Avx512F.Shuffle(t9, t11, 0x44); r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        r12 = Avx512F.Shuffle(t12, t14, 0x44); r13 = Avx512F.Shuffle(t12, t14, 0xEE);
        r14 = Avx512F.Shuffle(t13, t15, 0x44); r15 = Avx512F.Shuffle(t13, t15, 0xEE);

        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t9 = Avx512F.Shuffle4x128(r9, r13, 0x88);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t11 = Avx512F.Shuffle4x128(r11, r15, 0x88);
        t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
        t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);

        Avx512F.Shuffle4x128(t0, t8, 0x88).StoreUnsafe(ref target, 0);
        Avx512F.Shuffle4x128(t1, t9, 0x88).StoreUnsafe(ref target, (nuint)targetStride);
        Avx512F.Shuffle4x128(t2, t10, 0x88).StoreUnsafe(ref target, (nuint)(2 * targetStride));
        Avx512F.Shuffle4x128(t3, t11, 0x88).StoreUnsafe(ref target, (nuint)(3 * targetStride));
        Avx512F.Shuffle4x128(t4, t12, 0x88).StoreUnsafe(ref target, (nuint)(4 * targetStride));
        Avx512F.Shuffle4x128(t5, t13, 0x88).StoreUnsafe(ref target, (nuint)(5 * targetStride));
        Avx512F.Shuffle4x128(t6, t14, 0x88).StoreUnsafe(ref target, (nuint)(6 * targetStride));
        Avx512F.Shuffle4x128(t7, t15, 0x88).StoreUnsafe(ref target, (nuint)(7 * targetStride));
        Avx512F.Shuffle4x128(t0, t8, 0xDD).StoreUnsafe(ref target, (nuint)(8 * targetStride));
        Avx512F.Shuffle4x128(t1, t9, 0xDD).StoreUnsafe(ref target, (nuint)(9 * targetStride));
        Avx512F.Shuffle4x128(t2, t10, 0xDD).StoreUnsafe(ref target, (nuint)(10 * targetStride));
        Avx512F.Shuffle4x128(t3, t11, 0xDD).StoreUnsafe(ref target, (nuint)(11 * targetStride));
        Avx512F.Shuffle4x128(t4, t12, 0xDD).StoreUnsafe(ref target, (nuint)(12 * targetStride));
        Avx512F.Shuffle4x128(t5, t13, 0xDD).StoreUnsafe(ref target, (nuint)(13 * targetStride));
        Avx512F.Shuffle4x128(t6, t14, 0xDD).StoreUnsafe(ref target, (nuint)(14 * targetStride));
        Avx512F.Shuffle4x128(t7, t15, 0xDD).StoreUnsafe(ref target, (nuint)(15 * targetStride));
    }

    /// <summary>Copies <paramref name="rows"/> rows of <paramref name="vectors"/> vectors, <paramref name="stride"/> apart, into contiguous <paramref name="target"/>.</summary>
    private static void PackRows(ref T source, int stride, int rows, int vectors, ref T target)
    {
        int width = TOps.Count;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref source, r * stride);
            ref T packed = ref Unsafe.Add(ref target, r * vectors * width);
            for (int v = 0; v < vectors; v++)
            {
                TOps.Store(TOps.Load(ref row, v * width), ref packed, v * width);
            }
        }
    }

    /// <summary>
    /// Samples per block of the weight gradient: the block's packed panel of inputs (this many rows of 4 vectors,
    /// 16 KB) stays in L1 beside the packed dZ; 128 rows of 256-bit vectors, 64 of 512-bit ones.
    /// </summary>
    private static int PanelSamples => 16384 / (4 * TOps.Count * Unsafe.SizeOf<T>());

    /// <summary>Weight rows per block of the input gradient: the block's packed panel of W (this many rows of 4 vectors, 16 KB) stays in L1.</summary>
    private static int PanelRows => 16384 / (4 * TOps.Count * Unsafe.SizeOf<T>());

    /// <summary>
    /// <c>dw[r, c] += Σ_s dz[s, r] x[s, c]</c> for 4 rows and 4 vectors of columns over <paramref name="count"/> samples,
    /// with the 16 accumulators in registers (AVX-512 machines have 32).
    /// </summary>
    private static void WeightTile4x4(ref T dz, int dzStride, ref T x, int xStride, int count, ref T dw, int k)
    {
        int width = TOps.Count;
        ref T w1 = ref Unsafe.Add(ref dw, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var a00 = TOps.Load(ref dw, 0); var a01 = TOps.Load(ref dw, width); var a02 = TOps.Load(ref dw, 2 * width); var a03 = TOps.Load(ref dw, 3 * width);
        var a10 = TOps.Load(ref w1, 0); var a11 = TOps.Load(ref w1, width); var a12 = TOps.Load(ref w1, 2 * width); var a13 = TOps.Load(ref w1, 3 * width);
        var a20 = TOps.Load(ref w2, 0); var a21 = TOps.Load(ref w2, width); var a22 = TOps.Load(ref w2, 2 * width); var a23 = TOps.Load(ref w2, 3 * width);
        var a30 = TOps.Load(ref w3, 0); var a31 = TOps.Load(ref w3, width); var a32 = TOps.Load(ref w3, 2 * width); var a33 = TOps.Load(ref w3, 3 * width);
        for (int s = 0; s < count; s++)
        {
            var v0 = TOps.Load(ref x, 0); var v1 = TOps.Load(ref x, width); var v2 = TOps.Load(ref x, 2 * width); var v3 = TOps.Load(ref x, 3 * width);
            var g = TOps.Broadcast(dz);
            a00 = TOps.Fma(g, v0, a00); a01 = TOps.Fma(g, v1, a01); a02 = TOps.Fma(g, v2, a02); a03 = TOps.Fma(g, v3, a03);
            g = TOps.Broadcast(Unsafe.Add(ref dz, 1));
            a10 = TOps.Fma(g, v0, a10); a11 = TOps.Fma(g, v1, a11); a12 = TOps.Fma(g, v2, a12); a13 = TOps.Fma(g, v3, a13);
            g = TOps.Broadcast(Unsafe.Add(ref dz, 2));
            a20 = TOps.Fma(g, v0, a20); a21 = TOps.Fma(g, v1, a21); a22 = TOps.Fma(g, v2, a22); a23 = TOps.Fma(g, v3, a23);
            g = TOps.Broadcast(Unsafe.Add(ref dz, 3));
            a30 = TOps.Fma(g, v0, a30); a31 = TOps.Fma(g, v1, a31); a32 = TOps.Fma(g, v2, a32); a33 = TOps.Fma(g, v3, a33);
            x = ref Unsafe.Add(ref x, xStride);
            dz = ref Unsafe.Add(ref dz, dzStride);
        }

        TOps.Store(a00, ref dw, 0); TOps.Store(a01, ref dw, width); TOps.Store(a02, ref dw, 2 * width); TOps.Store(a03, ref dw, 3 * width);
        TOps.Store(a10, ref w1, 0); TOps.Store(a11, ref w1, width); TOps.Store(a12, ref w1, 2 * width); TOps.Store(a13, ref w1, 3 * width);
        TOps.Store(a20, ref w2, 0); TOps.Store(a21, ref w2, width); TOps.Store(a22, ref w2, 2 * width); TOps.Store(a23, ref w2, 3 * width);
        TOps.Store(a30, ref w3, 0); TOps.Store(a31, ref w3, width); TOps.Store(a32, ref w3, 2 * width); TOps.Store(a33, ref w3, 3 * width);
    }

    /// <summary><see cref="WeightTile4x4"/> one vector wide, for the columns left over.</summary>
    private static void WeightTile4x1(ref T dz, int dzStride, ref T x, int xStride, int count, ref T dw, int k)
    {
        ref T w1 = ref Unsafe.Add(ref dw, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var a0 = TOps.Load(ref dw, 0); var a1 = TOps.Load(ref w1, 0); var a2 = TOps.Load(ref w2, 0); var a3 = TOps.Load(ref w3, 0);
        for (int s = 0; s < count; s++)
        {
            var v = TOps.Load(ref x, 0);
            a0 = TOps.Fma(TOps.Broadcast(dz), v, a0);
            a1 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref dz, 1)), v, a1);
            a2 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref dz, 2)), v, a2);
            a3 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref dz, 3)), v, a3);
            x = ref Unsafe.Add(ref x, xStride);
            dz = ref Unsafe.Add(ref dz, dzStride);
        }

        TOps.Store(a0, ref dw, 0); TOps.Store(a1, ref w1, 0); TOps.Store(a2, ref w2, 0); TOps.Store(a3, ref w3, 0);
    }

    /// <summary>
    /// <c>dx[t, c] (+)= Σ_r dz[t, r] w[r, c]</c> for 4 samples and 4 vectors of columns over <paramref name="count"/>
    /// weight rows, with the 16 accumulators in registers.
    /// </summary>
    private static void InputTile4x4(ref T dz, int dzStride, ref T w, int wStride, int count, ref T dx, int dxStride, bool add)
    {
        int width = TOps.Count;
        ref T d1 = ref Unsafe.Add(ref dx, dxStride);
        ref T d2 = ref Unsafe.Add(ref d1, dxStride);
        ref T d3 = ref Unsafe.Add(ref d2, dxStride);
        ref T g1 = ref Unsafe.Add(ref dz, dzStride);
        ref T g2 = ref Unsafe.Add(ref g1, dzStride);
        ref T g3 = ref Unsafe.Add(ref g2, dzStride);
        TVector a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
        if (add)
        {
            a00 = TOps.Load(ref dx, 0); a01 = TOps.Load(ref dx, width); a02 = TOps.Load(ref dx, 2 * width); a03 = TOps.Load(ref dx, 3 * width);
            a10 = TOps.Load(ref d1, 0); a11 = TOps.Load(ref d1, width); a12 = TOps.Load(ref d1, 2 * width); a13 = TOps.Load(ref d1, 3 * width);
            a20 = TOps.Load(ref d2, 0); a21 = TOps.Load(ref d2, width); a22 = TOps.Load(ref d2, 2 * width); a23 = TOps.Load(ref d2, 3 * width);
            a30 = TOps.Load(ref d3, 0); a31 = TOps.Load(ref d3, width); a32 = TOps.Load(ref d3, 2 * width); a33 = TOps.Load(ref d3, 3 * width);
        }
        else
        {
            a00 = a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = a30 = a31 = a32 = a33 = TOps.Zero;
        }

        for (int j = 0; j < count; j++)
        {
            var v0 = TOps.Load(ref w, 0); var v1 = TOps.Load(ref w, width); var v2 = TOps.Load(ref w, 2 * width); var v3 = TOps.Load(ref w, 3 * width);
            var g = TOps.Broadcast(Unsafe.Add(ref dz, j));
            a00 = TOps.Fma(g, v0, a00); a01 = TOps.Fma(g, v1, a01); a02 = TOps.Fma(g, v2, a02); a03 = TOps.Fma(g, v3, a03);
            g = TOps.Broadcast(Unsafe.Add(ref g1, j));
            a10 = TOps.Fma(g, v0, a10); a11 = TOps.Fma(g, v1, a11); a12 = TOps.Fma(g, v2, a12); a13 = TOps.Fma(g, v3, a13);
            g = TOps.Broadcast(Unsafe.Add(ref g2, j));
            a20 = TOps.Fma(g, v0, a20); a21 = TOps.Fma(g, v1, a21); a22 = TOps.Fma(g, v2, a22); a23 = TOps.Fma(g, v3, a23);
            g = TOps.Broadcast(Unsafe.Add(ref g3, j));
            a30 = TOps.Fma(g, v0, a30); a31 = TOps.Fma(g, v1, a31); a32 = TOps.Fma(g, v2, a32); a33 = TOps.Fma(g, v3, a33);
            w = ref Unsafe.Add(ref w, wStride);
        }

        TOps.Store(a00, ref dx, 0); TOps.Store(a01, ref dx, width); TOps.Store(a02, ref dx, 2 * width); TOps.Store(a03, ref dx, 3 * width);
        TOps.Store(a10, ref d1, 0); TOps.Store(a11, ref d1, width); TOps.Store(a12, ref d1, 2 * width); TOps.Store(a13, ref d1, 3 * width);
        TOps.Store(a20, ref d2, 0); TOps.Store(a21, ref d2, width); TOps.Store(a22, ref d2, 2 * width); TOps.Store(a23, ref d2, 3 * width);
        TOps.Store(a30, ref d3, 0); TOps.Store(a31, ref d3, width); TOps.Store(a32, ref d3, 2 * width); TOps.Store(a33, ref d3, 3 * width);
    }

    /// <summary><see cref="InputTile4x4"/> one vector wide, for the columns left over.</summary>
    private static void InputTile4x1(ref T dz, int dzStride, ref T w, int wStride, int count, ref T dx, int dxStride, bool add)
    {
        ref T d1 = ref Unsafe.Add(ref dx, dxStride);
        ref T d2 = ref Unsafe.Add(ref d1, dxStride);
        ref T d3 = ref Unsafe.Add(ref d2, dxStride);
        ref T g1 = ref Unsafe.Add(ref dz, dzStride);
        ref T g2 = ref Unsafe.Add(ref g1, dzStride);
        ref T g3 = ref Unsafe.Add(ref g2, dzStride);
        TVector a0, a1, a2, a3;
        if (add)
        {
            a0 = TOps.Load(ref dx, 0); a1 = TOps.Load(ref d1, 0); a2 = TOps.Load(ref d2, 0); a3 = TOps.Load(ref d3, 0);
        }
        else
        {
            a0 = a1 = a2 = a3 = TOps.Zero;
        }

        for (int j = 0; j < count; j++)
        {
            var v = TOps.Load(ref w, 0);
            a0 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref dz, j)), v, a0);
            a1 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref g1, j)), v, a1);
            a2 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref g2, j)), v, a2);
            a3 = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref g3, j)), v, a3);
            w = ref Unsafe.Add(ref w, wStride);
        }

        TOps.Store(a0, ref dx, 0); TOps.Store(a1, ref d1, 0); TOps.Store(a2, ref d2, 0); TOps.Store(a3, ref d3, 0);
    }

    /// <summary>
    /// Sixteen dot products at once: samples x, x+xStride, x+2xStride, x+3xStride against rows w, w+k, w+2k,
    /// w+3k. Sixteen accumulators plus the loads fit the 32 vector registers of AVX-512 machines; each
    /// loaded vector feeds four fused multiply-adds.
    /// </summary>
    private static void Dot4x4(ref T x, int xStride, ref T w, int k, out DenseKernels.Tile16<T> result)
    {
        ref T x1 = ref Unsafe.Add(ref x, xStride);
        ref T x2 = ref Unsafe.Add(ref x1, xStride);
        ref T x3 = ref Unsafe.Add(ref x2, xStride);
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        TVector c00 = default, c01 = default, c02 = default, c03 = default;
        TVector c10 = default, c11 = default, c12 = default, c13 = default;
        TVector c20 = default, c21 = default, c22 = default, c23 = default;
        TVector c30 = default, c31 = default, c32 = default, c33 = default;
        int width = TOps.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var v0 = TOps.Load(ref w, i);
            var v1 = TOps.Load(ref w1, i);
            var v2 = TOps.Load(ref w2, i);
            var v3 = TOps.Load(ref w3, i);
            var a = TOps.Load(ref x, i);
            c00 = TOps.Fma(a, v0, c00); c01 = TOps.Fma(a, v1, c01); c02 = TOps.Fma(a, v2, c02); c03 = TOps.Fma(a, v3, c03);
            a = TOps.Load(ref x1, i);
            c10 = TOps.Fma(a, v0, c10); c11 = TOps.Fma(a, v1, c11); c12 = TOps.Fma(a, v2, c12); c13 = TOps.Fma(a, v3, c13);
            a = TOps.Load(ref x2, i);
            c20 = TOps.Fma(a, v0, c20); c21 = TOps.Fma(a, v1, c21); c22 = TOps.Fma(a, v2, c22); c23 = TOps.Fma(a, v3, c23);
            a = TOps.Load(ref x3, i);
            c30 = TOps.Fma(a, v0, c30); c31 = TOps.Fma(a, v1, c31); c32 = TOps.Fma(a, v2, c32); c33 = TOps.Fma(a, v3, c33);
        }

        result = default;
        result[0] = TOps.Sum(c00); result[1] = TOps.Sum(c01); result[2] = TOps.Sum(c02); result[3] = TOps.Sum(c03);
        result[4] = TOps.Sum(c10); result[5] = TOps.Sum(c11); result[6] = TOps.Sum(c12); result[7] = TOps.Sum(c13);
        result[8] = TOps.Sum(c20); result[9] = TOps.Sum(c21); result[10] = TOps.Sum(c22); result[11] = TOps.Sum(c23);
        result[12] = TOps.Sum(c30); result[13] = TOps.Sum(c31); result[14] = TOps.Sum(c32); result[15] = TOps.Sum(c33);
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
    private static void Dot2x4(ref T x0, ref T x1, ref T w, int k, out DenseKernels.Tile8<T> result)
    {
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var c00 = TOps.Zero; var c01 = TOps.Zero; var c02 = TOps.Zero; var c03 = TOps.Zero;
        var c10 = TOps.Zero; var c11 = TOps.Zero; var c12 = TOps.Zero; var c13 = TOps.Zero;
        int width = TOps.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var a0 = TOps.Load(ref x0, i);
            var a1 = TOps.Load(ref x1, i);
            var v = TOps.Load(ref w, i);
            c00 = TOps.Fma(a0, v, c00); c10 = TOps.Fma(a1, v, c10);
            v = TOps.Load(ref w1, i);
            c01 = TOps.Fma(a0, v, c01); c11 = TOps.Fma(a1, v, c11);
            v = TOps.Load(ref w2, i);
            c02 = TOps.Fma(a0, v, c02); c12 = TOps.Fma(a1, v, c12);
            v = TOps.Load(ref w3, i);
            c03 = TOps.Fma(a0, v, c03); c13 = TOps.Fma(a1, v, c13);
        }

        result = default;
        result[0] = TOps.Sum(c00); result[1] = TOps.Sum(c01); result[2] = TOps.Sum(c02); result[3] = TOps.Sum(c03);
        result[4] = TOps.Sum(c10); result[5] = TOps.Sum(c11); result[6] = TOps.Sum(c12); result[7] = TOps.Sum(c13);
        for (; i < k; i++)
        {
            T a0 = Unsafe.Add(ref x0, i);
            T a1 = Unsafe.Add(ref x1, i);
            T v0 = Unsafe.Add(ref w, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
            result[0] += a0 * v0; result[1] += a0 * v1; result[2] += a0 * v2; result[3] += a0 * v3;
            result[4] += a1 * v0; result[5] += a1 * v1; result[6] += a1 * v2; result[7] += a1 * v3;
        }
    }

    private static T Dot(ref T a, ref T b, int k)
    {
        var c0 = TOps.Zero;
        var c1 = TOps.Zero;
        int width = TOps.Count;
        int i = 0;
        for (; i + (2 * width) <= k; i += 2 * width)
        {
            c0 = TOps.Fma(TOps.Load(ref a, i), TOps.Load(ref b, i), c0);
            c1 = TOps.Fma(TOps.Load(ref a, i + width), TOps.Load(ref b, i + width), c1);
        }

        for (; i + width <= k; i += width)
        {
            c0 = TOps.Fma(TOps.Load(ref a, i), TOps.Load(ref b, i), c0);
        }

        T sum = TOps.Sum(TOps.Add(c0, c1));
        for (; i < k; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return sum;
    }
}
