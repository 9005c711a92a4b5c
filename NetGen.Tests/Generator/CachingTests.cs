using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>The incremental pipeline does no work twice: unchanged input gives cached steps.</summary>
public class CachingTests
{
    private const string Networks = """
        using NetGen;
        namespace Demo;

        [Network(Inputs = 2)]
        [Dense(2, Activation.Sigmoid)]
        [Dense(1, Activation.Sigmoid)]
        public partial class A;

        [Network(Inputs = 3, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(4, Activation.ReLU)]
        [Dense(2)]
        public partial class B;
        """;

    private static readonly string[] TrackedSteps =
        [NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.Graph, NetworkGenerator.Steps.Derive, NetworkGenerator.Steps.Plan];

    [Fact]
    public void SecondRunOnTheSameCompilationIsCachedEverywhere()
    {
        var compilation = GeneratorHarness.CreateCompilation(Networks);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.Clone());
        var steps = driver.GetRunResult().Results[0].TrackedSteps;
        foreach (var name in TrackedSteps)
        {
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        }
    }

    [Fact]
    public void UnrelatedEditDoesNotRegenerate()
    {
        var compilation = GeneratorHarness.CreateCompilation(Networks, "namespace Demo; public class Other { }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("namespace Demo; // a comment\npublic class Other { public int X; }", GeneratorHarness.ParseOptions, path: "Input1.cs"));
        driver = driver.RunGenerators(edited);
        var steps = driver.GetRunResult().Results[0].TrackedSteps;
        foreach (var name in new[] { NetworkGenerator.Steps.Graph, NetworkGenerator.Steps.Derive })
        {
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        }
    }

    [Fact]
    public void ChangingOneNetworkRegeneratesOnlyThatNetwork()
    {
        var compilation = GeneratorHarness.CreateCompilation(Networks);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var changed = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Networks.Replace("[Dense(4, Activation.ReLU)]", "[Dense(5, Activation.ReLU)]", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Input0.cs"));
        driver = driver.RunGenerators(changed);
        var outputs = driver.GetRunResult().Results[0].TrackedSteps[NetworkGenerator.Steps.Derive].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Equal(1, outputs.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, outputs.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void MovingTheNetworksRederivesWithoutReplanning()
    {
        // The graph stage passes the [Network] attribute's location beside the graph, for the derive stage's NG0018 and
        // NG0019; the model the derive stage returns holds no location, so moving the attributes stops there.
        var compilation = GeneratorHarness.CreateCompilation(Networks);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var moved = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Networks.Replace("namespace Demo;", "namespace Demo;\n\n// moved down", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Input0.cs"));
        driver = driver.RunGenerators(moved);
        var steps = driver.GetRunResult().Results[0].TrackedSteps;
        var graphs = steps[NetworkGenerator.Steps.Graph].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, graphs.Count);
        Assert.All(graphs, o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        var models = steps[NetworkGenerator.Steps.Derive].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, models.Count);
        Assert.All(models, o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(steps[NetworkGenerator.Steps.Plan].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"plan: {o.Reason}"));
    }

    [Fact]
    public void ChangingTheUnrollThresholdReplansWithoutRederiving()
    {
        var compilation = GeneratorHarness.CreateCompilation(Networks);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.WithUpdatedAnalyzerConfigOptions(new BuildProperties("build_property.NetGenUnrollThreshold", "1")).RunGenerators(compilation);
        var steps = driver.GetRunResult().Results[0].TrackedSteps;
        foreach (var name in new[] { NetworkGenerator.Steps.Parse, NetworkGenerator.Steps.Graph, NetworkGenerator.Steps.Derive })
        {
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        }

        // Both networks were unrolled under the default threshold (64) and are batched under 1.
        var plans = steps[NetworkGenerator.Steps.Plan].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, plans.Count);
        Assert.All(plans, o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
    }

    [Fact]
    public void PipelineModelsHoldNoRoslynObjects()
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(Networks));
        var steps = driver.GetRunResult().Results[0].TrackedSteps;
        foreach (var name in TrackedSteps)
        {
            foreach (var output in steps[name].SelectMany(s => s.Outputs))
            {
                ObjectGraph.AssertNoRoslynObjects(output.Value, name);
            }
        }
    }

    /// <summary>MSBuild properties as the generator sees them (<c>build_property.*</c> global options).</summary>
    private sealed class BuildProperties(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(key, value);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(string.Empty, string.Empty);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(string.Empty, string.Empty);

        private sealed class Options(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public override bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? result)
            {
                result = name == key ? value : null;
                return result is not null;
            }
        }
    }
}
