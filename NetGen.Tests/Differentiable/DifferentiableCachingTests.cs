using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Differentiable;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Differentiable;

/// <summary>The [Differentiable] pipeline does no work twice, and its models hold no Roslyn objects.</summary>
public class DifferentiableCachingTests
{
    private const string Functions = """
        using System;
        using NetGen;
        namespace Demo;

        public static partial class Functions
        {
            [Differentiable]
            public static double F(double x, double y, double z) => x * (y * y + z);

            [Differentiable]
            public static float G(float a, float b) => MathF.Max(a, b) * MathF.Exp(a);
        }
        """;

    private static readonly string[] TrackedSteps = [DifferentiableGenerator.Steps.Parse, DifferentiableGenerator.Steps.Derive];

    [Fact]
    public void SecondRunOnTheSameCompilationIsCachedEverywhere()
    {
        var compilation = GeneratorHarness.CreateCompilation(Functions);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.Clone());
        var steps = StepsOf(driver);
        foreach (var name in TrackedSteps)
        {
            Assert.NotEmpty(steps[name]);
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        }
    }

    [Fact]
    public void UnrelatedEditDoesNotRederive()
    {
        var compilation = GeneratorHarness.CreateCompilation(Functions, "namespace Demo; public class Other { }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("namespace Demo; // a comment\npublic class Other { public int X; }", GeneratorHarness.ParseOptions, path: "Input1.cs"));
        driver = driver.RunGenerators(edited);
        Assert.All(StepsOf(driver)[DifferentiableGenerator.Steps.Derive].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void ChangingOneMethodRederivesOnlyThatMethod()
    {
        var compilation = GeneratorHarness.CreateCompilation(Functions);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var changed = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Functions.Replace("y * y + z", "y * y - z", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Input0.cs"));
        driver = driver.RunGenerators(changed);
        var outputs = StepsOf(driver)[DifferentiableGenerator.Steps.Derive].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Equal(1, outputs.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, outputs.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void PipelineModelsHoldNoRoslynObjects()
    {
        var steps = StepsOf(GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(Functions)));
        foreach (var name in TrackedSteps)
        {
            foreach (var output in steps[name].SelectMany(s => s.Outputs))
            {
                ObjectGraph.AssertNoRoslynObjects(output.Value, name);
            }
        }
    }

    private static IReadOnlyDictionary<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> StepsOf(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DifferentiableGenerator)).TrackedSteps;
}
