using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>
/// Dropout masks as a pure function of (seed, sample, layer, unit): generated code and the dynamic
/// graph draw identical masks without sharing any state, so the masks do not depend on which
/// thread processes which sample, and a gradient check can replay them exactly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DropoutMask
{
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
    public static uint Hash(ulong seed, int sample, int layer, int unit)
    {
        ulong z = seed
            + ((ulong)(uint)sample * 0x9E3779B97F4A7C15UL)
            + ((ulong)(uint)layer * 0xC2B2AE3D27D4EB4FUL)
            + ((ulong)(uint)unit * 0x165667B19E3779F9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (uint)(z >> 32);
    }
}
