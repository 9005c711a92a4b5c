using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.CompilerServices;

/// <summary>
/// The products of <see cref="DenseKernels"/> with a layer's rectifier fused into the store of their result: the forward
/// product writes the activation beside <c>z</c>, and the input gradient writes <c>dL/dz</c> of the layer below instead of
/// <c>dL/da</c>, so a training step makes one pass less over each hidden layer's values, and a kernel team shares that
/// work with the product's.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>
    /// <see cref="Forward{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int, KernelTeam?)"/>,
    /// and <c>a[s, j] = z[s, j] &gt; 0 ? z[s, j] : negativeSlope · z[s, j]</c> written as each block of <c>z</c> is stored.
    /// With a slope of 0 (ReLU), <c>a = max(z, 0)</c> as <c>TensorPrimitives.Max(z, 0, a)</c> computes it: NaN stays NaN
    /// and -0 gives +0. The same bits as the product followed by that activation, at every width and with any team.
    /// </summary>
    public static void ForwardRectified<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, Span<T> a, int aStride, T negativeSlope, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardRectified(VectorWidth.Bits, x, xStride, w, b, z, zStride, a, aStride, negativeSlope, m, n, k, team);

    /// <summary>
    /// <c>dx[s, i] = (Σ_j dz[s, j] w[j, i]) · r'(xz[s, i])</c>: the input gradient of
    /// <see cref="InputGradient{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool, KernelTeam?)"/>
    /// through the rectifier of the layer below, whose input <paramref name="xz"/> is; <paramref name="dx"/> receives dL/dxz.
    /// As <c>ActivationKernels.RectifierDerivative</c>: the sum where xz &gt; 0, else the sum times
    /// <paramref name="negativeSlope"/> (0 for ReLU, whatever the sum). The same bits as the product followed by that derivative.
    /// </summary>
    public static void InputGradientRectified<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, ReadOnlySpan<T> xz, int xzStride, T negativeSlope, Span<T> dx, int dxStride, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => InputGradientRectified(VectorWidth.Bits, dz, dzStride, w, xz, xzStride, negativeSlope, dx, dxStride, m, n, k, team);

    /// <summary><see cref="ForwardRectified{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, Span{T}, int, T, int, int, int, KernelTeam?)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static unsafe void ForwardRectified<T>(int vectorBits, ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, Span<T> a, int aStride, T negativeSlope, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(a.Length, m, n, aStride, nameof(a));
        CheckSlope(negativeSlope);
        fixed (T* pa = a)
        {
            Forward(vectorBits, x, xStride, w, b, z, zStride, m, n, k, team, new ProductEpilogue(EpilogueKind.Rectifier, pa, a.Length, aStride, double.CreateTruncating(negativeSlope)));
        }
    }

    /// <summary><see cref="InputGradientRectified{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, int, T, Span{T}, int, int, int, int, KernelTeam?)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static unsafe void InputGradientRectified<T>(int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, ReadOnlySpan<T> xz, int xzStride, T negativeSlope, Span<T> dx, int dxStride, int m, int n, int k, KernelTeam? team = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(xz.Length, m, k, xzStride, nameof(xz));
        CheckSlope(negativeSlope);
        fixed (T* pxz = xz)
        {
            InputGradient(vectorBits, dz, dzStride, w, dx, dxStride, m, n, k, accumulate: false, team, new ProductEpilogue(EpilogueKind.RectifierDerivative, pxz, xz.Length, xzStride, double.CreateTruncating(negativeSlope)));
        }
    }

    private static void CheckSlope<T>(T negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The rectifier's negative slope must be a finite number (0 for ReLU).");
        }
    }
}

/// <summary>What a product does to its result's elements once their sums are complete.</summary>
internal enum EpilogueKind : byte
{
    /// <summary>Nothing: the product's result is all.</summary>
    None,

    /// <summary>Writes <c>rectifier(c)</c> into the epilogue's matrix (the forward product's activation).</summary>
    Rectifier,

    /// <summary>Multiplies <c>c</c> by the rectifier's derivative at the epilogue's matrix, in place (the input gradient through the layer below).</summary>
    RectifierDerivative,
}

/// <summary>
/// A product's epilogue: its kind and the matrix it writes or reads, laid out like the product's result (element (r, c)
/// at <c>r * Stride + c</c>). A pointer, so a kernel team's job carries it; the public calls pin the span for the call.
/// </summary>
internal readonly unsafe struct ProductEpilogue
{
    private readonly void* _values;
    private readonly int _length;

    public ProductEpilogue(EpilogueKind kind, void* values, int length, int stride, double negativeSlope)
    {
        Kind = kind;
        _values = values;
        _length = length;
        Stride = stride;
        NegativeSlope = negativeSlope;
    }

    public EpilogueKind Kind { get; }

    /// <summary>Row stride of the epilogue's matrix.</summary>
    public int Stride { get; }

    /// <summary>The rectifier's slope below zero (0 for ReLU).</summary>
    public double NegativeSlope { get; }

    /// <summary>The matrix's first element, or a null reference without an epilogue.</summary>
    public ref T Values<T>()
        where T : unmanaged => ref _values == null ? ref Unsafe.NullRef<T>() : ref Unsafe.AsRef<T>(_values);

    /// <summary>The epilogue of the result's columns from <paramref name="start"/> on (a kernel team's part).</summary>
    public ProductEpilogue Columns<T>(int start)
        where T : unmanaged => Kind == EpilogueKind.None ? this : new(Kind, (T*)_values + start, _length - start, Stride, NegativeSlope);
}

/// <summary>The epilogue applied by the bodies of <see cref="DenseKernels"/>.</summary>
internal static partial class DenseKernels<T, TOps, TVector>
{
    /// <summary>
    /// The epilogue over a <paramref name="rows"/> x <paramref name="columns"/> block of the result at <paramref name="c"/>,
    /// whose element (r, j) matches the epilogue matrix's at <paramref name="values"/> + r * stride + j. Element by element,
    /// so the bits do not depend on the block: whole vectors, then the scalar form of the same formula (T.Max is
    /// TensorPrimitives.Max's maximum: NaN propagates and +0 is above -0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyEpilogue(in ProductEpilogue epilogue, ref T c, int cStride, ref T values, int rows, int columns)
    {
        if (epilogue.Kind == EpilogueKind.None)
        {
            return;
        }

        int width = TOps.Count, stride = epilogue.Stride;
        T slope = T.CreateTruncating(epilogue.NegativeSlope);
        bool leaky = slope != T.Zero;
        var slopes = TOps.Broadcast(slope);
        for (int r = 0; r < rows; r++)
        {
            ref T cRow = ref Unsafe.Add(ref c, r * cStride);
            ref T vRow = ref Unsafe.Add(ref values, r * stride);
            int i = 0;
            if (epilogue.Kind == EpilogueKind.Rectifier)
            {
                for (; i + width <= columns; i += width)
                {
                    var v = TOps.Load(ref cRow, i);
                    TOps.Store(leaky ? TOps.SelectWherePositive(v, v, TOps.Multiply(slopes, v)) : TOps.Max(v, TOps.Zero), ref vRow, i);
                }

                for (; i < columns; i++)
                {
                    T v = Unsafe.Add(ref cRow, i);
                    Unsafe.Add(ref vRow, i) = leaky ? (v > T.Zero ? v : slope * v) : T.Max(v, T.Zero);
                }
            }
            else
            {
                for (; i + width <= columns; i += width)
                {
                    var g = TOps.Load(ref cRow, i);
                    TOps.Store(TOps.SelectWherePositive(TOps.Load(ref vRow, i), g, leaky ? TOps.Multiply(slopes, g) : TOps.Zero), ref cRow, i);
                }

                for (; i < columns; i++)
                {
                    T g = Unsafe.Add(ref cRow, i);
                    Unsafe.Add(ref cRow, i) = Unsafe.Add(ref vRow, i) > T.Zero ? g : leaky ? slope * g : T.Zero;
                }
            }
        }
    }

    /// <summary><paramref name="offset"/> elements past <paramref name="values"/>, or a null reference for a null one.</summary>
    private static ref T Offset(ref T values, int offset) => ref Unsafe.IsNullRef(ref values) ? ref values : ref Unsafe.Add(ref values, offset);
}
