using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// Element-wise activations that System.Numerics.Tensors does not provide, or not as cheaply, at the vector width the
/// kernels use (<c>Vector512</c>, <c>Vector256</c> or <c>Vector128</c>, capped by <c>NETGEN_MAX_VECTOR_BITS</c>): the
/// rectifiers and their derivative, and tanh (computed in float for float) and its derivative. Generated code calls the
/// rectifier's derivative for ReLU layers of 8 or more units whose derivative no product applies
/// (<see cref="DenseKernels.InputGradientRectified{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, int, T, Span{T}, int, int, int, int, KernelTeam?)"/>)
/// and tanh for tanh layers of 8 or more units; the dynamic graph calls the rectifiers and tanh, so the two run the
/// same loops. Each element is computed on its own, so every width gives the same bits.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ActivationKernels
{
    /// <summary><c>y = x &gt; 0 ? x : negativeSlope · x</c> (ReLU for a slope of 0, which gives 0 for every x ≤ 0).</summary>
    public static void Rectifier<T>(ReadOnlySpan<T> x, T negativeSlope, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Rectifier(VectorWidth.Bits, x, negativeSlope, y);

    /// <summary>
    /// <c>dz = z &gt; 0 ? upstream : negativeSlope · upstream</c>, or <c>+=</c> when <paramref name="accumulate"/>: the
    /// derivative of <see cref="Rectifier{T}(ReadOnlySpan{T}, T, Span{T})"/> at <paramref name="z"/> times dL/da. With a
    /// slope of 0 the result is 0 wherever z ≤ 0, whatever the upstream value (as <c>z &gt; 0 ? da : 0</c>).
    /// </summary>
    public static void RectifierDerivative<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> upstream, T negativeSlope, Span<T> dz, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => RectifierDerivative(VectorWidth.Bits, z, upstream, negativeSlope, dz, accumulate);

    /// <summary>
    /// <c>a = tanh(z)</c>. For float, a formula computed in float (<see cref="FloatTanh"/>), within 2 ulp of the correctly
    /// rounded tanh for every finite input, exactly ±1 for large |z| and ±∞, z itself for tiny |z| (tanh(-0) = -0), NaN for
    /// NaN; each element gets the same bits whatever the vector width and the span's length, so generated code (per
    /// sample, layers of 8 units or more) and the dynamic graph (per batch) agree bit for bit. For double,
    /// <c>TensorPrimitives.Tanh</c>.
    /// </summary>
    public static void Tanh<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Tanh(VectorWidth.Bits, z, a);

    /// <summary><c>dz = upstream · (1 - a²)</c>, or <c>+=</c> when <paramref name="accumulate"/>: tanh's derivative through its output <paramref name="a"/> times dL/da, rounded as the scalar loop rounds it.</summary>
    public static void TanhDerivative<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> upstream, Span<T> dz, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TanhDerivative(VectorWidth.Bits, a, upstream, dz, accumulate);

    /// <summary><see cref="Tanh{T}(ReadOnlySpan{T}, Span{T})"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void Tanh<T>(int vectorBits, ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length, z.Length, nameof(a));
        if (typeof(T) != typeof(float))
        {
            // Double's vector exponential is double already, so there is no widening to save; and TensorPrimitives
            // computes double tanh with its own e^x - 1, which the dynamic graph gets through here too.
            System.Numerics.Tensors.TensorPrimitives.Tanh(z, a);
            return;
        }

        if (z.Length < Vector128<T>.Count)
        {
            // The vector formula in one lane per element, so a short span gets the bits a long one would (no stackalloc
            // buffer: it would cost every call of this method a zeroed frame and a stack cookie check).
            var zf = MemoryMarshal.Cast<T, float>(z);
            var af = MemoryMarshal.Cast<T, float>(a);
            for (int i = 0; i < zf.Length; i++)
            {
                af[i] = FloatTanh.Tanh(zf[i]);
            }

            return;
        }

        switch (vectorBits)
        {
            case 512 when z.Length >= Vector512<T>.Count: ActivationKernels<T, Vector512Ops<T>, Vector512<T>>.Tanh(z, a); break;
            case 512 or 256 when z.Length >= Vector256<T>.Count: ActivationKernels<T, Vector256Ops<T>, Vector256<T>>.Tanh(z, a); break;
            default: ActivationKernels<T, Vector128Ops<T>, Vector128<T>>.Tanh(z, a); break;
        }
    }

    /// <summary><see cref="TanhDerivative{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, bool)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void TanhDerivative<T>(int vectorBits, ReadOnlySpan<T> a, ReadOnlySpan<T> upstream, Span<T> dz, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(upstream.Length, a.Length, nameof(upstream));
        Check(dz.Length, a.Length, nameof(dz));
        switch (vectorBits)
        {
            case 512: ActivationKernels<T, Vector512Ops<T>, Vector512<T>>.TanhDerivative(a, upstream, dz, accumulate); break;
            case 256: ActivationKernels<T, Vector256Ops<T>, Vector256<T>>.TanhDerivative(a, upstream, dz, accumulate); break;
            default: ActivationKernels<T, Vector128Ops<T>, Vector128<T>>.TanhDerivative(a, upstream, dz, accumulate); break;
        }
    }

    /// <summary><see cref="Rectifier{T}(ReadOnlySpan{T}, T, Span{T})"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void Rectifier<T>(int vectorBits, ReadOnlySpan<T> x, T negativeSlope, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(y.Length, x.Length, nameof(y));
        switch (vectorBits)
        {
            case 512: ActivationKernels<T, Vector512Ops<T>, Vector512<T>>.Rectifier(x, negativeSlope, y); break;
            case 256: ActivationKernels<T, Vector256Ops<T>, Vector256<T>>.Rectifier(x, negativeSlope, y); break;
            default: ActivationKernels<T, Vector128Ops<T>, Vector128<T>>.Rectifier(x, negativeSlope, y); break;
        }
    }

    /// <summary><see cref="RectifierDerivative{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T}, bool)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void RectifierDerivative<T>(int vectorBits, ReadOnlySpan<T> z, ReadOnlySpan<T> upstream, T negativeSlope, Span<T> dz, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(upstream.Length, z.Length, nameof(upstream));
        Check(dz.Length, z.Length, nameof(dz));
        switch (vectorBits)
        {
            case 512: ActivationKernels<T, Vector512Ops<T>, Vector512<T>>.RectifierDerivative(z, upstream, negativeSlope, dz, accumulate); break;
            case 256: ActivationKernels<T, Vector256Ops<T>, Vector256<T>>.RectifierDerivative(z, upstream, negativeSlope, dz, accumulate); break;
            default: ActivationKernels<T, Vector128Ops<T>, Vector128<T>>.RectifierDerivative(z, upstream, negativeSlope, dz, accumulate); break;
        }
    }

    private static void Check(int length, int required, string name)
    {
        if (length != required)
        {
            ThrowLength(length, required, name);
        }
    }

    // Out of line, so the check inlines into the generated passes without its message (see NetworkArguments).
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int length, int required, string name) =>
        throw new ArgumentException($"'{name}' has {length} elements; the activation's input has {required}.", name);
}

/// <summary>
/// The bodies of <see cref="ActivationKernels"/> for one vector type (see <see cref="DenseKernels{T, TOps, TVector}"/>),
/// compiled optimized at their first call, as the products are.
/// </summary>
internal static class ActivationKernels<T, TOps, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOps : struct, IVectorOps<T, TVector>
    where TVector : struct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rectifier(ReadOnlySpan<T> x, T negativeSlope, Span<T> y)
    {
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        int n = x.Length, width = TOps.Count, i = 0;
        bool leaky = negativeSlope != T.Zero;
        var slope = TOps.Broadcast(negativeSlope);
        for (; i + width <= n; i += width)
        {
            var v = TOps.Load(ref rx, i);
            TOps.Store(TOps.SelectWherePositive(v, v, leaky ? TOps.Multiply(slope, v) : TOps.Zero), ref ry, i);
        }

        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref rx, i);
            Unsafe.Add(ref ry, i) = v > T.Zero ? v : leaky ? negativeSlope * v : T.Zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RectifierDerivative(ReadOnlySpan<T> z, ReadOnlySpan<T> upstream, T negativeSlope, Span<T> dz, bool accumulate)
    {
        ref T rz = ref MemoryMarshal.GetReference(z);
        ref T rg = ref MemoryMarshal.GetReference(upstream);
        ref T rd = ref MemoryMarshal.GetReference(dz);
        int n = z.Length, width = TOps.Count, i = 0;
        bool leaky = negativeSlope != T.Zero;
        var slope = TOps.Broadcast(negativeSlope);
        for (; i + width <= n; i += width)
        {
            var g = TOps.Load(ref rg, i);
            var d = TOps.SelectWherePositive(TOps.Load(ref rz, i), g, leaky ? TOps.Multiply(slope, g) : TOps.Zero);
            TOps.Store(accumulate ? TOps.Add(TOps.Load(ref rd, i), d) : d, ref rd, i);
        }

        for (; i < n; i++)
        {
            T g = Unsafe.Add(ref rg, i);
            T d = Unsafe.Add(ref rz, i) > T.Zero ? g : leaky ? negativeSlope * g : T.Zero;
            Unsafe.Add(ref rd, i) = accumulate ? Unsafe.Add(ref rd, i) + d : d;
        }
    }

    /// <summary>Whole vectors, then one last vector ending at the last element (it overlaps the previous one; the input is read before anything is written, so a may be z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(ReadOnlySpan<T> z, Span<T> a)
    {
        ref T rz = ref MemoryMarshal.GetReference(z);
        ref T ra = ref MemoryMarshal.GetReference(a);
        int n = z.Length, width = TOps.Count;
        var last = TOps.Load(ref rz, n - width);
        for (int i = 0; i + width < n; i += width)
        {
            TOps.Store(TOps.Tanh(TOps.Load(ref rz, i)), ref ra, i);
        }

        TOps.Store(TOps.Tanh(last), ref ra, n - width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhDerivative(ReadOnlySpan<T> a, ReadOnlySpan<T> upstream, Span<T> dz, bool accumulate)
    {
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rg = ref MemoryMarshal.GetReference(upstream);
        ref T rd = ref MemoryMarshal.GetReference(dz);
        int n = a.Length, width = TOps.Count, i = 0;
        var one = TOps.Broadcast(T.One);
        for (; i + width <= n; i += width)
        {
            var y = TOps.Load(ref ra, i);
            var d = TOps.Multiply(TOps.Load(ref rg, i), TOps.Subtract(one, TOps.Multiply(y, y)));
            TOps.Store(accumulate ? TOps.Add(TOps.Load(ref rd, i), d) : d, ref rd, i);
        }

        for (; i < n; i++)
        {
            T y = Unsafe.Add(ref ra, i);
            T d = Unsafe.Add(ref rg, i) * (T.One - (y * y));
            Unsafe.Add(ref rd, i) = accumulate ? Unsafe.Add(ref rd, i) + d : d;
        }
    }
}
