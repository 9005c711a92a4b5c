namespace NetGen.Benchmarks;

/// <summary>
/// `compare --rounds N`: every measurement repeated N times, interleaved with the peers', and the table built from
/// medians. The host's slow stretches last seconds to minutes, so a single pass can catch one side of a ratio in one;
/// rounds spread each side over the whole run.
/// </summary>
internal static class CompareRounds
{
    /// <summary>
    /// Reads `--rounds N` from <paramref name="args"/>: 1 when it is absent; false with <paramref name="error"/> saying
    /// what was wrong when its value is missing or not a whole number of at least 1.
    /// </summary>
    public static bool TryParse(string[] args, out int rounds, out string error) =>
        BenchmarkOptions.TryWholeNumber(args, "--rounds", "rounds", fallback: 1, minimum: 1, out rounds, out error);

    /// <summary>
    /// Each key's median over the rounds that measured it (the mean of the middle two for an even count), keys in the
    /// order they were first measured. A key some rounds lack (a peer that failed once) takes the others' median.
    /// </summary>
    public static Dictionary<TKey, double> Medians<TKey>(IEnumerable<Dictionary<TKey, double>> rounds)
        where TKey : notnull
    {
        var all = rounds.ToList();
        var result = new Dictionary<TKey, double>();
        foreach (var key in all.SelectMany(r => r.Keys).Distinct())
        {
            double[] values = all.Where(r => r.ContainsKey(key)).Select(r => r[key]).Order().ToArray();
            int middle = values.Length / 2;
            result[key] = values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        }

        return result;
    }
}
