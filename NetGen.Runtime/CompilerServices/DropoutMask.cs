using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// Dropout masks as a pure function of (seed, sample, layer, unit): generated code and the dynamic
/// graph draw identical masks without sharing any state, so the masks do not depend on which
/// thread processes which sample, and a gradient check can replay them exactly.
/// </summary>
/// <remarks>
/// The hash is counter-based (a mixed key through the SplitMix64 finalizer), so a whole row of units is drawn at once
/// with vectors (<see cref="Apply{T}(ulong, int, int, ReadOnlySpan{T}, Span{T}, Span{T}, ulong, T)"/>): the key of unit u + 1 is the key of unit u plus a constant, and each lane
/// finalizes its own key. The vector and the one-unit forms give the same bits (integer arithmetic throughout).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DropoutMask
{
    // The key's multipliers for the sample, the layer and the unit, and the finalizer's two multipliers.
    private const ulong SampleMultiplier = 0x9E3779B97F4A7C15UL;
    private const ulong LayerMultiplier = 0xC2B2AE3D27D4EB4FUL;
    private const ulong UnitMultiplier = 0x165667B19E3779F9UL;
    private const ulong FirstMix = 0xBF58476D1CE4E5B9UL;
    private const ulong SecondMix = 0x94D049BB133111EBUL;

    /// <summary>
    /// The keep threshold for <paramref name="rate"/>: a unit is kept when its 32-bit hash is below it
    /// (2^32 for rate 0, so every unit is kept).
    /// </summary>
    public static ulong KeepThreshold(double rate)
    {
        if (!Shared.DropoutRule.IsValidRate(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate must be in [0, 1).");
        }

        // The rule the generator also uses for the constants it writes into generated code.
        return Shared.DropoutRule.KeepThreshold(rate);
    }

    /// <summary>
    /// True when unit <paramref name="unit"/> of dropout layer <paramref name="layer"/> is kept for
    /// sample <paramref name="sample"/> (its index within the whole minibatch) under <paramref name="seed"/>.
    /// </summary>
    public static bool IsKept(ulong seed, int sample, int layer, int unit, ulong keepThreshold) =>
        Hash(seed, sample, layer, unit) < keepThreshold;

    /// <summary>A 32-bit hash of the coordinates (SplitMix64 finalizer over a mixed key).</summary>
    public static uint Hash(ulong seed, int sample, int layer, int unit) =>
        Finalize(RowKey(seed, sample, layer) + ((ulong)(uint)unit * UnitMultiplier));

    /// <summary>
    /// Inverted dropout of one sample's row of units, masks drawn in bulk: <c>mask[u]</c> = <paramref name="scale"/> when
    /// <see cref="IsKept"/>(<paramref name="seed"/>, <paramref name="sample"/>, <paramref name="layer"/>, u,
    /// <paramref name="keepThreshold"/>), else 0, and <c>output[u] = input[u] * mask[u]</c>, for every unit u of the row.
    /// The same bits as that loop one unit at a time, at every vector width.
    /// </summary>
    /// <param name="seed">The minibatch's dropout seed.</param>
    /// <param name="sample">The sample's index within the whole minibatch.</param>
    /// <param name="layer">The dropout layer's index (its key).</param>
    /// <param name="input">The row's values before dropout.</param>
    /// <param name="mask">Receives the mask; as long as <paramref name="input"/>.</param>
    /// <param name="output">Receives the values after dropout; as long as <paramref name="input"/> (it may be <paramref name="input"/> itself).</param>
    /// <param name="keepThreshold">From <see cref="KeepThreshold"/>.</param>
    /// <param name="scale">The value of a kept unit's mask, 1 / (1 - rate).</param>
    public static void Apply<T>(ulong seed, int sample, int layer, ReadOnlySpan<T> input, Span<T> mask, Span<T> output, ulong keepThreshold, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Apply(VectorWidth.Bits, seed, sample, layer, input, mask, output, keepThreshold, scale);

    /// <summary><see cref="Apply{T}(ulong, int, int, ReadOnlySpan{T}, Span{T}, Span{T}, ulong, T)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    internal static void Apply<T>(int vectorBits, ulong seed, int sample, int layer, ReadOnlySpan<T> input, Span<T> mask, Span<T> output, ulong keepThreshold, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (mask.Length != input.Length)
        {
            throw new ArgumentException($"'mask' has {mask.Length} values; 'input' has {input.Length}.", nameof(mask));
        }

        if (output.Length != input.Length)
        {
            throw new ArgumentException($"'output' has {output.Length} values; 'input' has {input.Length}.", nameof(output));
        }

        ulong rowKey = RowKey(seed, sample, layer);
        int done = 0;
        if (keepThreshold <= uint.MaxValue && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            // Every hash is below 2^32, so a threshold of 2^32 or more keeps every unit: the scalar loop below does that.
            done = vectorBits switch
            {
                512 when Vector512.IsHardwareAccelerated => Apply512(rowKey, input, mask, output, (uint)keepThreshold, scale),
                256 or 512 when Vector256.IsHardwareAccelerated => Apply256(rowKey, input, mask, output, (uint)keepThreshold, scale),
                _ => 0,
            };
        }

        for (int u = done; u < input.Length; u++)
        {
            T m = Finalize(rowKey + ((ulong)(uint)u * UnitMultiplier)) < keepThreshold ? scale : T.Zero;
            mask[u] = m;
            output[u] = input[u] * m;
        }
    }

    /// <summary>The key of unit 0 of a row; unit u's key is this plus u times <see cref="UnitMultiplier"/> (mod 2^64).</summary>
    private static ulong RowKey(ulong seed, int sample, int layer) =>
        seed + ((ulong)(uint)sample * SampleMultiplier) + ((ulong)(uint)layer * LayerMultiplier);

    /// <summary>The SplitMix64 finalizer's upper 32 bits.</summary>
    private static uint Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * FirstMix;
        z = (z ^ (z >> 27)) * SecondMix;
        z ^= z >> 31;
        return (uint)(z >> 32);
    }

    /// <summary><see cref="Finalize(ulong)"/> of every lane, in the lane's upper 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Finalize(Vector512<ulong> z)
    {
        z = (z ^ (z >>> 30)) * FirstMix;
        z = (z ^ (z >>> 27)) * SecondMix;
        return z ^ (z >>> 31);
    }

    /// <summary><see cref="Finalize(ulong)"/> of every lane, in the lane's upper 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Finalize(Vector256<ulong> z)
    {
        z = (z ^ (z >>> 30)) * FirstMix;
        z = (z ^ (z >>> 27)) * SecondMix;
        return z ^ (z >>> 31);
    }

    /// <summary>
    /// The whole vectors of the row with 512-bit vectors: 16 units a step for float (two vectors of keys, their hashes
    /// narrowed to one vector of 32-bit lanes), 8 for double. Returns how many units it did.
    /// </summary>
    private static int Apply512<T>(ulong rowKey, ReadOnlySpan<T> input, Span<T> mask, Span<T> output, uint keepThreshold, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T m = ref MemoryMarshal.GetReference(mask);
        ref T y = ref MemoryMarshal.GetReference(output);
        var keys = Vector512.Create(rowKey) + (Vector512<ulong>.Indices * UnitMultiplier);
        int step = Vector512<T>.Count;
        int u = 0;
        if (typeof(T) == typeof(float))
        {
            var next = Vector512.Create(unchecked(8 * UnitMultiplier));
            var threshold = Vector512.Create(keepThreshold);
            var kept = Vector512.Create(float.CreateTruncating(scale));
            for (; u <= input.Length - step; u += step)
            {
                var low = Finalize(keys) >>> 32;
                keys += next;
                var high = Finalize(keys) >>> 32;
                keys += next;
                var values = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Narrow(low, high), threshold).AsSingle(), kept, Vector512<float>.Zero);
                values.As<float, T>().StoreUnsafe(ref m, (nuint)u);
                (Vector512.LoadUnsafe(ref x, (nuint)u) * values.As<float, T>()).StoreUnsafe(ref y, (nuint)u);
            }
        }
        else
        {
            var next = Vector512.Create(unchecked(8 * UnitMultiplier));
            var threshold = Vector512.Create((ulong)keepThreshold);
            var kept = Vector512.Create(double.CreateTruncating(scale));
            for (; u <= input.Length - step; u += step)
            {
                var hashes = Finalize(keys) >>> 32;
                keys += next;
                var values = Vector512.ConditionalSelect(Vector512.LessThan(hashes, threshold).AsDouble(), kept, Vector512<double>.Zero);
                values.As<double, T>().StoreUnsafe(ref m, (nuint)u);
                (Vector512.LoadUnsafe(ref x, (nuint)u) * values.As<double, T>()).StoreUnsafe(ref y, (nuint)u);
            }
        }

        return u;
    }

    /// <summary><see cref="Apply512{T}"/> with 256-bit vectors: 8 units a step for float, 4 for double.</summary>
    private static int Apply256<T>(ulong rowKey, ReadOnlySpan<T> input, Span<T> mask, Span<T> output, uint keepThreshold, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T m = ref MemoryMarshal.GetReference(mask);
        ref T y = ref MemoryMarshal.GetReference(output);
        var keys = Vector256.Create(rowKey) + (Vector256<ulong>.Indices * UnitMultiplier);
        int step = Vector256<T>.Count;
        int u = 0;
        if (typeof(T) == typeof(float))
        {
            var next = Vector256.Create(unchecked(4 * UnitMultiplier));
            var threshold = Vector256.Create(keepThreshold);
            var kept = Vector256.Create(float.CreateTruncating(scale));
            for (; u <= input.Length - step; u += step)
            {
                var low = Finalize(keys) >>> 32;
                keys += next;
                var high = Finalize(keys) >>> 32;
                keys += next;
                var values = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Narrow(low, high), threshold).AsSingle(), kept, Vector256<float>.Zero);
                values.As<float, T>().StoreUnsafe(ref m, (nuint)u);
                (Vector256.LoadUnsafe(ref x, (nuint)u) * values.As<float, T>()).StoreUnsafe(ref y, (nuint)u);
            }
        }
        else
        {
            var next = Vector256.Create(unchecked(4 * UnitMultiplier));
            var threshold = Vector256.Create((ulong)keepThreshold);
            var kept = Vector256.Create(double.CreateTruncating(scale));
            for (; u <= input.Length - step; u += step)
            {
                var hashes = Finalize(keys) >>> 32;
                keys += next;
                var values = Vector256.ConditionalSelect(Vector256.LessThan(hashes, threshold).AsDouble(), kept, Vector256<double>.Zero);
                values.As<double, T>().StoreUnsafe(ref m, (nuint)u);
                (Vector256.LoadUnsafe(ref x, (nuint)u) * values.As<double, T>()).StoreUnsafe(ref y, (nuint)u);
            }
        }

        return u;
    }
}
