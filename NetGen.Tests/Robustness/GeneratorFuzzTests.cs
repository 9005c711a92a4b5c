using System.Globalization;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetGen.Tests.Robustness;

/// <summary>
/// Generator robustness: thousands of random and malformed network descriptions through the
/// generator in-process. Properties: (1) the generator never throws (no exception in the run
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
        PropertyCheck.AssertNoFailures(stats);
        Assert.True(stats.Cases >= RandomCases);
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
        PropertyCheck.AssertNoFailures(stats);
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
