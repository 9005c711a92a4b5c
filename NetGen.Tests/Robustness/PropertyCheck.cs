using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Robustness;

/// <summary>Counts of one fuzz run, for the test output.</summary>
internal sealed class FuzzStats
{
    public SortedDictionary<string, int> ByCategory { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> ByOutcome { get; } = new(StringComparer.Ordinal);
    public int Cases { get; set; }
    public int Compilations { get; set; }
    public int GeneratedFiles { get; set; }
    public int NgDiagnostics { get; set; }
    public int Exceptions { get; set; }
    public List<string> Failures { get; } = [];
    public Stopwatch Time { get; } = new();

    public string Summary() =>
        $"{Cases} descriptions in {Compilations} compilations, {Time.Elapsed.TotalSeconds:F1} s; {GeneratedFiles} files generated, "
        + $"{NgDiagnostics} NG diagnostics, {Exceptions} generator exceptions, {Failures.Count} failures\n"
        + "by category: " + string.Join(", ", ByCategory.Select(p => $"{p.Key} {p.Value}")) + "\n"
        + "by expected outcome: " + string.Join(", ", ByOutcome.Select(p => $"{p.Key} {p.Value}"));
}

/// <summary>
/// A tiny property checker for the generator: runs seeded cases through the generator in
/// batches (one compilation, one syntax tree per case), checks the properties of each, and on a
/// failure reports the case (category, seed, cut) and the exact source that failed.
/// </summary>
internal static class PropertyCheck
{
    private const int MaxReported = 8;

    public static FuzzStats Run(IReadOnlyList<FuzzCase> cases, int batchSize)
    {
        var stats = new FuzzStats();
        stats.Time.Start();
        for (int start = 0; start < cases.Count; start += batchSize)
        {
            CheckBatch(cases.Skip(start).Take(batchSize).ToList(), stats);
        }

        stats.Time.Stop();
        return stats;
    }

    /// <summary>Fails the test with the first failures (seed and source each) when there are any.</summary>
    public static void AssertNoFailures(FuzzStats stats)
    {
        if (stats.Failures.Count == 0)
        {
            return;
        }

        var byReason = stats.Failures.GroupBy(f => f[..f.IndexOf('\n', StringComparison.Ordinal)].Split(": ", 2)[^1].Split(';')[0])
            .Select(g => $"{g.Count()} x {g.Key}");
        throw new Xunit.Sdk.XunitException(
            $"{stats.Failures.Count} of {stats.Cases} fuzz cases failed ({stats.Summary()}).\nKinds:\n  " + string.Join("\n  ", byReason.Take(20))
            + "\n\nFirst failures:\n\n" + string.Join("\n\n", stats.Failures.Take(MaxReported)));
    }

    private static void CheckBatch(List<FuzzCase> batch, FuzzStats stats)
    {
        stats.Compilations++;
        stats.Cases += batch.Count;
        foreach (var c in batch)
        {
            stats.ByCategory[c.Category] = stats.ByCategory.GetValueOrDefault(c.Category) + 1;
            stats.ByOutcome[c.Expectation.Outcome.ToString()] = stats.ByOutcome.GetValueOrDefault(c.Expectation.Outcome.ToString()) + 1;
        }

        // Each case keeps the id its names were rendered with; its file is Input{position}.cs.
        var entries = batch.Select((c, i) => (Case: c, Id: i, Source: c.Source(i))).ToList();
        var run = Execute(entries.Select(e => e.Source).ToArray());
        if (run.Crash is not null)
        {
            // Property 1 failed somewhere in the batch: bisect to the cases that make the generator throw
            // on their own, report them, and check the rest of the batch without them.
            var crashing = new List<int>();
            FindCrashes(entries.Select(e => e.Source).ToList(), Enumerable.Range(0, entries.Count).ToList(), crashing);
            stats.Exceptions += crashing.Count;
            foreach (int i in crashing)
            {
                var single = Execute([entries[i].Source]);
                stats.Failures.Add(Describe(entries[i].Case, entries[i].Source, "the generator threw; " + single.Crash, [], []));
            }

            if (crashing.Count == 0)
            {
                stats.Failures.Add($"batch of {batch.Count} starting with {batch[0]}: the generator threw only on the whole batch; {run.Crash}");
                return;
            }

            entries = entries.Where((_, i) => !crashing.Contains(i)).ToList();
            run = Execute(entries.Select(e => e.Source).ToArray());
            if (run.Crash is not null)
            {
                stats.Failures.Add($"batch starting with {batch[0]}: the generator still threw without the crashing cases; {run.Crash}");
                return;
            }
        }

        stats.GeneratedFiles += run.Generated.Count;
        stats.NgDiagnostics += run.Ng.Count;
        var ngByPath = run.Ng.ToLookup(d => d.Location.GetLineSpan().Path);
        var compilerByPath = run.Compiler.ToLookup(d => d.Location.GetLineSpan().Path);
        foreach (var d in run.Ng.Where(d => !d.Location.GetLineSpan().Path.StartsWith("Input", StringComparison.Ordinal)))
        {
            stats.Failures.Add($"batch starting with {batch[0]}: NG diagnostic outside the input files: {d}");
        }

        for (int i = 0; i < entries.Count; i++)
        {
            var (c, id, source) = entries[i];
            string path = $"Input{i}.cs";
            var ng = ngByPath[path].ToList();
            var compiler = compilerByPath[path].ToList();
            string token = c.Description.Token(id);
            var generated = run.Generated.Where(g => g.Hint.Contains(token, StringComparison.Ordinal)).ToList();
            var generatedProblems = generated.SelectMany(g => compilerByPath[g.Path]).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            string? problem = Check(c, id, ng, compiler, generated, generatedProblems);
            if (problem is not null)
            {
                stats.Failures.Add(Describe(c, source, problem, ng, compiler.Concat(generatedProblems)));
            }
        }

        // Generated code never has warnings or errors of its own, whoever's file it comes from.
        foreach (var g in run.Generated)
        {
            if (entries.Any(e => g.Hint.Contains(e.Case.Description.Token(e.Id), StringComparison.Ordinal)))
            {
                continue; // checked with its case
            }

            var problems = compilerByPath[g.Path].Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (problems.Count > 0)
            {
                stats.Failures.Add($"generated file {g.Hint} (batch starting with {batch[0]}): generated code has diagnostics; " + string.Join("; ", problems.Take(5)));
            }
        }
    }

    private static string? Check(FuzzCase c, int id, List<Diagnostic> ng, List<Diagnostic> compiler, List<GeneratedFile> generated, List<Diagnostic> generatedProblems)
    {
        var e = c.Expectation;
        var ids = ng.Select(d => d.Id).ToHashSet();
        var ownWarnings = compiler.Where(d => d.Severity >= DiagnosticSeverity.Warning && !c.Description.AllowedCompilerWarnings.Contains(d.Id)).ToList();
        if (e.Outcome is not (Outcome.CompilerError or Outcome.NoExceptionOnly) && generatedProblems.Count > 0)
        {
            return "generated code does not compile cleanly";
        }

        switch (e.Outcome)
        {
            case Outcome.Valid:
                if (ng.Count > 0) return "valid description got NG diagnostics";
                string hint = c.Description.HintName(id);
                if (!generated.Any(g => g.Hint == hint)) return $"valid description generated no file {hint}; generated: [{string.Join(", ", generated.Select(g => g.Hint))}]";
                if (ownWarnings.Count > 0) return "valid description: the compilation has warnings or errors";
                return null;
            case Outcome.Invalid:
                if (ng.Count == 0) return $"invalid description got no NG diagnostic; expected one of {Join(e.Definite)}";
                if (!ids.IsSubsetOf(e.Definite.Concat(e.Possible))) return $"unexpected NG diagnostic; expected {Join(e.Definite)} (maybe {Join(e.Possible)}), got {Join(ids)}";
                if (!ids.Overlaps(e.Definite)) return $"none of the expected NG diagnostics; expected one of {Join(e.Definite)}, got {Join(ids)}";
                if (generated.Count > 0) return "invalid description generated a file";
                return null;
            case Outcome.Nothing:
                if (!ids.IsSubsetOf(e.Possible)) return $"unexpected NG diagnostic on a class without a network; got {Join(ids)}";
                if (generated.Count > 0) return "a class without [Network] generated a file";
                if (ownWarnings.Count > 0) return "a plain class got compiler warnings or errors";
                return null;
            case Outcome.CompilerError:
                return compiler.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : "no compiler error (expected CS0592 or CS0579)";
            case Outcome.Broken:
                if (!ids.IsSubsetOf(e.Possible)) return $"unexpected NG diagnostic on a cut description; allowed {Join(e.Possible)}, got {Join(ids)}";
                if (c.Cut == CutKind.HalfTyped && !compiler.Any(d => d.Severity == DiagnosticSeverity.Error)) return "half-typed attribute list without a compiler error";
                return null;
            default:
                return null;
        }
    }

    private static void FindCrashes(List<string> sources, List<int> indices, List<int> crashing)
    {
        if (Execute(indices.Select(i => sources[i]).ToArray()).Crash is null)
        {
            return;
        }

        if (indices.Count == 1)
        {
            crashing.Add(indices[0]);
            return;
        }

        int half = indices.Count / 2;
        FindCrashes(sources, indices.Take(half).ToList(), crashing);
        FindCrashes(sources, indices.Skip(half).ToList(), crashing);
    }

    private static string Join(IEnumerable<string> ids) => "{" + string.Join(", ", ids.Order(StringComparer.Ordinal)) + "}";

    private static string Describe(FuzzCase c, string source, string problem, IEnumerable<Diagnostic> ng, IEnumerable<Diagnostic> compiler)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[{c}] expected {c.Expectation.Outcome} {Join(c.Expectation.Definite)}: {problem}\n");
        foreach (var d in ng.Concat(compiler.Take(6)))
        {
            sb.Append("  ").Append(d.ToString()).Append('\n');
        }

        sb.Append("--- source ---\n").Append(source).Append("--- end ---");
        return sb.ToString();
    }

    private sealed record GeneratedFile(string Hint, string Path);

    private sealed record RunOutcome(string? Crash, List<Diagnostic> Ng, List<Diagnostic> Compiler, List<GeneratedFile> Generated);

    private static RunOutcome Execute(string[] sources)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        // The network generator's own result; the [Differentiable] generator has nothing to do in these sources.
        var result = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(NetGen.Generator.NetworkGenerator));
        var cs8785 = driverDiagnostics.Concat(result.Diagnostics).FirstOrDefault(d => d.Id == "CS8785");
        if (result.Exception is not null || cs8785 is not null)
        {
            return new RunOutcome(result.Exception?.ToString() ?? cs8785!.ToString(), [], [], []);
        }

        var generated = result.GeneratedSources.Select(s => new GeneratedFile(s.HintName, s.SyntaxTree.FilePath)).ToList();
        return new RunOutcome(null, result.Diagnostics.ToList(), output.GetDiagnostics().ToList(), generated);
    }
}
