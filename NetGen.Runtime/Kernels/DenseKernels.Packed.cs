using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// The forward product on weights packed for predictions (a <see cref="Predictor{T}"/>'s copy of the parameters):
/// <c>Wᵀ</c> cut into panels of outputs, so one sample reads its weights in one sequential stream.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>
    /// Writes the [<paramref name="n"/> x <paramref name="k"/>] row-major weights <paramref name="w"/> into
    /// <paramref name="packed"/> (the same length) in the layout <see cref="ForwardPacked{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int)"/> reads: <c>Wᵀ</c> in
    /// panels of eight vectors of outputs (128 floats at 512 bits), each panel input after input. The layout depends on
    /// the process's vector width, so a packed copy is only read by the process that wrote it.
    /// </summary>
    public static void PackWeights<T>(ReadOnlySpan<T> w, Span<T> packed, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PackWeights(VectorWidth.Bits, w, packed, n, k);

    /// <summary>
    /// <see cref="Forward{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int, KernelTeam?)"/>
    /// on weights written by <see cref="PackWeights{T}(ReadOnlySpan{T}, Span{T}, int, int)"/>: <c>z[s, j] = b[j] + Σ_i x[s, i] w[j, i]</c>, each output
    /// one chain of fused multiply-adds from the bias over the inputs in order (the forward product on <c>Wᵀ</c> that
    /// batches of 32 or more samples take at 512 bits, and the same bits). Sample by sample: it serves predictions.
    /// </summary>
    public static void ForwardPacked<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> packed, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardPacked(VectorWidth.Bits, x, xStride, packed, b, z, zStride, m, n, k);

    /// <summary>
    /// <see cref="ForwardPacked{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int)"/>, and <c>a[s, j] = z[s, j] &gt; 0 ? z[s, j] : negativeSlope · z[s, j]</c> as
    /// <see cref="ForwardRectified{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, Span{T}, int, T, int, int, int, KernelTeam?)"/>
    /// writes it.
    /// </summary>
    public static void ForwardPackedRectified<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> packed, ReadOnlySpan<T> b, Span<T> z, int zStride, Span<T> a, int aStride, T negativeSlope, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardPackedRectified(VectorWidth.Bits, x, xStride, packed, b, z, zStride, a, aStride, negativeSlope, m, n, k);

    /// <summary><see cref="PackWeights{T}(ReadOnlySpan{T}, Span{T}, int, int)"/> for vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void PackWeights<T>(int vectorBits, ReadOnlySpan<T> w, Span<T> packed, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckDimensions(n, k);
        CheckLength(w.Length, n * k, nameof(w));
        CheckLength(packed.Length, n * k, nameof(packed));
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.PackWeights(w, packed, n, k); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.PackWeights(w, packed, n, k); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.PackWeights(w, packed, n, k); break;
        }
    }

    /// <summary><see cref="ForwardPacked{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int)"/> for vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void ForwardPacked<T>(int vectorBits, ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> packed, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k, ProductEpilogue epilogue = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckDimensions(n, k);
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckMatrix(z.Length, m, n, zStride, nameof(z));
        CheckLength(packed.Length, n * k, nameof(packed));
        CheckLength(b.Length, n, nameof(b));
        switch (vectorBits)
        {
            case 512: DenseKernels<T, Vector512Ops<T>, Vector512<T>>.ForwardPacked(x, xStride, packed, b, z, zStride, m, n, k, epilogue); break;
            case 256: DenseKernels<T, Vector256Ops<T>, Vector256<T>>.ForwardPacked(x, xStride, packed, b, z, zStride, m, n, k, epilogue); break;
            default: DenseKernels<T, Vector128Ops<T>, Vector128<T>>.ForwardPacked(x, xStride, packed, b, z, zStride, m, n, k, epilogue); break;
        }
    }

    /// <summary><see cref="ForwardPackedRectified{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, Span{T}, int, T, int, int, int)"/> for vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static unsafe void ForwardPackedRectified<T>(int vectorBits, ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> packed, ReadOnlySpan<T> b, Span<T> z, int zStride, Span<T> a, int aStride, T negativeSlope, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(a.Length, m, n, aStride, nameof(a));
        CheckSlope(negativeSlope);
        fixed (T* pa = a)
        {
            ForwardPacked(vectorBits, x, xStride, packed, b, z, zStride, m, n, k, new ProductEpilogue(EpilogueKind.Rectifier, pa, a.Length, aStride, double.CreateTruncating(negativeSlope)));
        }
    }

    private static void CheckDimensions(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
    }
}

/// <summary>
/// The bodies of <see cref="DenseKernels.PackWeights{T}(ReadOnlySpan{T}, Span{T}, int, int)"/> and <see cref="DenseKernels.ForwardPacked{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int)"/>,
/// compiled fully optimized at their first call (<c>AggressiveOptimization</c>): a served model's first predictions ran
/// 15-20x slower as tier-0 code, for thousands of calls, since one prediction's loops are too short to trigger on-stack
/// replacement.
/// </summary>
internal static partial class DenseKernels<T, TOps, TVector>
{
    /// <summary>Vectors of outputs in one panel: eight independent chains of fused multiply-adds cover the FMA latency.</summary>
    private const int PanelVectors = 8;

    /// <summary>Outputs in one panel of packed weights (the last panel of a layer may hold fewer).</summary>
    internal static int PanelOutputs => PanelVectors * TOps.Count;

    /// <summary>
    /// Panel after panel of <see cref="PanelOutputs"/> outputs (fewer in the last), each holding input i's weights of its
    /// outputs side by side, input after input: element (j, i) of W goes to <c>p0·k + i·width + (j - p0)</c>, where p0 is
    /// the panel's first output and width its outputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackWeights(ReadOnlySpan<T> w, Span<T> packed, int n, int k)
    {
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rp = ref MemoryMarshal.GetReference(packed);
        for (int first = 0; first < n; first += PanelOutputs)
        {
            int width = Math.Min(PanelOutputs, n - first);
            ref T panel = ref Unsafe.Add(ref rp, first * k);
            for (int j = 0; j < width; j++)
            {
                ref T row = ref Unsafe.Add(ref rw, (first + j) * k);
                for (int i = 0; i < k; i++)
                {
                    Unsafe.Add(ref panel, (i * width) + j) = Unsafe.Add(ref row, i);
                }
            }
        }
    }

    /// <summary>
    /// Each sample's outputs panel by panel: the panel's accumulators start from the bias, take one fused multiply-add
    /// per input in order (the input broadcast against a vector of weights read in sequence), and are stored; then the
    /// epilogue over the sample's row. Outputs past the panel's whole vectors run the same chain one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardPacked(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> packed, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k, ProductEpilogue epilogue)
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rp = ref MemoryMarshal.GetReference(packed);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rz = ref MemoryMarshal.GetReference(z);
        int count = TOps.Count;
        for (int s = 0; s < m; s++)
        {
            ref T xs = ref Unsafe.Add(ref rx, s * xStride);
            ref T zs = ref Unsafe.Add(ref rz, s * zStride);
            for (int first = 0; first < n; first += PanelOutputs)
            {
                int width = Math.Min(PanelOutputs, n - first);
                ref T panel = ref Unsafe.Add(ref rp, first * k);
                ref T bias = ref Unsafe.Add(ref rb, first);
                ref T output = ref Unsafe.Add(ref zs, first);
                if (width == PanelOutputs)
                {
                    WholePanel(ref xs, ref panel, ref bias, ref output, k);
                    continue;
                }

                int j = 0;
                for (; j + count <= width; j += count)
                {
                    PanelVector(ref xs, ref Unsafe.Add(ref panel, j), width, ref Unsafe.Add(ref bias, j), ref Unsafe.Add(ref output, j), k);
                }

                for (; j < width; j++)
                {
                    Unsafe.Add(ref output, j) = PanelScalar(ref xs, ref Unsafe.Add(ref panel, j), width, Unsafe.Add(ref bias, j), k);
                }
            }

            ApplyEpilogue(epilogue, ref zs, zStride, ref Offset(ref epilogue.Values<T>(), s * epilogue.Stride), 1, n);
        }
    }

    /// <summary>A whole panel: eight vectors of outputs, its weights read once, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WholePanel(ref T x, ref T panel, ref T bias, ref T z, int k)
    {
        int count = TOps.Count;
        var c0 = TOps.Load(ref bias, 0); var c1 = TOps.Load(ref bias, count);
        var c2 = TOps.Load(ref bias, 2 * count); var c3 = TOps.Load(ref bias, 3 * count);
        var c4 = TOps.Load(ref bias, 4 * count); var c5 = TOps.Load(ref bias, 5 * count);
        var c6 = TOps.Load(ref bias, 6 * count); var c7 = TOps.Load(ref bias, 7 * count);
        ref T weights = ref panel;
        for (int i = 0; i < k; i++)
        {
            var a = TOps.Broadcast(Unsafe.Add(ref x, i));
            c0 = TOps.Fma(a, TOps.Load(ref weights, 0), c0);
            c1 = TOps.Fma(a, TOps.Load(ref weights, count), c1);
            c2 = TOps.Fma(a, TOps.Load(ref weights, 2 * count), c2);
            c3 = TOps.Fma(a, TOps.Load(ref weights, 3 * count), c3);
            c4 = TOps.Fma(a, TOps.Load(ref weights, 4 * count), c4);
            c5 = TOps.Fma(a, TOps.Load(ref weights, 5 * count), c5);
            c6 = TOps.Fma(a, TOps.Load(ref weights, 6 * count), c6);
            c7 = TOps.Fma(a, TOps.Load(ref weights, 7 * count), c7);
            weights = ref Unsafe.Add(ref weights, 8 * count);
        }

        TOps.Store(c0, ref z, 0); TOps.Store(c1, ref z, count);
        TOps.Store(c2, ref z, 2 * count); TOps.Store(c3, ref z, 3 * count);
        TOps.Store(c4, ref z, 4 * count); TOps.Store(c5, ref z, 5 * count);
        TOps.Store(c6, ref z, 6 * count); TOps.Store(c7, ref z, 7 * count);
    }

    /// <summary>One vector of outputs of a narrower (last) panel, whose inputs are <paramref name="width"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PanelVector(ref T x, ref T column, int width, ref T bias, ref T z, int k)
    {
        var c = TOps.Load(ref bias, 0);
        for (int i = 0; i < k; i++)
        {
            c = TOps.Fma(TOps.Broadcast(Unsafe.Add(ref x, i)), TOps.Load(ref column, i * width), c);
        }

        TOps.Store(c, ref z, 0);
    }

    /// <summary>One output of a narrower panel, past its whole vectors: the chain a vector lane computes, one rounding per step where the vectors fuse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T PanelScalar(ref T x, ref T column, int width, T bias, int k)
    {
        T c = bias;
        bool fused = TOps.FusesMultiplyAdd;
        for (int i = 0; i < k; i++)
        {
            T product = Unsafe.Add(ref x, i);
            T weight = Unsafe.Add(ref column, i * width);
            c = fused ? T.FusedMultiplyAdd(product, weight, c) : (product * weight) + c;
        }

        return c;
    }
}
