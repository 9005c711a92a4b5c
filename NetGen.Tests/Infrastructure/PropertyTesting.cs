namespace NetGen.Tests.Infrastructure;

/// <summary>
/// A small seeded property-testing helper: draws random cases from a <see cref="DeterministicRandom"/> (the same
/// seed gives the same cases on every machine), checks a property on each, and on failure reports every failing
/// case with its index and the seed that reproduces it. (No shrinking: cases are generated small-first enough to read.)
/// </summary>
internal static class PropertyTesting
{
    /// <summary>Draws <paramref name="count"/> cases; case i comes from its own stream, seeded by (<paramref name="seed"/>, i).</summary>
    public static IReadOnlyList<PropertyCase<TCase>> Sample<TCase>(int count, int seed, Func<CaseGenerator, TCase> generate)
    {
        var cases = new List<PropertyCase<TCase>>(count);
        for (int i = 0; i < count; i++)
        {
            long caseSeed = ((long)seed << 20) + i;
            cases.Add(new PropertyCase<TCase>(i, caseSeed, generate(new CaseGenerator(i, caseSeed))));
        }

        return cases;
    }

    /// <summary>Checks <paramref name="property"/> on every case; throws one exception listing all failures.</summary>
    public static void CheckAll<TCase>(IEnumerable<PropertyCase<TCase>> cases, Action<TCase> property)
    {
        var failures = new List<string>();
        foreach (var c in cases)
        {
            try
            {
                property(c.Value);
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or ArgumentException or InvalidOperationException)
            {
                failures.Add($"case {c.Index} (seed {c.Seed}): {c.Value}\n    {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{failures.Count} case(s) failed:\n" + string.Join("\n", failures.Take(10)));
        }
    }
}

/// <summary>One generated case, with what is needed to reproduce it.</summary>
internal sealed record PropertyCase<TCase>(int Index, long Seed, TCase Value);

/// <summary>The random source a case is drawn from.</summary>
internal sealed class CaseGenerator(int index, long seed)
{
    private readonly DeterministicRandom _random = new(seed);

    /// <summary>The index of the case being drawn.</summary>
    public int Index => index;

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(int min, int max) => min + _random.NextInt32(max - min + 1);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>One of <paramref name="choices"/>, uniformly.</summary>
    public TItem OneOf<TItem>(params TItem[] choices) => choices[_random.NextInt32(choices.Length)];

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Double(double low, double high) => _random.NextDouble(low, high);
}
