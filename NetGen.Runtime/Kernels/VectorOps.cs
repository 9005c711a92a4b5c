using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The vector width every kernel, element-wise loop and optimizer step of this process uses, chosen once: the
/// widest width the runtime accelerates (<see cref="Vector512.IsHardwareAccelerated"/> is false where 512-bit
/// code would run slower, e.g. on CPUs that lower their clock for it), capped by the environment variable
/// <c>NETGEN_MAX_VECTOR_BITS</c> (128, 256 or 512) when it is set. <see cref="Bits"/> is a static readonly
/// field, so the JIT folds every dispatch on it into a direct call.
/// </summary>
internal static class VectorWidth
{
    /// <summary>The environment variable that caps the width (for measuring and testing the narrower paths).</summary>
    public const string EnvironmentVariable = "NETGEN_MAX_VECTOR_BITS";

    /// <summary>The width in bits this process uses: 512, 256 or 128.</summary>
    public static readonly int Bits = Choose(HardwareBits, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The widest width the runtime accelerates here (128 when none is: Vector128 then runs in software).</summary>
    public static int HardwareBits =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>Every width this machine runs accelerated (or 128 alone), narrowest first: the paths tests can exercise.</summary>
    public static IReadOnlyList<int> Available => [.. new[] { 128, 256, 512 }.Where(bits => bits <= HardwareBits)];

    /// <summary>The width for a machine whose widest is <paramref name="hardwareBits"/>, capped by <paramref name="limit"/> (the variable's text, or null).</summary>
    /// <exception cref="ArgumentException">The limit is not 128, 256 or 512.</exception>
    public static int Choose(int hardwareBits, string? limit)
    {
        if (string.IsNullOrWhiteSpace(limit))
        {
            return hardwareBits;
        }

        return limit.Trim() switch
        {
            "128" => 128,
            "256" => Math.Min(256, hardwareBits),
            "512" => Math.Min(512, hardwareBits),
            _ => throw new ArgumentException($"{EnvironmentVariable} is '{limit}'; it must be 128, 256 or 512 (or unset for the widest the CPU accelerates).", nameof(limit)),
        };
    }
}

/// <summary>
/// The operations the kernels need on one vector type, as static members so a kernel written once over
/// <typeparamref name="TVector"/> is compiled by the JIT into separate code per width (a struct type argument
/// gets its own instantiation, and these calls inline).
/// </summary>
/// <typeparam name="T">The element type (float or double).</typeparam>
/// <typeparam name="TVector">The vector type: <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/> or <see cref="Vector512{T}"/>.</typeparam>
internal interface IVectorOps<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All elements zero.</summary>
    static abstract TVector Zero { get; }

    /// <summary>The vector at <paramref name="offset"/> elements from <paramref name="source"/> (no alignment needed).</summary>
    static abstract TVector Load(ref T source, int offset);

    /// <summary>Writes <paramref name="value"/> at <paramref name="offset"/> elements from <paramref name="destination"/>.</summary>
    static abstract void Store(TVector value, ref T destination, int offset);

    /// <summary>Every element <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(T value);

    /// <summary><c>a * b + c</c>, with one rounding where the hardware fuses it (otherwise two).</summary>
    static abstract TVector Fma(TVector a, TVector b, TVector c);

    /// <summary>Whether <see cref="Fma"/> rounds once (float and double): a scalar step of the same chain then takes <c>T.FusedMultiplyAdd</c>.</summary>
    static abstract bool FusesMultiplyAdd { get; }

    /// <summary>Element-wise sum.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>Element-wise difference.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>Element-wise product.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>Element-wise quotient.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>Element-wise square root.</summary>
    static abstract TVector Sqrt(TVector a);

    /// <summary>The sum of the elements.</summary>
    static abstract T Sum(TVector a);

    /// <summary>Whether every element equals zero (either sign); false when any is nonzero or NaN.</summary>
    static abstract bool AllZero(TVector a);

    /// <summary>Per element, <paramref name="whenTrue"/> where <paramref name="test"/> &gt; 0, else <paramref name="otherwise"/> (NaN is not &gt; 0).</summary>
    static abstract TVector SelectWherePositive(TVector test, TVector whenTrue, TVector otherwise);

    /// <summary>Per element, the larger of the two as <c>TensorPrimitives.Max</c> takes it: NaN when either is NaN, and +0 above -0.</summary>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary>Per element, zero where |<paramref name="a"/>| &lt; <paramref name="smallest"/>, else <paramref name="a"/> (NaN stays NaN).</summary>
    static abstract TVector ZeroWhereSmaller(TVector a, TVector smallest);

    /// <summary>Per element, |<paramref name="a"/>|.</summary>
    static abstract TVector Abs(TVector a);

    /// <summary>Per element, the smaller of the two by the hardware's minimum (which one a NaN gives is the hardware's).</summary>
    static abstract TVector MinNative(TVector a, TVector b);

    /// <summary>Per element, <paramref name="whenTrue"/> where <paramref name="a"/> ≥ <paramref name="bound"/>, else <paramref name="otherwise"/> (NaN is not ≥ anything).</summary>
    static abstract TVector SelectWhereAtLeast(TVector a, TVector bound, TVector whenTrue, TVector otherwise);

    /// <summary>The bits of <paramref name="a"/> and <paramref name="b"/>, and-ed.</summary>
    static abstract TVector BitwiseAnd(TVector a, TVector b);

    /// <summary>The bits of <paramref name="a"/> and <paramref name="b"/>, exclusive-or-ed.</summary>
    static abstract TVector Xor(TVector a, TVector b);

    /// <summary>Per 32-bit lane, the bits of <paramref name="a"/> as an integer shifted left by <paramref name="count"/>, plus those of <paramref name="b"/> (wrapping).</summary>
    static abstract TVector ShiftLeftThenAdd32(TVector a, int count, TVector b);

    /// <summary>
    /// tanh per float element by <see cref="NetGen.CompilerServices.FloatTanh"/>'s formula, computed in float: within 2 ulp
    /// of the correctly rounded value, and the same bits in every lane of every width. Floats only.
    /// </summary>
    static abstract TVector Tanh(TVector x);

    /// <summary>e^x per double element, by .NET's vector exponential (the same formula in every lane of every width). Doubles only.</summary>
    static abstract TVector Exp(TVector x);

    /// <summary>ln x per double element, by .NET's vector logarithm (the same formula in every lane of every width). Doubles only.</summary>
    static abstract TVector Log(TVector x);

    /// <summary>Per element, <paramref name="whenTrue"/> where <paramref name="a"/> equals <paramref name="b"/>, else <paramref name="otherwise"/>.</summary>
    static abstract TVector SelectWhereEqual(TVector a, TVector b, TVector whenTrue, TVector otherwise);
}

/// <summary>Whether vector fused multiply-add is a hardware instruction here (x86 FMA3, Arm AdvSimd).</summary>
internal static class FusedMultiplyAdd
{
    public static bool IsHardware => System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
}

/// <summary><see cref="IVectorOps{T, TVector}"/> on <see cref="Vector512{T}"/> (AVX-512: 16 floats, 32 registers).</summary>
internal readonly struct Vector512Ops<T> : IVectorOps<T, Vector512<T>>
    where T : unmanaged
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, int offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    public static bool FusesMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        // AVX-512F always has FMA; elsewhere Vector512 runs in software and the unfused form is the cheaper one.
        if (FusesMultiplyAdd)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector512.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Vector512.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> a) => Vector512.Sum(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllZero(Vector512<T> a) => Vector512.EqualsAll(a, Vector512<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectWherePositive(Vector512<T> test, Vector512<T> whenTrue, Vector512<T> otherwise) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(test, Vector512<T>.Zero), whenTrue, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ZeroWhereSmaller(Vector512<T> a, Vector512<T> smallest) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(a), smallest), Vector512<T>.Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> a) => Vector512.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MinNative(Vector512<T> a, Vector512<T> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectWhereAtLeast(Vector512<T> a, Vector512<T> bound, Vector512<T> whenTrue, Vector512<T> otherwise) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a, bound), whenTrue, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> BitwiseAnd(Vector512<T> a, Vector512<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Xor(Vector512<T> a, Vector512<T> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ShiftLeftThenAdd32(Vector512<T> a, int count, Vector512<T> b) => ((a.AsUInt32() << count) + b.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh(Vector512<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return NetGen.CompilerServices.FloatTanh.Tanh<Vector512Ops<float>, Vector512<float>>(x.As<T, float>()).As<float, T>();
        }

        throw new NotSupportedException($"tanh vectors of {typeof(T).Name}: only float (double tanh is TensorPrimitives.Tanh's).");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> x) =>
        typeof(T) == typeof(double) ? Vector512.Exp(x.As<T, double>()).As<double, T>() : throw new NotSupportedException($"vector e^x of {typeof(T).Name}: only double.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log(Vector512<T> x) =>
        typeof(T) == typeof(double) ? Vector512.Log(x.As<T, double>()).As<double, T>() : throw new NotSupportedException($"vector ln x of {typeof(T).Name}: only double.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectWhereEqual(Vector512<T> a, Vector512<T> b, Vector512<T> whenTrue, Vector512<T> otherwise) =>
        Vector512.ConditionalSelect(Vector512.Equals(a, b), whenTrue, otherwise);
}

/// <summary><see cref="IVectorOps{T, TVector}"/> on <see cref="Vector256{T}"/> (AVX2: 8 floats).</summary>
internal readonly struct Vector256Ops<T> : IVectorOps<T, Vector256<T>>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, int offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    public static bool FusesMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.IsHardwareAccelerated && FusedMultiplyAdd.IsHardware && (typeof(T) == typeof(float) || typeof(T) == typeof(double));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (FusesMultiplyAdd)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector256.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Vector256.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> a) => Vector256.Sum(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllZero(Vector256<T> a) => Vector256.EqualsAll(a, Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectWherePositive(Vector256<T> test, Vector256<T> whenTrue, Vector256<T> otherwise) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(test, Vector256<T>.Zero), whenTrue, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ZeroWhereSmaller(Vector256<T> a, Vector256<T> smallest) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(a), smallest), Vector256<T>.Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MinNative(Vector256<T> a, Vector256<T> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectWhereAtLeast(Vector256<T> a, Vector256<T> bound, Vector256<T> whenTrue, Vector256<T> otherwise) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, bound), whenTrue, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> BitwiseAnd(Vector256<T> a, Vector256<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Xor(Vector256<T> a, Vector256<T> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ShiftLeftThenAdd32(Vector256<T> a, int count, Vector256<T> b) => ((a.AsUInt32() << count) + b.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh(Vector256<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return NetGen.CompilerServices.FloatTanh.Tanh<Vector256Ops<float>, Vector256<float>>(x.As<T, float>()).As<float, T>();
        }

        throw new NotSupportedException($"tanh vectors of {typeof(T).Name}: only float (double tanh is TensorPrimitives.Tanh's).");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> x) =>
        typeof(T) == typeof(double) ? Vector256.Exp(x.As<T, double>()).As<double, T>() : throw new NotSupportedException($"vector e^x of {typeof(T).Name}: only double.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log(Vector256<T> x) =>
        typeof(T) == typeof(double) ? Vector256.Log(x.As<T, double>()).As<double, T>() : throw new NotSupportedException($"vector ln x of {typeof(T).Name}: only double.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectWhereEqual(Vector256<T> a, Vector256<T> b, Vector256<T> whenTrue, Vector256<T> otherwise) =>
        Vector256.ConditionalSelect(Vector256.Equals(a, b), whenTrue, otherwise);
}

/// <summary><see cref="IVectorOps{T, TVector}"/> on <see cref="Vector128{T}"/> (SSE, Arm AdvSimd: 4 floats; software elsewhere).</summary>
internal readonly struct Vector128Ops<T> : IVectorOps<T, Vector128<T>>
    where T : unmanaged
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, int offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, int offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    public static bool FusesMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.IsHardwareAccelerated && FusedMultiplyAdd.IsHardware && (typeof(T) == typeof(float) || typeof(T) == typeof(double));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (FusesMultiplyAdd)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector128.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Vector128.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt(Vector128<T> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> a) => Vector128.Sum(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllZero(Vector128<T> a) => Vector128.EqualsAll(a, Vector128<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectWherePositive(Vector128<T> test, Vector128<T> whenTrue, Vector128<T> otherwise) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(test, Vector128<T>.Zero), whenTrue, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ZeroWhereSmaller(Vector128<T> a, Vector128<T> smallest) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(a), smallest), Vector128<T>.Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs(Vector128<T> a) => Vector128.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MinNative(Vector128<T> a, Vector128<T> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectWhereAtLeast(Vector128<T> a, Vector128<T> bound, Vector128<T> whenTrue, Vector128<T> otherwise) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a, bound), whenTrue, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> BitwiseAnd(Vector128<T> a, Vector128<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Xor(Vector128<T> a, Vector128<T> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ShiftLeftThenAdd32(Vector128<T> a, int count, Vector128<T> b) => ((a.AsUInt32() << count) + b.AsUInt32()).As<uint, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Tanh(Vector128<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return NetGen.CompilerServices.FloatTanh.Tanh<Vector128Ops<float>, Vector128<float>>(x.As<T, float>()).As<float, T>();
        }

        throw new NotSupportedException($"tanh vectors of {typeof(T).Name}: only float (double tanh is TensorPrimitives.Tanh's).");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> x) =>
        typeof(T) == typeof(double) ? Vector128.Exp(x.As<T, double>()).As<double, T>() : throw new NotSupportedException($"vector e^x of {typeof(T).Name}: only double.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log(Vector128<T> x) =>
        typeof(T) == typeof(double) ? Vector128.Log(x.As<T, double>()).As<double, T>() : throw new NotSupportedException($"vector ln x of {typeof(T).Name}: only double.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectWhereEqual(Vector128<T> a, Vector128<T> b, Vector128<T> whenTrue, Vector128<T> otherwise) =>
        Vector128.ConditionalSelect(Vector128.Equals(a, b), whenTrue, otherwise);
}
