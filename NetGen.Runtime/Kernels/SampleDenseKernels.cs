using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// The products of a small dense layer for one sample, as vector code: the forward product
/// <c>z = W · x + b</c>, the weight gradient <c>dW += dz · xᵀ</c>, the bias gradient <c>db += dz</c> and the input gradient
/// <c>dx = Wᵀ · dz</c>, with <c>W</c> stored row-major as [outputs x inputs] like every dense layer. Generated
/// networks call these, with their sizes as constants, for layers small enough to run sample by sample (at most
/// <c>NetGenUnrollThreshold</c> weights) whose rows fill or pack whole 128-bit vectors.
/// </summary>
/// <remarks>
/// <para>Rows of a whole number of vectors (16 inputs of a 512-bit float vector, say) are read row by row: a dot
/// product per output, an axpy per row of <c>dW</c>, and <c>dx</c> as the sum of the rows scaled by <c>dz</c>.</para>
/// <para>Shorter rows (1, 2, 4 or 8 inputs per vector) are read as the flat buffer, several rows to a vector, so a
/// 16 x 4 layer is four 512-bit vectors and no transposed copy is needed: <c>x</c> repeated across the lanes
/// multiplies them, and lane permutes spread <c>dz</c> over the rows' inputs (for <c>dW</c>), add each row's
/// products (for <c>z</c>) and fold the rows of equal input (for <c>dx</c>).</para>
/// <para>The width is the widest one the process uses (capped by <c>NETGEN_MAX_VECTOR_BITS</c>) that fits the layer,
/// else narrower; a layer no width fits is computed by scalar loops. Sums run in another order than the unrolled
/// scalar code, so results may differ from it, and between widths, in the last bits.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SampleDenseKernels
{
    /// <summary><c>z[j] = b[j] + Σ_i w[j, i] x[i]</c> for one sample, <paramref name="n"/> outputs and <paramref name="k"/> inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(VectorWidth.Bits, x, w, b, z, n, k);

    /// <summary><c>db[j] += dz[j]</c> for one sample and <paramref name="n"/> outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateBiasGradient<T>(ReadOnlySpan<T> dz, Span<T> db, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AccumulateBiasGradient(VectorWidth.Bits, dz, db, n);

    /// <summary><c>dw[j, i] += dz[j] x[i]</c> for one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateWeightGradient<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, Span<T> dw, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AccumulateWeightGradient(VectorWidth.Bits, dz, x, dw, n, k);

    /// <summary><c>dx[i] = Σ_j w[j, i] dz[j]</c> (or <c>+=</c> when <paramref name="accumulate"/>) for one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputGradient<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> w, Span<T> dx, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => InputGradient(VectorWidth.Bits, dz, w, dx, n, k, accumulate);

    /// <summary>Whether some vector width has a path for a layer of <paramref name="n"/> x <paramref name="k"/> (the 128-bit one always does when any does).</summary>
    internal static bool IsVectorized<T>(int n, int k)
        where T : unmanaged
        => Fits(Vector128<T>.Count, n, k);

    /// <summary><see cref="Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/> with at most <paramref name="vectorBits"/>-bit vectors (tests run every width); returns the width it took (0 for the scalar loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Forward<T>(int vectorBits, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, k, nameof(x));
        Check(w.Length, n * k, nameof(w));
        Check(b.Length, n, nameof(b));
        Check(z.Length, n, nameof(z));
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rz = ref MemoryMarshal.GetReference(z);
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated && Fits(Vector512<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector512Ops<T>, Sample512<T>, Vector512<T>>.Forward(ref rx, ref rw, ref rb, ref rz, n, k);
            return 512;
        }

        if (vectorBits >= 256 && Vector256.IsHardwareAccelerated && Fits(Vector256<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector256Ops<T>, Sample256<T>, Vector256<T>>.Forward(ref rx, ref rw, ref rb, ref rz, n, k);
            return 256;
        }

        if (vectorBits >= 128 && Vector128.IsHardwareAccelerated && Fits(Vector128<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector128Ops<T>, Sample128<T>, Vector128<T>>.Forward(ref rx, ref rw, ref rb, ref rz, n, k);
            return 128;
        }

        ScalarForward(ref rx, ref rw, ref rb, ref rz, n, k);
        return 0;
    }

    /// <summary><see cref="AccumulateBiasGradient{T}(ReadOnlySpan{T}, Span{T}, int)"/> with at most <paramref name="vectorBits"/>-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AccumulateBiasGradient<T>(int vectorBits, ReadOnlySpan<T> dz, Span<T> db, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dz.Length, n, nameof(dz));
        Check(db.Length, n, nameof(db));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rdb = ref MemoryMarshal.GetReference(db);
        int j = 0;
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<T>.Count <= n; j += Vector512<T>.Count)
            {
                (Vector512.LoadUnsafe(ref rdb, (nuint)j) + Vector512.LoadUnsafe(ref rdz, (nuint)j)).StoreUnsafe(ref rdb, (nuint)j);
            }
        }

        if (vectorBits >= 256 && Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<T>.Count <= n; j += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref rdb, (nuint)j) + Vector256.LoadUnsafe(ref rdz, (nuint)j)).StoreUnsafe(ref rdb, (nuint)j);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + Vector128<T>.Count <= n; j += Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref rdb, (nuint)j) + Vector128.LoadUnsafe(ref rdz, (nuint)j)).StoreUnsafe(ref rdb, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            Unsafe.Add(ref rdb, j) += Unsafe.Add(ref rdz, j);
        }
    }

    /// <summary><see cref="AccumulateWeightGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/> with at most <paramref name="vectorBits"/>-bit vectors. Returns the width it took (0 for the scalar loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int AccumulateWeightGradient<T>(int vectorBits, ReadOnlySpan<T> dz, ReadOnlySpan<T> x, Span<T> dw, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dz.Length, n, nameof(dz));
        Check(x.Length, k, nameof(x));
        Check(dw.Length, n * k, nameof(dw));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rdw = ref MemoryMarshal.GetReference(dw);
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated && Fits(Vector512<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector512Ops<T>, Sample512<T>, Vector512<T>>.AccumulateWeightGradient(ref rdz, ref rx, ref rdw, n, k);
            return 512;
        }

        if (vectorBits >= 256 && Vector256.IsHardwareAccelerated && Fits(Vector256<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector256Ops<T>, Sample256<T>, Vector256<T>>.AccumulateWeightGradient(ref rdz, ref rx, ref rdw, n, k);
            return 256;
        }

        if (vectorBits >= 128 && Vector128.IsHardwareAccelerated && Fits(Vector128<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector128Ops<T>, Sample128<T>, Vector128<T>>.AccumulateWeightGradient(ref rdz, ref rx, ref rdw, n, k);
            return 128;
        }

        ScalarWeightGradient(ref rdz, ref rx, ref rdw, n, k);
        return 0;
    }

    /// <summary><see cref="InputGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, bool)"/> with at most <paramref name="vectorBits"/>-bit vectors. Returns the width it took (0 for the scalar loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int InputGradient<T>(int vectorBits, ReadOnlySpan<T> dz, ReadOnlySpan<T> w, Span<T> dx, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dz.Length, n, nameof(dz));
        Check(w.Length, n * k, nameof(w));
        Check(dx.Length, k, nameof(dx));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rdx = ref MemoryMarshal.GetReference(dx);
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated && Fits(Vector512<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector512Ops<T>, Sample512<T>, Vector512<T>>.InputGradient(ref rdz, ref rw, ref rdx, n, k, accumulate);
            return 512;
        }

        if (vectorBits >= 256 && Vector256.IsHardwareAccelerated && Fits(Vector256<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector256Ops<T>, Sample256<T>, Vector256<T>>.InputGradient(ref rdz, ref rw, ref rdx, n, k, accumulate);
            return 256;
        }

        if (vectorBits >= 128 && Vector128.IsHardwareAccelerated && Fits(Vector128<T>.Count, n, k))
        {
            SampleDenseKernels<T, Vector128Ops<T>, Sample128<T>, Vector128<T>>.InputGradient(ref rdz, ref rw, ref rdx, n, k, accumulate);
            return 128;
        }

        ScalarInputGradient(ref rdz, ref rw, ref rdx, n, k, accumulate);
        return 0;
    }

    /// <summary>
    /// The widest width up to <paramref name="vectorBits"/> with a path for the layer, or 0: rows of whole vectors
    /// (<c>k</c> a multiple of the lanes), or whole rows packed into vectors that the outputs fill (<c>k</c> divides the
    /// lanes and <c>n</c> is a multiple of them).
    /// </summary>
    /// <remarks>
    /// The dispatchers above test the same conditions in a chain of <c>if</c>s rather than switching on this method's
    /// result: an inlined condition that is a single expression folds before the kernels under it are inlined, so a
    /// training step never inlines the kernels of the widths not taken. Switched on a call with several returns, the
    /// choice folded only after all three widths' kernels had been inlined into the step and had spent its inlining
    /// budget: W2's backward kernels were left as calls (docs/design-notes.md, "The inlining budget"). A test checks that
    /// each dispatcher takes the width this returns.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Width<T>(int vectorBits, int n, int k)
        where T : unmanaged
    {
        if (vectorBits >= 512 && Vector512.IsHardwareAccelerated && Fits(Vector512<T>.Count, n, k))
        {
            return 512;
        }

        if (vectorBits >= 256 && Vector256.IsHardwareAccelerated && Fits(Vector256<T>.Count, n, k))
        {
            return 256;
        }

        return Vector128.IsHardwareAccelerated && Fits(Vector128<T>.Count, n, k) ? 128 : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fits(int lanes, int n, int k) => NetGen.Shared.NetworkRules.HasSampleVectorPath(lanes, n, k);

    private static void Check(int length, int required, string name)
    {
        if (length < required)
        {
            Throw(length, required, name);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(int length, int required, string name) =>
        throw new ArgumentException($"'{name}' has {length} elements; the layer needs {required}.", name);

    private static void ScalarForward<T>(ref T x, ref T w, ref T b, ref T z, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++)
        {
            T sum = Unsafe.Add(ref b, j);
            for (int i = 0; i < k; i++)
            {
                sum += Unsafe.Add(ref w, (j * k) + i) * Unsafe.Add(ref x, i);
            }

            Unsafe.Add(ref z, j) = sum;
        }
    }

    private static void ScalarWeightGradient<T>(ref T dz, ref T x, ref T dw, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++)
        {
            T g = Unsafe.Add(ref dz, j);
            for (int i = 0; i < k; i++)
            {
                Unsafe.Add(ref dw, (j * k) + i) += g * Unsafe.Add(ref x, i);
            }
        }
    }

    private static void ScalarInputGradient<T>(ref T dz, ref T w, ref T dx, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < k; i++)
        {
            T sum = T.Zero;
            for (int j = 0; j < n; j++)
            {
                sum += Unsafe.Add(ref w, (j * k) + i) * Unsafe.Add(ref dz, j);
            }

            Unsafe.Add(ref dx, i) = accumulate ? Unsafe.Add(ref dx, i) + sum : sum;
        }
    }
}

/// <summary>
/// The bodies of <see cref="SampleDenseKernels"/> for one vector type; sizes were checked and fit the width
/// (<c>k</c> a multiple of the lanes, or dividing them with <c>n</c> a multiple of them). Inlined into optimized generated
/// code, and compiled optimized at their first call when a tier-0 caller calls them (a W2 prediction averaged 1.2-1.7 µs
/// over its first 100,000 calls with these as tier-0 code, 0.73-0.75 µs with them optimized, 64 ns in the steady state).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOps">Loads and arithmetic on <typeparamref name="TVector"/>, shared with <see cref="DenseKernels"/>.</typeparam>
/// <typeparam name="TLanes">The lane permutes on <typeparamref name="TVector"/>.</typeparam>
/// <typeparam name="TVector">The vector type.</typeparam>
internal static class SampleDenseKernels<T, TOps, TLanes, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOps : struct, IVectorOps<T, TVector>
    where TLanes : struct, ISampleLanes<T, TVector>
    where TVector : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ref T x, ref T w, ref T b, ref T z, int n, int k)
    {
        int lanes = TOps.Count;
        if (k % lanes == 0 && TLanes.CanSumFour)
        {
            // Rows of whole vectors, four outputs at a time: four dot products' vectors, reduced together (the bits of
            // one reduction each). A missing row past n is a zero vector whose sum is not stored.
            for (int j = 0; j < n; j += 4)
            {
                TVector sum0 = RowProducts(ref w, ref x, j, k);
                TVector sum1 = j + 1 < n ? RowProducts(ref w, ref x, j + 1, k) : TOps.Zero;
                TVector sum2 = j + 2 < n ? RowProducts(ref w, ref x, j + 2, k) : TOps.Zero;
                TVector sum3 = j + 3 < n ? RowProducts(ref w, ref x, j + 3, k) : TOps.Zero;
                Vector128<float> sums = TLanes.SumFour(sum0, sum1, sum2, sum3);
                ref float bias = ref Unsafe.As<T, float>(ref Unsafe.Add(ref b, j));
                ref float output = ref Unsafe.As<T, float>(ref Unsafe.Add(ref z, j));
                if (j + 4 <= n)
                {
                    (Vector128.LoadUnsafe(ref bias) + sums).StoreUnsafe(ref output);
                    continue;
                }

                output = bias + sums.ToScalar();
                if (j + 1 < n)
                {
                    Unsafe.Add(ref output, 1) = Unsafe.Add(ref bias, 1) + sums.GetElement(1);
                }

                if (j + 2 < n)
                {
                    Unsafe.Add(ref output, 2) = Unsafe.Add(ref bias, 2) + sums.GetElement(2);
                }
            }

            return;
        }

        if (k % lanes == 0)
        {
            // Rows of whole vectors: one dot product per output.
            for (int j = 0; j < n; j++)
            {
                Unsafe.Add(ref z, j) = Unsafe.Add(ref b, j) + TOps.Sum(RowProducts(ref w, ref x, j, k));
            }

            return;
        }

        TVector tiled = TLanes.Tile(ref x, k);
        if (k == 4 && TLanes.CanSumFour)
        {
            // Four inputs: the four vectors of rows of each vector of outputs are summed and put in order together.
            for (int v = 0; v < n / lanes; v++)
            {
                ref T block = ref Unsafe.Add(ref w, v * 4 * lanes);
                TVector sums = TLanes.SumRowsOfFour(
                    TOps.Multiply(TOps.Load(ref block, 0), tiled),
                    TOps.Multiply(TOps.Load(ref block, lanes), tiled),
                    TOps.Multiply(TOps.Load(ref block, 2 * lanes), tiled),
                    TOps.Multiply(TOps.Load(ref block, 3 * lanes), tiled));
                TOps.Store(TOps.Add(TOps.Load(ref b, v * lanes), sums), ref z, v * lanes);
            }

            return;
        }

        // Rows packed into vectors (lanes / k rows each): multiply by x repeated across the lanes, add each row's
        // k products into every lane of the row, then gather one lane per row into the vector of outputs.
        int rowsPerVector = lanes / k;
        for (int v = 0; v < n / lanes; v++)
        {
            TVector outputs = TOps.Load(ref b, v * lanes);
            for (int part = 0; part < k; part++)
            {
                int block = (v * k) + part;
                TVector products = TOps.Multiply(TOps.Load(ref w, block * lanes), tiled);
                outputs = TOps.Add(outputs, TLanes.Place(TLanes.SumGroups(products, k), k, part * rowsPerVector));
            }

            TOps.Store(outputs, ref z, v * lanes);
        }
    }

    /// <summary>The lanes of row j's dot product with x before their sum: <c>w[j, i] x[i]</c> added vector by vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector RowProducts(ref T w, ref T x, int j, int k)
    {
        int lanes = TOps.Count;
        ref T row = ref Unsafe.Add(ref w, j * k);
        TVector sum = TOps.Multiply(TOps.Load(ref row, 0), TOps.Load(ref x, 0));
        for (int i = lanes; i < k; i += lanes)
        {
            sum = TOps.Fma(TOps.Load(ref row, i), TOps.Load(ref x, i), sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateWeightGradient(ref T dz, ref T x, ref T dw, int n, int k)
    {
        int lanes = TOps.Count;
        if (k % lanes == 0)
        {
            // Rows of whole vectors: dW row j += dz[j] · x.
            for (int j = 0; j < n; j++)
            {
                TVector g = TOps.Broadcast(Unsafe.Add(ref dz, j));
                ref T row = ref Unsafe.Add(ref dw, j * k);
                for (int i = 0; i < k; i += lanes)
                {
                    TOps.Store(TOps.Fma(g, TOps.Load(ref x, i), TOps.Load(ref row, i)), ref row, i);
                }
            }

            return;
        }

        // Rows packed into vectors: each vector of dW += (dz of its rows, each repeated k times) · (x repeated).
        TVector tiled = TLanes.Tile(ref x, k);
        int rowsPerVector = lanes / k;
        for (int v = 0; v < n / lanes; v++)
        {
            TVector gradients = TOps.Load(ref dz, v * lanes);
            for (int part = 0; part < k; part++)
            {
                int offset = ((v * k) + part) * lanes;
                TVector spread = TLanes.Spread(gradients, k, part * rowsPerVector);
                TOps.Store(TOps.Fma(spread, tiled, TOps.Load(ref dw, offset)), ref dw, offset);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void InputGradient(ref T dz, ref T w, ref T dx, int n, int k, bool accumulate)
    {
        int lanes = TOps.Count;
        if (k % lanes == 0)
        {
            // Rows of whole vectors: dx = Σ_j dz[j] · row j.
            for (int i = 0; i < k; i += lanes)
            {
                TVector sum = accumulate ? TOps.Load(ref dx, i) : default;
                for (int j = 0; j < n; j++)
                {
                    sum = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref dz, j)), TOps.Load(ref w, (j * k) + i), sum);
                }

                TOps.Store(sum, ref dx, i);
            }

            return;
        }

        // Rows packed into vectors: scale each lane by its row's dz, add the vectors, then fold the rows of the
        // last vector together so lane i holds Σ_j w[j, i] dz[j].
        int rowsPerVector = lanes / k;
        TVector total = default;
        for (int v = 0; v < n / lanes; v++)
        {
            TVector gradients = TOps.Load(ref dz, v * lanes);
            for (int part = 0; part < k; part++)
            {
                int offset = ((v * k) + part) * lanes;
                total = TOps.Fma(TLanes.Spread(gradients, k, part * rowsPerVector), TOps.Load(ref w, offset), total);
            }
        }

        total = TLanes.FoldGroups(total, k);
        for (int i = 0; i < k; i++)
        {
            T sum = TLanes.Lane(total, i);
            Unsafe.Add(ref dx, i) = accumulate ? Unsafe.Add(ref dx, i) + sum : sum;
        }
    }
}
