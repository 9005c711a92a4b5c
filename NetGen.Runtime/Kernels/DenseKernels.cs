using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
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
/// The backward products, and the forward product at 512 bits from 32 samples on, are one GEMM-style blocked
/// product: a packed sliver of one operand stays in the L1 cache while register tiles of 6 x 4 (512 bits) or 4 x 4
/// vectors broadcast the other operand against it. Fewer samples, or narrower vectors, keep dot-product tiles for the
/// forward product. The vectors are the widest the process uses (<c>Vector512</c>, <c>Vector256</c> or
/// <c>Vector128</c>, chosen once at start-up and capped by the environment variable
/// <c>NETGEN_MAX_VECTOR_BITS</c>), so tiles and blocks scale with the width. Results depend only on the sizes
/// and that width, never on the thread that runs them; different widths add in a different order and may
/// differ in the last bits. Arguments are validated once per call; the loops then read without bounds checks.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class DenseKernels
{
    /// <summary>
    /// <c>z[s, j] = b[j] + Σ_i x[s, i] w[j, i]</c> for <paramref name="m"/> samples, <paramref name="n"/> outputs
    /// and <paramref name="k"/> inputs; with a <paramref name="team"/>, a large product is split across its threads by
    /// rows of <c>W</c> (the same results).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(VectorWidth.Bits, x, xStride, w, b, z, zStride, m, n, k, team);

    /// <summary>
    /// Adds <c>dw[j, i] += Σ_s dz[s, j] x[s, i]</c> and <c>db[j] += Σ_s dz[s, j]</c> over <paramref name="m"/> samples;
    /// with a <paramref name="team"/>, a large product is split across its threads by rows of <c>dW</c> (the same results).
    /// </summary>
    public static void AccumulateWeightGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AccumulateWeightGradient(VectorWidth.Bits, dz, dzStride, x, xStride, dw, db, m, n, k, team);

    /// <summary>
    /// <c>dx[s, i] = Σ_j dz[s, j] w[j, i]</c> (or <c>+=</c> when <paramref name="accumulate"/>) over <paramref name="m"/> samples;
    /// with a <paramref name="team"/>, a large product is split across its threads by columns of <c>dX</c> (the same results).
    /// </summary>
    public static void InputGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => InputGradient(VectorWidth.Bits, dz, dzStride, w, dx, dxStride, m, n, k, accumulate, team);

    /// <summary><see cref="Forward{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int, KernelTeam?)"/> with vectors of <paramref name="vectorBits"/> bits (tests run every width the machine has).</summary>
    internal static void Forward<T>(int vectorBits, ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k, KernelTeam? team = null, ProductEpilogue epilogue = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckMatrix(z.Length, m, n, zStride, nameof(z));
        CheckLength(w.Length, n * k, nameof(w));
        CheckLength(b.Length, n, nameof(b));
        if (team is not null && ForwardOnTeam(team, vectorBits, x, xStride, w, b, z, zStride, m, n, k, epilogue))
        {
            return;
        }

        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.Forward(x, xStride, w, b, z, zStride, m, n, k, epilogue); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.Forward(x, xStride, w, b, z, zStride, m, n, k, epilogue); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.Forward(x, xStride, w, b, z, zStride, m, n, k, epilogue); break;
        }
    }

    /// <summary><see cref="AccumulateWeightGradient{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, Span{T}, int, int, int, KernelTeam?)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void AccumulateWeightGradient<T>(int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckLength(dw.Length, n * k, nameof(dw));
        CheckLength(db.Length, n, nameof(db));
        if (team is not null && WeightGradientOnTeam(team, vectorBits, dz, dzStride, x, xStride, dw, db, m, n, k))
        {
            return;
        }

        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.AccumulateWeightGradient(dz, dzStride, x, xStride, dw, db, m, n, k); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.AccumulateWeightGradient(dz, dzStride, x, xStride, dw, db, m, n, k); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.AccumulateWeightGradient(dz, dzStride, x, xStride, dw, db, m, n, k); break;
        }
    }

    /// <summary><see cref="InputGradient{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool, KernelTeam?)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void InputGradient<T>(int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false, KernelTeam? team = null, ProductEpilogue epilogue = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(dx.Length, m, k, dxStride, nameof(dx));
        CheckLength(w.Length, n * k, nameof(w));
        if (team is not null && InputGradientOnTeam(team, vectorBits, dz, dzStride, w, dx, dxStride, m, n, k, accumulate, epilogue))
        {
            return;
        }

        InputGradientColumns(vectorBits, dz, dzStride, w, dx, dxStride, m, n, k, 0, k, accumulate, epilogue);
    }

    /// <summary>Columns <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of <see cref="InputGradient{T}(int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool, KernelTeam?, ProductEpilogue)"/>, validated by it.</summary>
    private static void InputGradientColumns<T>(int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, int start, int count, bool accumulate, ProductEpilogue epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, start, count, accumulate, epilogue); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, start, count, accumulate, epilogue); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, start, count, accumulate, epilogue); break;
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

    // The checks inline into generated passes; their messages are built out of line so that they do not spend the JIT's
    // inlining budget there (docs/design-notes.md, "The inlining budget").
    private static void CheckMatrix(int length, int rows, int columns, int stride, string name)
    {
        if (rows < 0 || columns < 0 || stride < columns)
        {
            ThrowLayout(rows, columns, stride, name);
        }

        if (rows > 0 && length < ((long)(rows - 1) * stride) + columns)
        {
            ThrowMatrixLength(length, rows, columns, stride, name);
        }
    }

    private static void CheckLength(int length, int required, string name)
    {
        if (length < required)
        {
            ThrowLength(length, required, name);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLayout(int rows, int columns, int stride, string name) =>
        throw new ArgumentException($"'{name}': {rows} rows of {columns} with stride {stride} is not a valid layout.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMatrixLength(int length, int rows, int columns, int stride, string name) =>
        throw new ArgumentException($"'{name}' has {length} elements; {rows} rows of {columns} with stride {stride} need {((long)(rows - 1) * stride) + columns}.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int length, int required, string name) =>
        throw new ArgumentException($"'{name}' has {length} elements; the layer needs {required}.", name);

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
    public static void Forward(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k, ProductEpilogue epilogue = default)
    {
        if (ForwardIsTransposed(m, n, k))
        {
            // With 512-bit vectors and enough samples to pay for transposing W: then Z = b + X · (Wᵀ) is the product of
            // the other two kernels, whose tiles broadcast one x value against vectors of outputs and so need no
            // horizontal sums (16 per 4 x 4 tile, each several shuffles, which halved this product's speed at 512 bits).
            // Narrower vectors keep the dot-product tiles, which were faster there (W3 inference, batch 256: 285,000
            // against 227,000 samples/s at 256 bits). Wᵀ is never built whole: each sliver is transposed from W straight
            // into the packed scratch (16 x 16 blocks in registers). The tiles start their sums from the bias.
            Multiply(
                ref MemoryMarshal.GetReference(x), xStride, broadcastTransposed: false,
                ref MemoryMarshal.GetReference(w), k, vectorTransposed: true,
                ref MemoryMarshal.GetReference(z), zStride, m, n, k, accumulate: false, ref MemoryMarshal.GetReference(b), epilogue);
            return;
        }

        ForwardDotProducts(x, xStride, w, b, z, zStride, m, n, k);

        // The dot-product tiles store z a few elements of a row at a time; the epilogue then runs over the rows the call
        // wrote (still in cache for the narrow layers and few samples these tiles serve), inside the call so a team's parts
        // share it.
        ApplyEpilogue(epilogue, ref MemoryMarshal.GetReference(z), zStride, ref epilogue.Values<T>(), m, n);
    }

    /// <summary>The forward product on dot-product tiles (fewer samples, or vectors narrower than 512 bits).</summary>
    private static void ForwardDotProducts(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
    {
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

        // dW [n x k] += dZᵀ [n x m] · X [m x k]: the broadcast operand is dZᵀ, whose MR-row slivers are runs of
        // each dZ row, and the vector operand is X's rows.
        Multiply(
            ref rdz, dzStride, broadcastTransposed: true,
            ref MemoryMarshal.GetReference(x), xStride, vectorTransposed: false,
            ref MemoryMarshal.GetReference(dw), k, n, k, m, accumulate: true, ref Unsafe.NullRef<T>(), default);
    }

    /// <summary>
    /// <c>dx[s, i] = Σ_j dz[s, j] w[j, i]</c> (or <c>+=</c> when <paramref name="accumulate"/>) over <paramref name="m"/> samples.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false) =>
        InputGradient(dz, dzStride, w, dx, dxStride, m, n, k, 0, k, accumulate, default);

    /// <summary>
    /// Columns <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of <c>dX</c> in
    /// <see cref="InputGradient(ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool)"/> (a kernel
    /// team's part): every element is the same chain as in the whole product.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, int start, int count, bool accumulate, ProductEpilogue epilogue) =>
        Multiply(
            ref MemoryMarshal.GetReference(dz), dzStride, broadcastTransposed: false,
            ref Unsafe.Add(ref MemoryMarshal.GetReference(w), start), k, vectorTransposed: false,
            ref Unsafe.Add(ref MemoryMarshal.GetReference(dx), start), dxStride, m, count, n, accumulate, ref Unsafe.NullRef<T>(), epilogue.Columns<T>(start));

    /// <summary>
    /// True when <see cref="Forward"/> runs on <c>Wᵀ</c> with the blocked product, false when it runs dot-product
    /// tiles (their results differ in the last bits, so a kernel team's parts must take the path of the whole).
    /// </summary>
    public static bool ForwardIsTransposed(int m, int n, int k) =>
        TOps.Count * Unsafe.SizeOf<T>() >= 64 && m >= TransposedForwardSamples && n >= TransposedForwardMinOutputs && k >= TOps.Count;

    /// <summary>
    /// Rows of <c>W</c> a kernel team's part of <see cref="Forward"/> spans a multiple of: on <c>Wᵀ</c> a whole sliver, at
    /// least the outputs that path needs (so each part takes it too); with the dot-product tiles, which group rows by
    /// four from the first, four; for one sample, whose rows go eight at a time, eight.
    /// </summary>
    public static int ForwardRowQuantum(int m, int n, int k) => ForwardIsTransposed(m, n, k) ? TransposedForwardOutputs : m == 1 ? 8 : 4;

    /// <summary>The outputs of one sliver: a kernel team's parts of a forward product on <c>Wᵀ</c> are multiples of it.</summary>
    private static int TransposedForwardOutputs => SliverVectors * TOps.Count;

    /// <summary>
    /// The fewest outputs <see cref="Forward"/> runs on <c>Wᵀ</c> for: half a vector. A layer narrower than a sliver runs on
    /// one-vector tiles whose unused lanes are zero padding; on 256 samples of 128 inputs that measured 1.6x the
    /// dot-product tiles for 10 outputs, 2.7x for 16 to 48, 1.1x for 8, 0.96x for 6 and 0.3-0.6x for 1 to 4 (in-process
    /// A/B), where a vector of outputs is mostly padding and the dot products' horizontal sums are few.
    /// </summary>
    private static int TransposedForwardMinOutputs => TOps.Count / 2;

    /// <summary>Columns of <c>dX</c> a kernel team's part of <see cref="InputGradient(ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool)"/> spans a multiple of: whole slivers.</summary>
    public static int InputGradientColumnQuantum => SliverVectors * TOps.Count;

    /// <summary>
    /// The product all three kernels reduce to, <c>C [rows x columns] (+)= A [rows x depth] · B [depth x columns]</c>,
    /// blocked like GotoBLAS/BLIS. B is read as vectors along C's rows and A as broadcast scalars:
    /// <list type="bullet">
    /// <item>B is packed <see cref="DepthBlock"/> rows at a time into a contiguous sliver of <see cref="SliverVectors"/>
    /// vectors of columns ([depth][columns], the last sliver zero-padded to whole vectors), read in order while every
    /// row of A passes it: strided rows a power of two apart would share a handful of L1 sets, and the workspace's
    /// per-sample rows are misaligned.</item>
    /// <item>A is not packed: its broadcasts are scalar loads, which neither alignment nor stride slows, and packing it
    /// meant a transpose (X, dZ) that cost a quarter of the forward product on W3's 128 outputs (12 x 2 tiles on packed
    /// slivers: 102 against 138 GFLOP/s for the unpacked 4 x 4 tiles). Only a last group of fewer rows than a tile's is
    /// copied into a zero-padded buffer, so the register tiles have no row edge.</item>
    /// <item>The register tiles (<see cref="Tile6x4"/> at 512 bits, <see cref="Tile4x4"/> narrower, and one vector wide
    /// for a narrower last sliver) keep a few rows of C in registers over the whole depth block; a tile past C's last
    /// row or column runs on a small buffer.</item>
    /// </list>
    /// Each C element is one chain of fused multiply-adds over the depth in order, starting from zero, from the
    /// <paramref name="initial"/> row, or from C when <paramref name="accumulate"/>, so neither the blocking nor the vector
    /// width changes a result, and no thread's choice of tiles could.
    /// </summary>
    /// <param name="a">A: element (r, p) at <c>a[r * aStride + p]</c>, or at <c>a[p * aStride + r]</c> when <paramref name="broadcastTransposed"/>.</param>
    /// <param name="aStride">A's row stride.</param>
    /// <param name="broadcastTransposed">A is stored transposed (the weight gradient's dZᵀ).</param>
    /// <param name="b">B: element (p, c) at <c>b[p * bStride + c]</c>, or at <c>b[c * bStride + p]</c> when <paramref name="vectorTransposed"/>.</param>
    /// <param name="bStride">B's row stride.</param>
    /// <param name="vectorTransposed">B is stored transposed (the forward product's Wᵀ).</param>
    /// <param name="c">C: element (r, c) at <c>c[r * cStride + c]</c>.</param>
    /// <param name="cStride">C's row stride.</param>
    /// <param name="rows">Rows of A and C.</param>
    /// <param name="columns">Columns of B and C.</param>
    /// <param name="depth">Columns of A, rows of B.</param>
    /// <param name="accumulate">Add to C rather than overwrite it.</param>
    /// <param name="initial">Unless <paramref name="accumulate"/>, the row of <paramref name="columns"/> every row of C starts
    /// from (the forward product's bias), or a null reference for zeros.</param>
    /// <param name="epilogue">What each element of C becomes once its chain is complete (an activation, or its derivative),
    /// applied to each register tile's rows of C right after its last depth block stores them, while they are in L1.</param>
    // AggressiveOptimization on this product and the loops it calls: they are compiled fully optimized at their first call
    // instead of starting as instrumented tier-0 code (then on-stack replacement, then tier 1 a while later), which had
    // made a training run's first epoch about twice as long as the next ones.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(
        ref T a, int aStride, bool broadcastTransposed,
        ref T b, int bStride, bool vectorTransposed,
        ref T c, int cStride, int rows, int columns, int depth, bool accumulate, ref T initial, ProductEpilogue epilogue)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (depth == 0)
        {
            if (!accumulate)
            {
                for (int r = 0; r < rows; r++)
                {
                    var row = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref c, r * cStride), columns);
                    if (Unsafe.IsNullRef(ref initial))
                    {
                        row.Clear();
                    }
                    else
                    {
                        MemoryMarshal.CreateReadOnlySpan(ref initial, columns).CopyTo(row);
                    }
                }
            }

            ApplyEpilogue(epilogue, ref c, cStride, ref epilogue.Values<T>(), rows, columns);
            return;
        }

        int width = TOps.Count;
        int sliverColumns = SliverVectors * width;
        int tileRows = TileRows;

        // Rows in full tiles, then (6-row tiles only) a 4-row tile or two for a leftover of 4 or 2 (8 rows as 6 + 2
        // zero-padded ran dX of 8 samples at 0.7x the 4 x 4 tiles), then fewer than 4 through a zero-padded copy.
        int mainRows = rows - (rows % tileRows);
        int fourRowTiles = 0;
        if (tileRows == 6)
        {
            int left = rows % 6;
            if (left >= 4)
            {
                fourRowTiles = 1;
            }
            else if (left >= 2 && mainRows > 0)
            {
                mainRows -= 6;
                fourRowTiles = 2;
            }
        }

        int fullRows = mainRows + (4 * fourRowTiles);
        int rowStep = broadcastTransposed ? 1 : aStride;
        int depthStep = broadcastTransposed ? aStride : 1;

        // A few rows read each B element only a few times: then B's rows are read in place (only a last sliver narrower
        // than a whole one is packed, padded to whole vectors), since copying B would cost as much as the product. So
        // are B's rows when a sliver of them is small enough to stay in L1 as it lies (W3's weight gradient, 64 samples
        // deep: 16 KB), which spares each thread of a team copying the whole of B for its own rows.
        bool packB = vectorTransposed || (rows >= PackedRows && (long)depth * sliverColumns * Unsafe.SizeOf<T>() > InPlaceSliverBytes);
        // Depth blocks of equal size (784 = 7 x 112 rather than 6 x 128 + 16): a C tile is loaded and stored once per block
        // whatever its depth, which a last block of 16 barely paid for.
        int blockDepth = (depth + DepthBlock - 1) / DepthBlock;
        blockDepth = (depth + blockDepth - 1) / blockDepth;
        var scratch = KernelScratch<T>.Get((blockDepth * (sliverColumns + tileRows)) + ((tileRows + 1) * sliverColumns));
        ref T packedB = ref MemoryMarshal.GetReference(scratch);
        ref T lastRows = ref Unsafe.Add(ref packedB, blockDepth * sliverColumns);
        ref T edge = ref Unsafe.Add(ref lastRows, blockDepth * tileRows);
        ref T initialSliver = ref Unsafe.Add(ref edge, tileRows * sliverColumns);
        ref T epilogueValues = ref epilogue.Values<T>();
        int epilogueStride = epilogue.Stride;
        // Slivers of columns outside and depth blocks inside, so a sliver of C (every row, 4 vectors) is still in cache
        // from one depth block to the next (depth blocks outside: 0.94-0.98x the 4 x 4 tiles at 256 bits).
        for (int c0 = 0; c0 < columns; c0 += sliverColumns)
        {
            int count = Math.Min(sliverColumns, columns - c0);
            int vectors = (count + width - 1) / width;
            ref T cSliver = ref Unsafe.Add(ref c, c0);
            ref T start = ref Unsafe.NullRef<T>();
            if (!accumulate && !Unsafe.IsNullRef(ref initial))
            {
                // The initial row's part for this sliver, zero-padded to whole vectors, so the tiles load it whole.
                start = ref initialSliver;
                PackSliver(ref Unsafe.Add(ref initial, c0), 0, count, 1, ref start);
            }

            for (int p0 = 0; p0 < depth; p0 += blockDepth)
            {
                int depthCount = Math.Min(blockDepth, depth - p0);
                bool first = p0 == 0 && !accumulate;
                bool last = p0 + depthCount == depth;
                ref T aBlock = ref Unsafe.Add(ref a, p0 * depthStep);

                // The sliver is packed just before every row of A passes it, so it is still in L1 (packing a block of
                // slivers first, BLIS's order for a packed A, measured 0.86-0.9x the 4 x 4 tiles on 128 strided samples).
                ref T sliver = ref Unsafe.Add(ref b, (p0 * bStride) + c0);
                int sliverStride = bStride;
                if (vectorTransposed)
                {
                    PackSliverTransposed(ref Unsafe.Add(ref b, (c0 * bStride) + p0), bStride, count, depthCount, ref packedB);
                    sliver = ref packedB;
                    sliverStride = vectors * width;
                }
                else if (packB || count < sliverColumns)
                {
                    PackSliver(ref sliver, bStride, count, depthCount, ref packedB);
                    sliver = ref packedB;
                    sliverStride = vectors * width;
                }

                for (int r0 = 0; r0 < fullRows; r0 += r0 < mainRows ? tileRows : 4)
                {
                    int group = r0 < mainRows ? tileRows : 4;
                    if (!first && PrefetchesRows)
                    {
                        // The next register tile loads its block of C before its first multiply-add: announce it one tile
                        // ahead, so the load does not stall the whole tile. W3's weight gradient on two threads (C added to,
                        // cleared at the start of the step) ran its second thread's part 1.4x slower without it whenever the
                        // two vCPUs sat on different dies (see docs/design-notes.md).
                        if (r0 + group < rows)
                        {
                            PrefetchTile(ref Unsafe.Add(ref cSliver, (r0 + group) * cStride), cStride, Math.Min(tileRows, rows - r0 - group), count);
                        }
                        else if (last && accumulate && c0 + sliverColumns < columns)
                        {
                            PrefetchTile(ref Unsafe.Add(ref cSliver, sliverColumns), cStride, Math.Min(tileRows, rows), Math.Min(sliverColumns, columns - c0 - sliverColumns));
                        }
                    }

                    TileRow(ref Unsafe.Add(ref aBlock, r0 * rowStep), rowStep, depthStep, group, ref sliver, vectors, sliverStride, depthCount, ref Unsafe.Add(ref cSliver, r0 * cStride), cStride, group, columns - c0, first, ref start, ref edge);
                    if (last)
                    {
                        ApplyEpilogue(epilogue, ref Unsafe.Add(ref cSliver, r0 * cStride), cStride, ref Offset(ref epilogueValues, (r0 * epilogueStride) + c0), group, count);
                    }
                }

                if (fullRows < rows)
                {
                    // The last rows (fewer than 4) as [depth][4] with zero rows below them.
                    MemoryMarshal.CreateSpan(ref lastRows, depthCount * 4).Clear();
                    for (int r = fullRows; r < rows; r++)
                    {
                        for (int p = 0; p < depthCount; p++)
                        {
                            Unsafe.Add(ref lastRows, (p * 4) + r - fullRows) = Unsafe.Add(ref aBlock, (r * rowStep) + (p * depthStep));
                        }
                    }

                    TileRow(ref lastRows, 1, 4, 4, ref sliver, vectors, sliverStride, depthCount, ref Unsafe.Add(ref cSliver, fullRows * cStride), cStride, rows - fullRows, columns - c0, first, ref start, ref edge);
                    if (last)
                    {
                        ApplyEpilogue(epilogue, ref Unsafe.Add(ref cSliver, fullRows * cStride), cStride, ref Offset(ref epilogueValues, (fullRows * epilogueStride) + c0), rows - fullRows, count);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One group of <paramref name="tileRows"/> rows (6 or 4) of A against one sliver of <paramref name="vectors"/>
    /// vectors: the full register tile on a whole sliver, otherwise one vector at a time. A tile reaching past C's last
    /// row or column runs on <paramref name="edge"/> (a tile's worth), and only C's part of it is copied in and out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileRow(ref T a, int rowStep, int depthStep, int tileRows, ref T sliver, int vectors, int sliverStride, int depth, ref T c, int cStride, int rows, int columns, bool first, ref T start, ref T edge)
    {
        int width = TOps.Count;
        int tileColumns = vectors * width;
        bool inside = rows == tileRows && columns >= tileColumns;
        ref T target = ref inside ? ref c : ref edge;
        int targetStride = inside ? cStride : tileColumns;
        int columnsHere = Math.Min(columns, tileColumns);
        if (!inside && !first)
        {
            CopyTile(ref c, cStride, ref edge, tileColumns, rows, columnsHere);
        }

        if (vectors == SliverVectors)
        {
            if (tileRows == 6)
            {
                Tile6x4(ref a, rowStep, depthStep, ref sliver, sliverStride, depth, ref target, targetStride, first, ref start);
            }
            else
            {
                Tile4x4(ref a, rowStep, depthStep, ref sliver, sliverStride, depth, ref target, targetStride, first, ref start);
            }
        }
        else
        {
            for (int v = 0; v < vectors; v++)
            {
                if (tileRows == 6)
                {
                    Tile6x1(ref a, rowStep, depthStep, ref Unsafe.Add(ref sliver, v * width), sliverStride, depth, ref Unsafe.Add(ref target, v * width), targetStride, first, ref VectorAt(ref start, v * width));
                }
                else
                {
                    Tile4x1(ref a, rowStep, depthStep, ref Unsafe.Add(ref sliver, v * width), sliverStride, depth, ref Unsafe.Add(ref target, v * width), targetStride, first, ref VectorAt(ref start, v * width));
                }
            }
        }

        if (!inside)
        {
            CopyTile(ref edge, tileColumns, ref c, cStride, rows, columnsHere);
        }
    }

    /// <summary>
    /// Prefetches <paramref name="rows"/> rows of <paramref name="columns"/> elements of C from <paramref name="c"/> (a register
    /// tile's block): each row's lines, the last one through its last element, since a strided row need not start on a line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(ref T c, int cStride, int rows, int columns)
    {
        int width = TOps.Count;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref c, r * cStride);
            for (int e = 0; e < columns; e += width)
            {
                Prefetch(ref Unsafe.Add(ref row, e));
            }

            Prefetch(ref Unsafe.Add(ref row, columns - 1));
        }
    }

    /// <summary>Rows of A from which B is packed: the 4 x 4 tiles this design replaced packed from 16.</summary>
    private const int PackedRows = 16;

    /// <summary>Bytes of a sliver of B (its depth times a sliver's columns) up to which B is read in place, never packed.</summary>
    private const int InPlaceSliverBytes = 16 * 1024;

    /// <summary>
    /// Rows of the register tile: 6 with 512-bit vectors (6 x 4 accumulators of the 32 registers AVX-512 has, 4 B vectors
    /// and a broadcast), 4 with narrower ones (16 accumulators, the shape of the tiles this design replaced).
    /// </summary>
    private static int TileRows => TOps.Count * Unsafe.SizeOf<T>() >= 64 ? 6 : 4;

    /// <summary>Vectors of columns per sliver and register tile.</summary>
    private const int SliverVectors = 4;

    /// <summary>
    /// Most depth of a packed block; a C tile is loaded and stored once per block. With narrower vectors 128 rows, a
    /// sliver of 16 KB that stays in L1 while A's rows pass it (1024 measured 0.97-1.0x at 256 bits on W4's products). At
    /// 512 bits 1024, so W4's and W3's products run their whole depth in one block: the sliver (200 KB for 784 inputs)
    /// streams from L2 in order, which the 6 x 4 tile's 4 loads per 12 cycles absorb, while C's tiles, strided rows in
    /// the workspace, are read and written once instead of 4-7 times. In-process A/B of W4's nine products in the
    /// generated layout: 1.02-1.05x in all, the 10-output layer's forward product and input gradient 1.6-1.9x (their tiles
    /// go through the edge buffer, once per block).
    /// </summary>
    private static int DepthBlock => TOps.Count * Unsafe.SizeOf<T>() >= 64 ? 1024 : 128;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The vector a tile's sums start from: the initial row's at <paramref name="start"/>, or zeros for a null reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector StartVector(ref T start) => Unsafe.IsNullRef(ref start) ? TOps.Zero : TOps.Load(ref start, 0);

    /// <summary>A whole sliver's four <see cref="StartVector"/>s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StartVectors(ref T start, out TVector v0, out TVector v1, out TVector v2, out TVector v3)
    {
        if (Unsafe.IsNullRef(ref start))
        {
            v0 = v1 = v2 = v3 = TOps.Zero;
        }
        else
        {
            int width = TOps.Count;
            v0 = TOps.Load(ref start, 0);
            v1 = TOps.Load(ref start, width);
            v2 = TOps.Load(ref start, 2 * width);
            v3 = TOps.Load(ref start, 3 * width);
        }
    }

    /// <summary>The element <paramref name="offset"/> past <paramref name="start"/>, or a null reference for a null one.</summary>
    private static ref T VectorAt(ref T start, int offset) => ref Unsafe.IsNullRef(ref start) ? ref start : ref Unsafe.Add(ref start, offset);

    /// <summary>Copies a <paramref name="rows"/> x <paramref name="columns"/> block between strided rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyTile(ref T source, int sourceStride, ref T target, int targetStride, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
        {
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, r * sourceStride), columns)
                .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, r * targetStride), columns));
        }
    }

    /// <summary>
    /// Packs <paramref name="columns"/> columns (at most a sliver's) of B's <paramref name="depth"/> rows as
    /// [depth][columns rounded up to whole vectors], zero-padded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackSliver(ref T source, int stride, int columns, int depth, ref T target)
    {
        int width = TOps.Count;
        int whole = columns / width;
        int padded = RoundUp(columns, width);
        for (int p = 0; p < depth; p++)
        {
            ref T row = ref Unsafe.Add(ref source, p * stride);
            ref T packed = ref Unsafe.Add(ref target, p * padded);
            for (int v = 0; v < whole; v++)
            {
                TOps.Store(TOps.Load(ref row, v * width), ref packed, v * width);
            }

            if (whole * width < columns)
            {
                var run = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref packed, whole * width), width);
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref row, whole * width), columns - (whole * width)).CopyTo(run);
                run[(columns - (whole * width))..].Clear();
            }
        }
    }

    /// <summary>
    /// Packs B stored transposed (the forward product's Wᵀ: B's columns are W's rows) like <see cref="PackSliver"/>,
    /// through the register transposes of <see cref="TransposeBlock"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackSliverTransposed(ref T source, int stride, int columns, int depth, ref T target)
    {
        int padded = RoundUp(columns, TOps.Count);
        TransposeBlock(ref source, stride, columns, depth, ref target, padded);
        if (columns < padded)
        {
            for (int p = 0; p < depth; p++)
            {
                MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, (p * padded) + columns), padded - columns).Clear();
            }
        }
    }

    /// <summary>
    /// Samples from which <see cref="Forward"/> runs on Wᵀ (512-bit vectors only): transposing a sliver costs a few
    /// tenths of a cycle per weight, the product <c>m / (2 · lanes)</c> cycles per weight. With the 6 x 4 tiles, 32 samples
    /// (W3's training chunks, 784 inputs, 128 outputs) ran 1.2x and 64 samples 1.4x the dot-product tiles; 8 the same.
    /// </summary>
    private const int TransposedForwardSamples = 32;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// The 512-bit register tile: 6 rows x 4 vectors of C in 24 of the 32 registers (BLIS's Skylake-X shape with C
    /// transposed), A read as broadcasts (<c>a[r * rowStep + p * depthStep]</c>) and B as a sliver of rows
    /// <paramref name="bStep"/> apart. Per step of the depth, 4 vector loads and 6 broadcasts feed 24 fused multiply-adds
    /// (12 cycles of the two FMA units).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x4(ref T a, int rowStep, int depthStep, ref T b, int bStep, int depth, ref T c, int cStride, bool first, ref T start)
    {
        int width = TOps.Count;
        ref T a1 = ref Unsafe.Add(ref a, rowStep);
        ref T a2 = ref Unsafe.Add(ref a1, rowStep);
        ref T a3 = ref Unsafe.Add(ref a2, rowStep);
        ref T a4 = ref Unsafe.Add(ref a3, rowStep);
        ref T a5 = ref Unsafe.Add(ref a4, rowStep);
        ref T c1 = ref Unsafe.Add(ref c, cStride);
        ref T c2 = ref Unsafe.Add(ref c1, cStride);
        ref T c3 = ref Unsafe.Add(ref c2, cStride);
        ref T c4 = ref Unsafe.Add(ref c3, cStride);
        ref T c5 = ref Unsafe.Add(ref c4, cStride);
        TVector s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33, s40, s41, s42, s43, s50, s51, s52, s53;
        if (first)
        {
            StartVectors(ref start, out s00, out s01, out s02, out s03);
            s10 = s20 = s30 = s40 = s50 = s00;
            s11 = s21 = s31 = s41 = s51 = s01;
            s12 = s22 = s32 = s42 = s52 = s02;
            s13 = s23 = s33 = s43 = s53 = s03;
        }
        else
        {
            s00 = TOps.Load(ref c, 0); s01 = TOps.Load(ref c, width); s02 = TOps.Load(ref c, 2 * width); s03 = TOps.Load(ref c, 3 * width);
            s10 = TOps.Load(ref c1, 0); s11 = TOps.Load(ref c1, width); s12 = TOps.Load(ref c1, 2 * width); s13 = TOps.Load(ref c1, 3 * width);
            s20 = TOps.Load(ref c2, 0); s21 = TOps.Load(ref c2, width); s22 = TOps.Load(ref c2, 2 * width); s23 = TOps.Load(ref c2, 3 * width);
            s30 = TOps.Load(ref c3, 0); s31 = TOps.Load(ref c3, width); s32 = TOps.Load(ref c3, 2 * width); s33 = TOps.Load(ref c3, 3 * width);
            s40 = TOps.Load(ref c4, 0); s41 = TOps.Load(ref c4, width); s42 = TOps.Load(ref c4, 2 * width); s43 = TOps.Load(ref c4, 3 * width);
            s50 = TOps.Load(ref c5, 0); s51 = TOps.Load(ref c5, width); s52 = TOps.Load(ref c5, 2 * width); s53 = TOps.Load(ref c5, 3 * width);
        }

        // Native-sized steps: int ones cost a sign extension per step of the depth.
        nint step = depthStep, bNext = bStep;
        for (nint p = 0, offset = 0; p < depth; p++, offset += step)
        {
            var b0 = TOps.Load(ref b, 0);
            var b1 = TOps.Load(ref b, width);
            var b2 = TOps.Load(ref b, 2 * width);
            var b3 = TOps.Load(ref b, 3 * width);
            var g = TOps.Broadcast(Unsafe.Add(ref a, offset));
            s00 = TOps.Fma(g, b0, s00); s01 = TOps.Fma(g, b1, s01); s02 = TOps.Fma(g, b2, s02); s03 = TOps.Fma(g, b3, s03);
            g = TOps.Broadcast(Unsafe.Add(ref a1, offset));
            s10 = TOps.Fma(g, b0, s10); s11 = TOps.Fma(g, b1, s11); s12 = TOps.Fma(g, b2, s12); s13 = TOps.Fma(g, b3, s13);
            g = TOps.Broadcast(Unsafe.Add(ref a2, offset));
            s20 = TOps.Fma(g, b0, s20); s21 = TOps.Fma(g, b1, s21); s22 = TOps.Fma(g, b2, s22); s23 = TOps.Fma(g, b3, s23);
            g = TOps.Broadcast(Unsafe.Add(ref a3, offset));
            s30 = TOps.Fma(g, b0, s30); s31 = TOps.Fma(g, b1, s31); s32 = TOps.Fma(g, b2, s32); s33 = TOps.Fma(g, b3, s33);
            g = TOps.Broadcast(Unsafe.Add(ref a4, offset));
            s40 = TOps.Fma(g, b0, s40); s41 = TOps.Fma(g, b1, s41); s42 = TOps.Fma(g, b2, s42); s43 = TOps.Fma(g, b3, s43);
            g = TOps.Broadcast(Unsafe.Add(ref a5, offset));
            s50 = TOps.Fma(g, b0, s50); s51 = TOps.Fma(g, b1, s51); s52 = TOps.Fma(g, b2, s52); s53 = TOps.Fma(g, b3, s53);
            b = ref Unsafe.Add(ref b, bNext);
        }

        TOps.Store(s00, ref c, 0); TOps.Store(s01, ref c, width); TOps.Store(s02, ref c, 2 * width); TOps.Store(s03, ref c, 3 * width);
        TOps.Store(s10, ref c1, 0); TOps.Store(s11, ref c1, width); TOps.Store(s12, ref c1, 2 * width); TOps.Store(s13, ref c1, 3 * width);
        TOps.Store(s20, ref c2, 0); TOps.Store(s21, ref c2, width); TOps.Store(s22, ref c2, 2 * width); TOps.Store(s23, ref c2, 3 * width);
        TOps.Store(s30, ref c3, 0); TOps.Store(s31, ref c3, width); TOps.Store(s32, ref c3, 2 * width); TOps.Store(s33, ref c3, 3 * width);
        TOps.Store(s40, ref c4, 0); TOps.Store(s41, ref c4, width); TOps.Store(s42, ref c4, 2 * width); TOps.Store(s43, ref c4, 3 * width);
        TOps.Store(s50, ref c5, 0); TOps.Store(s51, ref c5, width); TOps.Store(s52, ref c5, 2 * width); TOps.Store(s53, ref c5, 3 * width);
    }

    /// <summary>
    /// One vector of columns of <see cref="Tile6x4"/>, for a narrower last sliver.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x1(ref T a, int rowStep, int depthStep, ref T b, int bStep, int depth, ref T c, int cStride, bool first, ref T start)
    {
        ref T a1 = ref Unsafe.Add(ref a, rowStep);
        ref T a2 = ref Unsafe.Add(ref a1, rowStep);
        ref T a3 = ref Unsafe.Add(ref a2, rowStep);
        ref T a4 = ref Unsafe.Add(ref a3, rowStep);
        ref T a5 = ref Unsafe.Add(ref a4, rowStep);
        ref T c1 = ref Unsafe.Add(ref c, cStride);
        ref T c2 = ref Unsafe.Add(ref c1, cStride);
        ref T c3 = ref Unsafe.Add(ref c2, cStride);
        ref T c4 = ref Unsafe.Add(ref c3, cStride);
        ref T c5 = ref Unsafe.Add(ref c4, cStride);
        TVector s00, s10, s20, s30, s40, s50;
        if (first)
        {
            s00 = s10 = s20 = s30 = s40 = s50 = StartVector(ref start);
        }
        else
        {
            s00 = TOps.Load(ref c, 0);
            s10 = TOps.Load(ref c1, 0);
            s20 = TOps.Load(ref c2, 0);
            s30 = TOps.Load(ref c3, 0);
            s40 = TOps.Load(ref c4, 0);
            s50 = TOps.Load(ref c5, 0);
        }

        // Native-sized steps: int ones cost a sign extension per step of the depth.
        nint step = depthStep, bNext = bStep;
        for (nint p = 0, offset = 0; p < depth; p++, offset += step)
        {
            var b0 = TOps.Load(ref b, 0);
            var g = TOps.Broadcast(Unsafe.Add(ref a, offset));
            s00 = TOps.Fma(g, b0, s00);
            g = TOps.Broadcast(Unsafe.Add(ref a1, offset));
            s10 = TOps.Fma(g, b0, s10);
            g = TOps.Broadcast(Unsafe.Add(ref a2, offset));
            s20 = TOps.Fma(g, b0, s20);
            g = TOps.Broadcast(Unsafe.Add(ref a3, offset));
            s30 = TOps.Fma(g, b0, s30);
            g = TOps.Broadcast(Unsafe.Add(ref a4, offset));
            s40 = TOps.Fma(g, b0, s40);
            g = TOps.Broadcast(Unsafe.Add(ref a5, offset));
            s50 = TOps.Fma(g, b0, s50);
            b = ref Unsafe.Add(ref b, bNext);
        }

        TOps.Store(s00, ref c, 0);
        TOps.Store(s10, ref c1, 0);
        TOps.Store(s20, ref c2, 0);
        TOps.Store(s30, ref c3, 0);
        TOps.Store(s40, ref c4, 0);
        TOps.Store(s50, ref c5, 0);
    }

    /// <summary>
    /// The narrower vectors' register tile: 4 rows x 4 vectors, 16 accumulators (6 x 2 measured 0.8-0.9x on the
    /// backward products at 256 bits); otherwise as <see cref="Tile6x4"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4(ref T a, int rowStep, int depthStep, ref T b, int bStep, int depth, ref T c, int cStride, bool first, ref T start)
    {
        int width = TOps.Count;
        ref T a1 = ref Unsafe.Add(ref a, rowStep);
        ref T a2 = ref Unsafe.Add(ref a1, rowStep);
        ref T a3 = ref Unsafe.Add(ref a2, rowStep);
        ref T c1 = ref Unsafe.Add(ref c, cStride);
        ref T c2 = ref Unsafe.Add(ref c1, cStride);
        ref T c3 = ref Unsafe.Add(ref c2, cStride);
        TVector s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33;
        if (first)
        {
            StartVectors(ref start, out s00, out s01, out s02, out s03);
            s10 = s20 = s30 = s00;
            s11 = s21 = s31 = s01;
            s12 = s22 = s32 = s02;
            s13 = s23 = s33 = s03;
        }
        else
        {
            s00 = TOps.Load(ref c, 0); s01 = TOps.Load(ref c, width); s02 = TOps.Load(ref c, 2 * width); s03 = TOps.Load(ref c, 3 * width);
            s10 = TOps.Load(ref c1, 0); s11 = TOps.Load(ref c1, width); s12 = TOps.Load(ref c1, 2 * width); s13 = TOps.Load(ref c1, 3 * width);
            s20 = TOps.Load(ref c2, 0); s21 = TOps.Load(ref c2, width); s22 = TOps.Load(ref c2, 2 * width); s23 = TOps.Load(ref c2, 3 * width);
            s30 = TOps.Load(ref c3, 0); s31 = TOps.Load(ref c3, width); s32 = TOps.Load(ref c3, 2 * width); s33 = TOps.Load(ref c3, 3 * width);
        }

        // Native-sized steps: int ones cost a sign extension per step of the depth.
        nint step = depthStep, bNext = bStep;
        for (nint p = 0, offset = 0; p < depth; p++, offset += step)
        {
            var b0 = TOps.Load(ref b, 0);
            var b1 = TOps.Load(ref b, width);
            var b2 = TOps.Load(ref b, 2 * width);
            var b3 = TOps.Load(ref b, 3 * width);
            var g = TOps.Broadcast(Unsafe.Add(ref a, offset));
            s00 = TOps.Fma(g, b0, s00); s01 = TOps.Fma(g, b1, s01); s02 = TOps.Fma(g, b2, s02); s03 = TOps.Fma(g, b3, s03);
            g = TOps.Broadcast(Unsafe.Add(ref a1, offset));
            s10 = TOps.Fma(g, b0, s10); s11 = TOps.Fma(g, b1, s11); s12 = TOps.Fma(g, b2, s12); s13 = TOps.Fma(g, b3, s13);
            g = TOps.Broadcast(Unsafe.Add(ref a2, offset));
            s20 = TOps.Fma(g, b0, s20); s21 = TOps.Fma(g, b1, s21); s22 = TOps.Fma(g, b2, s22); s23 = TOps.Fma(g, b3, s23);
            g = TOps.Broadcast(Unsafe.Add(ref a3, offset));
            s30 = TOps.Fma(g, b0, s30); s31 = TOps.Fma(g, b1, s31); s32 = TOps.Fma(g, b2, s32); s33 = TOps.Fma(g, b3, s33);
            b = ref Unsafe.Add(ref b, bNext);
        }

        TOps.Store(s00, ref c, 0); TOps.Store(s01, ref c, width); TOps.Store(s02, ref c, 2 * width); TOps.Store(s03, ref c, 3 * width);
        TOps.Store(s10, ref c1, 0); TOps.Store(s11, ref c1, width); TOps.Store(s12, ref c1, 2 * width); TOps.Store(s13, ref c1, 3 * width);
        TOps.Store(s20, ref c2, 0); TOps.Store(s21, ref c2, width); TOps.Store(s22, ref c2, 2 * width); TOps.Store(s23, ref c2, 3 * width);
        TOps.Store(s30, ref c3, 0); TOps.Store(s31, ref c3, width); TOps.Store(s32, ref c3, 2 * width); TOps.Store(s33, ref c3, 3 * width);
    }

    /// <summary>
    /// One vector of columns of <see cref="Tile4x4"/>, for a narrower last sliver.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1(ref T a, int rowStep, int depthStep, ref T b, int bStep, int depth, ref T c, int cStride, bool first, ref T start)
    {
        ref T a1 = ref Unsafe.Add(ref a, rowStep);
        ref T a2 = ref Unsafe.Add(ref a1, rowStep);
        ref T a3 = ref Unsafe.Add(ref a2, rowStep);
        ref T c1 = ref Unsafe.Add(ref c, cStride);
        ref T c2 = ref Unsafe.Add(ref c1, cStride);
        ref T c3 = ref Unsafe.Add(ref c2, cStride);
        TVector s00, s10, s20, s30;
        if (first)
        {
            s00 = s10 = s20 = s30 = StartVector(ref start);
        }
        else
        {
            s00 = TOps.Load(ref c, 0);
            s10 = TOps.Load(ref c1, 0);
            s20 = TOps.Load(ref c2, 0);
            s30 = TOps.Load(ref c3, 0);
        }

        // Native-sized steps: int ones cost a sign extension per step of the depth.
        nint step = depthStep, bNext = bStep;
        for (nint p = 0, offset = 0; p < depth; p++, offset += step)
        {
            var b0 = TOps.Load(ref b, 0);
            var g = TOps.Broadcast(Unsafe.Add(ref a, offset));
            s00 = TOps.Fma(g, b0, s00);
            g = TOps.Broadcast(Unsafe.Add(ref a1, offset));
            s10 = TOps.Fma(g, b0, s10);
            g = TOps.Broadcast(Unsafe.Add(ref a2, offset));
            s20 = TOps.Fma(g, b0, s20);
            g = TOps.Broadcast(Unsafe.Add(ref a3, offset));
            s30 = TOps.Fma(g, b0, s30);
            b = ref Unsafe.Add(ref b, bNext);
        }

        TOps.Store(s00, ref c, 0);
        TOps.Store(s10, ref c1, 0);
        TOps.Store(s20, ref c2, 0);
        TOps.Store(s30, ref c3, 0);
    }


    /// <summary>
    /// Sixteen dot products at once: samples x, x+xStride, x+2xStride, x+3xStride against rows w, w+k, w+2k,
    /// w+3k. Sixteen accumulators plus the loads fit the 32 vector registers of AVX-512 machines; each
    /// loaded vector feeds four fused multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
