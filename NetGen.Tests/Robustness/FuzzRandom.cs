namespace NetGen.Tests.Robustness;

/// <summary>
/// A tiny seeded random source (SplitMix64) for the generator fuzz tests: the same seed gives the
/// same case on every machine and runtime, so a failing seed reproduces exactly.
/// </summary>
internal sealed class FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Range(int min, int max) => min + Next(max - min + 1);

    public bool Chance(double probability) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>The seed of case <paramref name="index"/> of a run started from <paramref name="baseSeed"/>.</summary>
    public static ulong CaseSeed(ulong baseSeed, int index) => new FuzzRandom(baseSeed ^ ((ulong)index * 0xD1B54A32D192ED03UL)).NextUInt64();
}
