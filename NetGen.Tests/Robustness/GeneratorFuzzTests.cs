using System.Globalization;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetGen.Tests.Robustness;

/// <summary>
/// Generator robustness: thousands of random and malformed network descriptions through the
/// generator in-process, about a third of them with graph attributes ([Input], [LayerNorm], [Add],
/// [Concat], [Multiply], Name, From) drawn valid and then mutated like the chains (sizes, enums, type
/// shapes, identifiers, dropout, cuts), so the declaration and argument mistakes meet DAG networks too;
/// the mistakes in the graph attributes themselves are <see cref="GraphFuzzTests"/>' part. Properties: (1) the generator never throws (no exception in the run
/// result, no CS8785); (2) every description that is invalid by docs/diagnostics.md gets at least
/// one NG diagnostic, all of them expected ones, and no generated file; (3) every valid one gets
/// its generated file and no warning or error. Cases are seeded: set NETGEN_FUZZ_SEED to explore
/// other seeds; a failure prints the case's seed and its exact source.
/// </summary>
public class GeneratorFuzzTests(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 0x4E657447656E2026;
    private const int RandomCases = 7000;
    private const int CutBases = 6;
    private const int BatchSize = 160;

    private static readonly Lazy<bool> DropoutSupported = new(ProbeDropout);

    private static ulong BaseSeed =>
        Environment.GetEnvironmentVariable("NETGEN_FUZZ_SEED") is { Length: > 0 } text
            ? ulong.Parse(text.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : DefaultSeed;

    [Fact]
    public void RandomAndMalformedDescriptions()
    {
        bool dropout = DropoutSupported.Value;
        var cases = Enumerable.Range(0, RandomCases).Select(i => FuzzCases.Random(FuzzRandom.CaseSeed(BaseSeed, i), dropout)).ToList();
        var stats = PropertyCheck.Run(cases, BatchSize);
        output.WriteLine($"base seed 0x{BaseSeed:X16}; dropout supported by the generator: {dropout}");
        output.WriteLine(stats.Summary());
        var graphs = cases.Where(c => FuzzCases.UsesGraphAttributes(c.Description)).ToList();
        output.WriteLine($"with graph attributes: {graphs.Count} ({string.Join(", ", graphs.GroupBy(c => c.Expectation.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}); "
            + string.Join(", ", new[] { typeof(InputAttr), typeof(LayerNormAttr), typeof(MergeAttr) }.Select(t => $"{graphs.Count(c => c.Description.Attributes.Any(a => a.GetType() == t))} with {t.Name}")));
        PropertyCheck.AssertNoFailures(stats);
        Assert.True(stats.Cases >= RandomCases);

        // The chain's mutations meet the graph attributes: valid ones, and invalid ones of every category.
        Assert.True(graphs.Count(c => c.Expectation.Outcome == Outcome.Valid) >= 100, "too few valid graph descriptions");
        foreach (string category in FuzzCases.Categories)
        {
            Assert.Contains(graphs, c => c.Category == category);
        }

        // The wiring diagnostics those mutations lead to (the oracle's own rules, checked against the generator above):
        // sizes that no longer match at a merge, a dropout that leaves a layer unread, Inputs beside [Input]s.
        var wiring = graphs.SelectMany(c => c.Expectation.Definite).Where(id => string.CompareOrdinal(id, "NG0020") >= 0)
            .GroupBy(id => id).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("wiring diagnostics expected in them: " + string.Join(", ", wiring.Select(w => $"{w.Key} {w.Value}")));
        foreach (string id in new[] { "NG0022", "NG0023", "NG0027", "NG0028", "NG0030" })
        {
            Assert.True(wiring.ContainsKey(id), id + " is never expected");
        }
    }

    [Fact]
    public void EveryPrefixAndEveryHalfTypedAttributeList()
    {
        bool dropout = DropoutSupported.Value;
        var cases = new List<FuzzCase>();
        for (int b = 0; b < CutBases; b++)
        {
            ulong seed = FuzzRandom.CaseSeed(BaseSeed ^ 0xC07, b);
            var rendered = FuzzCases.CutBase(seed).Render(0);
            for (int length = 0; length <= rendered.Text.Length; length++)
            {
                cases.Add(FuzzCases.Prefix(seed, length, dropout));
            }

            for (int length = 0; length <= rendered.RegionEnd - rendered.RegionStart; length++)
            {
                cases.Add(FuzzCases.HalfTyped(seed, length, dropout));
            }
        }

        var stats = PropertyCheck.Run(cases, BatchSize);
        output.WriteLine($"base seed 0x{BaseSeed:X16}; dropout supported by the generator: {dropout}");
        output.WriteLine(stats.Summary());
        output.WriteLine($"cuts of descriptions with graph attributes: {cases.Count(c => FuzzCases.UsesGraphAttributes(c.Description))}");
        PropertyCheck.AssertNoFailures(stats);
        Assert.Contains(cases, c => FuzzCases.UsesGraphAttributes(c.Description));
    }

    [Fact]
    public void TheCaseGeneratorIsDeterministic()
    {
        for (int i = 0; i < 50; i++)
        {
            ulong seed = FuzzRandom.CaseSeed(BaseSeed, i);
            Assert.Equal(FuzzCases.Random(seed, true).Source(3), FuzzCases.Random(seed, true).Source(3));
        }
    }

    /// <summary>Whether the generator reads [Dropout] yet: an out-of-range rate gets a diagnostic only if it does.</summary>
    private static bool ProbeDropout()
    {
        var result = GeneratorHarness.Run("""
            using NetGen;
            namespace Probe;
            [Network(Inputs = 2)]
            [Dense(2, Activation.Tanh)]
            [Dropout(1.5)]
            [Dense(1)]
            public partial class Net;
            """);
        result.AssertNoExceptions();
        return result.Diagnostics.Any(d => d.Id.StartsWith("NG", StringComparison.Ordinal));
    }
}
