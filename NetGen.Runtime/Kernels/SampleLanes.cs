using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.CompilerServices;

/// <summary>
/// The lane operations of <see cref="SampleDenseKernels{T, TOps, TLanes, TVector}"/> beyond the loads and arithmetic
/// of <see cref="IVectorOps{T, TVector}"/>: the permutes that let several short rows of a weight matrix share one
/// vector (each a single permute instruction, <c>ShuffleNative</c>, whose indices the JIT folds for constant sizes).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVector">The vector type.</typeparam>
internal interface ISampleLanes<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    static abstract T Lane(TVector value, int lane);

    /// <summary>Lane e is <c>source[e % length]</c>; <paramref name="length"/> divides the lanes.</summary>
    static abstract TVector Tile(ref T source, int length);

    /// <summary>Lane e is <c>value[first + e / k]</c>: each of the lanes from <paramref name="first"/> repeated k times.</summary>
    static abstract TVector Spread(TVector value, int k, int first);

    /// <summary>Every lane holds the sum of its group of k adjacent lanes (k a power of two).</summary>
    static abstract TVector SumGroups(TVector value, int k);

    /// <summary>Lanes first to first + lanes / k hold lanes 0, k, 2k, ... of <paramref name="sums"/>; the others are zero.</summary>
    static abstract TVector Place(TVector sums, int k, int first);

    /// <summary>Lane i (below k) holds the sum of lanes i, i + k, i + 2k, ...</summary>
    static abstract TVector FoldGroups(TVector value, int k);

    /// <summary>Whether <see cref="SumFour"/> is available: float lanes on x86 (elsewhere each sum is its own reduction).</summary>
    static abstract bool CanSumFour { get; }

    /// <summary>
    /// Lane r is the sum of the elements of the r-th argument, each with the bits of <c>VectorN.Sum</c> (the same tree of
    /// additions: adjacent pairs, then pairs of pairs within each 128 bits, then the 128-bit quarters, in pairs), for four
    /// vectors at once: two-source shuffles move partial sums of different vectors into one register, so the four trees
    /// share each shuffle and each add, 13 instructions at 512 bits where four <c>Sum</c> calls are about 80.
    /// </summary>
    static abstract Vector128<float> SumFour(TVector a, TVector b, TVector c, TVector d);

    /// <summary>
    /// For four vectors of rows of four lanes (row g of argument p in lanes 4g to 4g + 3): lane <c>p · lanes/4 + g</c> is
    /// that row's sum, with the bits of <see cref="SumGroups"/> at k = 4 (<c>(x0 + x1) + (x2 + x3)</c>). The sums come out
    /// of the shuffles of <see cref="SumFour"/> as [argument][group] within each 128 bits, and one permute puts them in
    /// output order: the packed forward product of a layer of four inputs (W2's 16 x 4) with no per-row gather.
    /// </summary>
    static abstract TVector SumRowsOfFour(TVector a, TVector b, TVector c, TVector d);
}

/// <summary>The first two levels of <see cref="ISampleLanes{T, TVector}.SumFour"/>, shared by the widths (one 128-bit block each).</summary>
internal static class FourSums
{
    /// <summary><c>_MM_SHUFFLE(2, 0, 2, 0)</c>: lanes 0 and 2 of each source, per 128 bits.</summary>
    public const byte EvenLanes = 0b10_00_10_00;

    /// <summary><c>_MM_SHUFFLE(3, 1, 3, 1)</c>: lanes 1 and 3 of each source, per 128 bits.</summary>
    public const byte OddLanes = 0b11_01_11_01;
}

/// <summary>The <see cref="ISampleLanes{T, TVector}"/> of <c>Vector512</c>.</summary>
internal readonly struct Sample512<T> : ISampleLanes<T, Vector512<T>>
    where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vector512<T> value, int lane) => value.GetElement(lane);

    public static bool CanSumFour
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) && Avx512F.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumFour(Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d)
    {
        // Per 128 bits: [a, b, c, d] each (x0+x1)+(x2+x3) (GroupSums); then the quarters, (q0+q1)+(q2+q3).
        var quarters = GroupSums(a, b, c, d);
        var halves = quarters + Avx512F.Shuffle4x128(quarters, quarters, 0b10_11_00_01);
        return halves.GetLower().GetLower() + halves.GetUpper().GetLower();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SumRowsOfFour(Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d)
    {
        // Quarter g of the shuffled sums holds [a, b, c, d]'s row g; output lane 4p + g takes lane 4g + p (a 4 x 4 transpose).
        return Avx512F.PermuteVar16x32(GroupSums(a, b, c, d), Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15)).As<float, T>();
    }

    /// <summary>Per 128 bits, lane p is the sum of the p-th argument's four lanes there, <c>(x0 + x1) + (x2 + x3)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> GroupSums(Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d) =>
        Pairs(Pairs(a.AsSingle(), b.AsSingle()), Pairs(c.AsSingle(), d.AsSingle()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle(x, y, FourSums.EvenLanes) + Avx512F.Shuffle(x, y, FourSums.OddLanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tile(ref T source, int length)
    {
        // length elements (dividing the lanes) repeated across the vector, read without passing the source's end.
        int bytes = length * Unsafe.SizeOf<T>();
        ref byte start = ref Unsafe.As<T, byte>(ref source);
        return bytes switch
        {
            4 => Vector512.Create(Unsafe.ReadUnaligned<uint>(ref start)).As<uint, T>(),
            8 => Vector512.Create(Unsafe.ReadUnaligned<ulong>(ref start)).As<ulong, T>(),
            16 => Twice(Twice(Vector128.LoadUnsafe(ref start))).As<byte, T>(),
            32 => Twice(Vector256.LoadUnsafe(ref start)).As<byte, T>(),
            _ => Vector512.LoadUnsafe(ref source),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Spread(Vector512<T> value, int k, int first) =>
        Permute(value, (Vector512<int>.Indices >>> BitOperations.Log2((uint)k)) + Vector512.Create(first));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SumGroups(Vector512<T> value, int k)
    {
        for (int step = 1; step < k; step <<= 1)
        {
            value += Permute(value, Vector512<int>.Indices ^ Vector512.Create(step));
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Place(Vector512<T> sums, int k, int first)
    {
        var lanes = Vector512<int>.Indices;
        var gathered = Permute(sums, (lanes - Vector512.Create(first)) << BitOperations.Log2((uint)k));
        var inside = Vector512.GreaterThanOrEqual(lanes, Vector512.Create(first)) & Vector512.LessThan(lanes, Vector512.Create(first + (Vector512<T>.Count / k)));
        return Vector512.ConditionalSelect(Mask(inside), gathered, Vector512<T>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FoldGroups(Vector512<T> value, int k)
    {
        for (int step = k; step < Vector512<T>.Count; step <<= 1)
        {
            value += Permute(value, Vector512<int>.Indices ^ Vector512.Create(step));
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Twice(Vector128<byte> half) => Vector256.Create(half, half);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Twice(Vector256<byte> half) => Vector512.Create(half, half);

    /// <summary>Lane e of the result is lane <c>indices[e]</c> of <paramref name="value"/> (indices within the lanes, computed as 32-bit lane numbers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Permute(Vector512<T> value, Vector512<int> indices)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.ShuffleNative(value.As<T, float>(), indices).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.ShuffleNative(value.As<T, double>(), Vector512.WidenLower(indices)).As<double, T>();
        }

        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>A lane mask computed on 32-bit lane numbers, as a mask of <typeparamref name="T"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Mask(Vector512<int> mask) =>
        Unsafe.SizeOf<T>() == 8 ? Vector512.WidenLower(mask).As<long, T>() : mask.As<int, T>();
}

/// <summary>The <see cref="ISampleLanes{T, TVector}"/> of <c>Vector256</c>.</summary>
internal readonly struct Sample256<T> : ISampleLanes<T, Vector256<T>>
    where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vector256<T> value, int lane) => value.GetElement(lane);

    public static bool CanSumFour
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) && Avx2.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumFour(Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d)
    {
        var halves = GroupSums(a, b, c, d);
        return halves.GetLower() + halves.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SumRowsOfFour(Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d)
    {
        // Half g of the shuffled sums holds [a, b, c, d]'s row g; output lane 2p + g takes lane 4g + p.
        return Avx2.PermuteVar8x32(GroupSums(a, b, c, d), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).As<float, T>();
    }

    /// <summary>Per 128 bits, lane p is the sum of the p-th argument's four lanes there, <c>(x0 + x1) + (x2 + x3)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> GroupSums(Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d) =>
        Pairs(Pairs(a.AsSingle(), b.AsSingle()), Pairs(c.AsSingle(), d.AsSingle()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pairs(Vector256<float> x, Vector256<float> y) =>
        Avx.Shuffle(x, y, FourSums.EvenLanes) + Avx.Shuffle(x, y, FourSums.OddLanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tile(ref T source, int length)
    {
        // length elements (dividing the lanes) repeated across the vector, read without passing the source's end.
        int bytes = length * Unsafe.SizeOf<T>();
        ref byte start = ref Unsafe.As<T, byte>(ref source);
        return bytes switch
        {
            4 => Vector256.Create(Unsafe.ReadUnaligned<uint>(ref start)).As<uint, T>(),
            8 => Vector256.Create(Unsafe.ReadUnaligned<ulong>(ref start)).As<ulong, T>(),
            16 => Twice(Vector128.LoadUnsafe(ref start)).As<byte, T>(),
            _ => Vector256.LoadUnsafe(ref source),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Spread(Vector256<T> value, int k, int first) =>
        Permute(value, (Vector256<int>.Indices >>> BitOperations.Log2((uint)k)) + Vector256.Create(first));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SumGroups(Vector256<T> value, int k)
    {
        for (int step = 1; step < k; step <<= 1)
        {
            value += Permute(value, Vector256<int>.Indices ^ Vector256.Create(step));
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Place(Vector256<T> sums, int k, int first)
    {
        var lanes = Vector256<int>.Indices;
        var gathered = Permute(sums, (lanes - Vector256.Create(first)) << BitOperations.Log2((uint)k));
        var inside = Vector256.GreaterThanOrEqual(lanes, Vector256.Create(first)) & Vector256.LessThan(lanes, Vector256.Create(first + (Vector256<T>.Count / k)));
        return Vector256.ConditionalSelect(Mask(inside), gathered, Vector256<T>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FoldGroups(Vector256<T> value, int k)
    {
        for (int step = k; step < Vector256<T>.Count; step <<= 1)
        {
            value += Permute(value, Vector256<int>.Indices ^ Vector256.Create(step));
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Twice(Vector128<byte> half) => Vector256.Create(half, half);

    /// <summary>Lane e of the result is lane <c>indices[e]</c> of <paramref name="value"/> (indices within the lanes, computed as 32-bit lane numbers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Permute(Vector256<T> value, Vector256<int> indices)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.ShuffleNative(value.As<T, float>(), indices).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.ShuffleNative(value.As<T, double>(), Vector256.WidenLower(indices)).As<double, T>();
        }

        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>A lane mask computed on 32-bit lane numbers, as a mask of <typeparamref name="T"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Mask(Vector256<int> mask) =>
        Unsafe.SizeOf<T>() == 8 ? Vector256.WidenLower(mask).As<long, T>() : mask.As<int, T>();
}

/// <summary>The <see cref="ISampleLanes{T, TVector}"/> of <c>Vector128</c>.</summary>
internal readonly struct Sample128<T> : ISampleLanes<T, Vector128<T>>
    where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vector128<T> value, int lane) => value.GetElement(lane);

    public static bool CanSumFour
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) && Sse.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumFour(Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d) =>
        Pairs(Pairs(a.AsSingle(), b.AsSingle()), Pairs(c.AsSingle(), d.AsSingle()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SumRowsOfFour(Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d) =>
        SumFour(a, b, c, d).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pairs(Vector128<float> x, Vector128<float> y) =>
        Sse.Shuffle(x, y, FourSums.EvenLanes) + Sse.Shuffle(x, y, FourSums.OddLanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Tile(ref T source, int length)
    {
        // length elements (dividing the lanes) repeated across the vector, read without passing the source's end.
        int bytes = length * Unsafe.SizeOf<T>();
        ref byte start = ref Unsafe.As<T, byte>(ref source);
        return bytes switch
        {
            4 => Vector128.Create(Unsafe.ReadUnaligned<uint>(ref start)).As<uint, T>(),
            8 => Vector128.Create(Unsafe.ReadUnaligned<ulong>(ref start)).As<ulong, T>(),
            _ => Vector128.LoadUnsafe(ref source),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Spread(Vector128<T> value, int k, int first) =>
        Permute(value, (Vector128<int>.Indices >>> BitOperations.Log2((uint)k)) + Vector128.Create(first));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SumGroups(Vector128<T> value, int k)
    {
        for (int step = 1; step < k; step <<= 1)
        {
            value += Permute(value, Vector128<int>.Indices ^ Vector128.Create(step));
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Place(Vector128<T> sums, int k, int first)
    {
        var lanes = Vector128<int>.Indices;
        var gathered = Permute(sums, (lanes - Vector128.Create(first)) << BitOperations.Log2((uint)k));
        var inside = Vector128.GreaterThanOrEqual(lanes, Vector128.Create(first)) & Vector128.LessThan(lanes, Vector128.Create(first + (Vector128<T>.Count / k)));
        return Vector128.ConditionalSelect(Mask(inside), gathered, Vector128<T>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldGroups(Vector128<T> value, int k)
    {
        for (int step = k; step < Vector128<T>.Count; step <<= 1)
        {
            value += Permute(value, Vector128<int>.Indices ^ Vector128.Create(step));
        }

        return value;
    }

    /// <summary>Lane e of the result is lane <c>indices[e]</c> of <paramref name="value"/> (indices within the lanes, computed as 32-bit lane numbers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Permute(Vector128<T> value, Vector128<int> indices)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.ShuffleNative(value.As<T, float>(), indices).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector128.ShuffleNative(value.As<T, double>(), Vector128.WidenLower(indices)).As<double, T>();
        }

        throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>A lane mask computed on 32-bit lane numbers, as a mask of <typeparamref name="T"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Mask(Vector128<int> mask) =>
        Unsafe.SizeOf<T>() == 8 ? Vector128.WidenLower(mask).As<long, T>() : mask.As<int, T>();
}
