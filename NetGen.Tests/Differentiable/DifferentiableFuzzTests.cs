using System.Globalization;
using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;
using NetGen.Tests.Robustness;
using Xunit.Abstractions;

namespace NetGen.Tests.Differentiable;

/// <summary>
/// Generator robustness for [Differentiable]: random valid methods, the same methods with one construct outside
/// the subset, and every prefix of a file of them (code being typed). Properties: the generator never throws; a
/// valid method gets its companion and no diagnostic; a mutated one gets the NG diagnostic of its mutation and no
/// companion; no generated file ever has an error or warning of its own. Seeded; a failure prints the source.
/// </summary>
public class DifferentiableFuzzTests(ITestOutputHelper output)
{
    private const ulong BaseSeed = 0xF022_D1FF_2026_1203;
    private const int RandomCases = 600;
    private const int BatchSize = 100;

    /// <summary>One construct outside the subset: how to inject it into a method, and the diagnostic it must get.</summary>
    private sealed record Mutation(string Id, Func<string, string, string> Apply);

    private static readonly Mutation[] Mutations =
    [
        new("NG0055", (m, t) => m.Replace("return ", "return " + (t == "float" ? "MathF" : "Math") + ".Sin(p0) + ", StringComparison.Ordinal)),
        new("NG0054", (m, t) => m.Replace("return ", "return (p0 % " + (t == "float" ? "2f" : "2.0") + ") + ", StringComparison.Ordinal)),
        new("NG0056", (m, t) => m.Replace("return ", "return " + (t == "float" ? "MathF" : "Math") + ".Pow(p0, p0) + ", StringComparison.Ordinal)),
        new("NG0057", (m, t) => m.Replace("return ", "return Field + ", StringComparison.Ordinal)),
        new("NG0053", (m, t) => m.Replace("        return ", "        if (p0 > 0) { p0 = 1; }\n        return ", StringComparison.Ordinal)),
        new("NG0050", (m, t) => m.Replace("public static ", "public ", StringComparison.Ordinal)),
        new("NG0054", (m, t) => m.Replace("return ", "return (" + t + ")Math.Round(p0) + ", StringComparison.Ordinal)),
    ];

    [Fact]
    public void RandomValidAndMutatedMethods()
    {
        int valid = 0, mutated = 0, generated = 0, diagnostics = 0;
        var failures = new List<string>();
        for (int start = 0; start < RandomCases; start += BatchSize)
        {
            var cases = Enumerable.Range(start, BatchSize).Select(i =>
            {
                var random = new FuzzRandom(FuzzRandom.CaseSeed(BaseSeed, i));
                string type = random.Chance(0.5) ? "float" : "double";
                string method = RandomFunction.Create(random.NextUInt64(), smooth: false).Source("M", type);
                Mutation? mutation = random.Chance(0.5) ? random.Pick(Mutations) : null;
                string source = "#pragma warning disable CS1718, CS0219\nusing System;\nusing NetGen;\nnamespace Case" + i.ToString(CultureInfo.InvariantCulture)
                    + ";\npublic partial class C\n{\n    private static " + type + " Field = 1;\n" + (mutation?.Apply(method, type) ?? method) + "}\n";
                return (Index: i, Source: source, Mutation: mutation);
            }).ToList();

            var result = GeneratorHarness.Run(cases.Select(c => c.Source).ToArray());
            result.AssertNoExceptions();
            generated += result.RunResult.GeneratedTrees.Length;
            diagnostics += result.Diagnostics.Count;
            failures.AddRange(ErrorsInGeneratedFiles(result));
            for (int k = 0; k < cases.Count; k++)
            {
                var (index, source, mutation) = cases[k];
                string path = "Input" + k.ToString(CultureInfo.InvariantCulture) + ".cs";
                var ids = result.Diagnostics.Where(d => d.Location.GetLineSpan().Path == path).Select(d => d.Id).ToList();
                bool hasCompanion = result.RunResult.GeneratedTrees.Any(t => t.FilePath.Contains("Case" + index.ToString(CultureInfo.InvariantCulture) + ".C.M-", StringComparison.Ordinal));
                bool ok = mutation is null
                    ? ids.Count == 0 && hasCompanion
                    : ids.Count > 0 && ids.All(id => id == mutation.Id) && !hasCompanion;
                if (!ok)
                {
                    failures.Add($"case {index} ({mutation?.Id ?? "valid"}): diagnostics [{string.Join(", ", ids)}], companion generated: {hasCompanion}\n{source}");
                }

                if (mutation is null)
                {
                    valid++;
                }
                else
                {
                    mutated++;
                }
            }
        }

        output.WriteLine($"{valid} valid and {mutated} mutated methods: {generated} companions, {diagnostics} NG diagnostics, 0 generator exceptions, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public void EveryPrefixOfAFileBeingTyped()
    {
        var random = new FuzzRandom(BaseSeed ^ 0xC07);
        string text = "using System;\nusing NetGen;\nnamespace Typed;\npublic static partial class C\n{\n"
            + RandomFunction.Create(random.NextUInt64(), smooth: false).Source("A", "double")
            + RandomFunction.Create(random.NextUInt64(), smooth: false).Source("B", "float") + "}\n";
        var cuts = Enumerable.Range(0, text.Length + 1).ToList();
        int generated = 0, diagnostics = 0;
        var failures = new List<string>();
        for (int start = 0; start < cuts.Count; start += BatchSize)
        {
            // One namespace per cut, so the cuts can share one compilation.
            var sources = cuts.Skip(start).Take(BatchSize)
                .Select(c => text[..c].Replace("namespace Typed;", "namespace Typed" + c.ToString(CultureInfo.InvariantCulture) + ";", StringComparison.Ordinal))
                .ToArray();
            var result = GeneratorHarness.Run(sources);
            result.AssertNoExceptions();
            generated += result.RunResult.GeneratedTrees.Length;
            diagnostics += result.Diagnostics.Count;
            failures.AddRange(ErrorsInGeneratedFiles(result));
            failures.AddRange(result.Diagnostics.Where(d => !d.Id.StartsWith("NG005", StringComparison.Ordinal)).Select(d => "unexpected " + d));
        }

        output.WriteLine($"{cuts.Count} prefixes: {generated} companions, {diagnostics} NG diagnostics, 0 generator exceptions, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)) + "\n\n" + text);
        Assert.True(generated > 0);
    }

    private static IEnumerable<string> ErrorsInGeneratedFiles(GenerationResult result)
    {
        var generatedTrees = result.RunResult.GeneratedTrees.ToHashSet();
        return result.Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .Select(d => "in generated code: " + d + "\n" + d.Location.SourceTree!.ToString());
    }
}
