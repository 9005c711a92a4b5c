using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The trainer's passes over a summed gradient, each one loop at the process's vector width (<see cref="VectorWidth"/>)
/// instead of one <c>TensorPrimitives</c> call per operation: on a small network (W2's 131 parameters) the calls' fixed
/// cost was most of the pass.
/// </summary>
internal static class GradientKernels
{
    /// <summary>
    /// <c>destination = source / divisor</c> element by element (the same IEEE quotients as
    /// <c>TensorPrimitives.Divide</c>; the spans may be the same), and whether every quotient is finite.
    /// </summary>
    /// <remarks>
    /// When <paramref name="divisor"/> is a power of two whose reciprocal is finite (every batch size 2^k), the kernel
    /// multiplies by the reciprocal instead: <c>x · 2^-k</c> and <c>x / 2^k</c> are both the correctly rounded value of
    /// the same real number, so the bits are the same, and a vector multiply takes one cycle where a divide takes about
    /// ten: a W2 training step at batch 1 (131 parameters, divisor 1) ran 1.05-1.13x faster, W3's at batch 64 about 1.05x.
    /// The check adds up <c>q · 0</c> lane by lane, which is zero for every finite quotient and NaN for an infinite or NaN
    /// one, so one bad value makes its lane NaN, and the pass is finite when every lane is zero; unlike a sum of the
    /// quotients themselves it cannot overflow.
    /// </remarks>
    public static bool DivideAndCheckFinite<T>(ReadOnlySpan<T> source, T divisor, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DivideAndCheckFinite(VectorWidth.Bits, source, divisor, destination);

    /// <summary><see cref="DivideAndCheckFinite{T}(ReadOnlySpan{T}, T, Span{T})"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static bool DivideAndCheckFinite<T>(int vectorBits, ReadOnlySpan<T> source, T divisor, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Length != source.Length)
        {
            ThrowLengths(destination.Length, source.Length);
        }

        return vectorBits switch
        {
            512 => DivideAndCheckFinite<T, Vector512Ops<T>, Vector512<T>>(source, divisor, destination),
            256 => DivideAndCheckFinite<T, Vector256Ops<T>, Vector256<T>>(source, divisor, destination),
            _ => DivideAndCheckFinite<T, Vector128Ops<T>, Vector128<T>>(source, divisor, destination),
        };
    }

    // The message is built out of line: this check inlines into a training step, where an interpolated string would take
    // the JIT's inlining budget from the kernels (docs/design-notes.md, "The inlining budget").
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengths(int destinationLength, int sourceLength) =>
        throw new ArgumentException($"'destination' has {destinationLength} values; 'source' has {sourceLength}.", "destination");

    private static bool DivideAndCheckFinite<T, TOps, TVector>(ReadOnlySpan<T> source, T divisor, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
        T reciprocal = T.One / divisor;
        bool multiply = IsPowerOfTwoWithExactReciprocal(divisor, reciprocal);
        var divisors = TOps.Broadcast(divisor);
        var reciprocals = TOps.Broadcast(reciprocal);
        var check = TOps.Zero;
        int i = 0;
        for (; i <= source.Length - TOps.Count; i += TOps.Count)
        {
            var value = TOps.Load(ref from, i);
            var quotient = multiply ? TOps.Multiply(value, reciprocals) : TOps.Divide(value, divisors);
            check = TOps.Add(check, TOps.Multiply(quotient, TOps.Zero));
            TOps.Store(quotient, ref to, i);
        }

        // The rest in 128-bit vectors, then one by one (W1 has 9 parameters; Vector512 holds 16 floats).
        var tailCheck = Vector128<T>.Zero;
        var divisors128 = Vector128.Create(divisor);
        var reciprocals128 = Vector128.Create(reciprocal);
        for (; i <= source.Length - Vector128<T>.Count; i += Vector128<T>.Count)
        {
            var value = Vector128.LoadUnsafe(ref from, (nuint)i);
            var quotient = multiply ? value * reciprocals128 : value / divisors128;
            tailCheck += quotient * Vector128<T>.Zero;
            quotient.StoreUnsafe(ref to, (nuint)i);
        }

        T tail = T.Zero;
        for (; i < source.Length; i++)
        {
            T quotient = multiply ? source[i] * reciprocal : source[i] / divisor;
            tail += quotient * T.Zero;
            destination[i] = quotient;
        }

        // Every check lane is ±0 exactly when its quotients were finite: one compare of the lanes with zero, not a
        // horizontal sum (about twenty shuffles and adds at 512 bits, on the critical path of a tiny network's step).
        return TOps.AllZero(check) && Vector128.EqualsAll(tailCheck, Vector128<T>.Zero) && tail == T.Zero;
    }

    /// <summary>Bytes up to which <see cref="Clear{T}(Span{T})"/> stores vectors itself; longer buffers go to <c>Span.Clear</c>.</summary>
    private const int SmallClearBytes = 16 * 1024;

    /// <summary>
    /// Zeroes <paramref name="values"/>. A small buffer (a tiny network's gradient, cleared right before its backward
    /// pass adds into it) gets whole vectors of the process's width from its first element, then 128-bit vectors, then
    /// one by one: the pieces the kernels read it in (a 16-float row of a weight gradient is one 512-bit load), so each
    /// such load is forwarded from one store; <c>Span.Clear</c> stores in its own pieces and ends with an overlapping
    /// store (W2 at batch 1 1.04x). A larger buffer goes to <c>Span.Clear</c>, whose stores have long reached the cache
    /// by the time they are read (W3's gradient cleared this way ran 0.98x).
    /// </summary>
    public static void Clear<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((long)values.Length * Unsafe.SizeOf<T>() > SmallClearBytes)
        {
            values.Clear();
            return;
        }

        switch (VectorWidth.Bits)
        {
            case 512: Clear<T, Vector512Ops<T>, Vector512<T>>(values); break;
            case 256: Clear<T, Vector256Ops<T>, Vector256<T>>(values); break;
            default: Clear<T, Vector128Ops<T>, Vector128<T>>(values); break;
        }
    }

    private static void Clear<T, TOps, TVector>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        ref T start = ref MemoryMarshal.GetReference(values);
        int i = 0;
        for (; i <= values.Length - TOps.Count; i += TOps.Count)
        {
            TOps.Store(TOps.Zero, ref start, i);
        }

        for (; i <= values.Length - Vector128<T>.Count; i += Vector128<T>.Count)
        {
            Vector128<T>.Zero.StoreUnsafe(ref start, (nuint)i);
        }

        for (; i < values.Length; i++)
        {
            Unsafe.Add(ref start, i) = T.Zero;
        }
    }

    /// <summary>
    /// True when <paramref name="divisor"/> is 2^k (finite, positive, subnormal ones too) and <paramref name="reciprocal"/>
    /// = 1 / 2^k is finite and nonzero, so it is exactly 2^-k and multiplying by it gives the quotient's bits (2^-149's
    /// reciprocal overflows, so that divisor divides).
    /// </summary>
    private static bool IsPowerOfTwoWithExactReciprocal<T>(T divisor, T reciprocal)
        where T : unmanaged, IFloatingPointIeee754<T>
        => IsPowerOfTwo(divisor) && T.IsFinite(reciprocal) && reciprocal != T.Zero;

    /// <summary>
    /// True when <paramref name="value"/> is 2^k for some integer k: a test of the bits for float and double
    /// (<c>IsPow2</c>, subnormal powers included), where the generic form's <c>ILogB</c> and <c>ScaleB</c> are software
    /// routines that were most of this pass's cost on a small network.
    /// </summary>
    private static bool IsPowerOfTwo<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return float.IsPow2(Unsafe.As<T, float>(ref value));
        }

        if (typeof(T) == typeof(double))
        {
            return double.IsPow2(Unsafe.As<T, double>(ref value));
        }

        return T.IsFinite(value) && value > T.Zero && value == T.ScaleB(T.One, T.ILogB(value));
    }
}
