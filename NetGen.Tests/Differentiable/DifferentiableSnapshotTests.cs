using NetGen.Generator.Differentiable;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Differentiable;

/// <summary>The generated companions of representative [Differentiable] methods, compared with committed snapshots.</summary>
public class DifferentiableSnapshotTests
{
    [Fact]
    public void LectureNotesExample() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        public static partial class Notes
        {
            [Differentiable]
            public static double F(double x, double y, double z) => x * (y * y + z);
        }
        """, "Notes.F-3d.Gradient.g.cs"), "Notes.F");

    [Fact]
    public void EveryConstructInSinglePrecisionInANestedType() => Snapshot.Match(Generate("""
        using System;
        using NetGen;

        namespace Demo;

        public partial class Outer
        {
            internal readonly partial struct Shapes
            {
                private const float Half = 0.5f;

                [Differentiable]
                internal static float Soft(float x, float @in, float scale)
                {
                    var r = MathF.Sqrt(x * x + 1);
                    float s = MathF.Tanh(r) - MathF.Log(Math.Abs(@in) + 1) / scale;
                    s *= Half;
                    s += x < 0 && !(@in >= 2) ? MathF.Pow(x, 3) : -MathF.Exp(Math.Min(x, @in));
                    return Math.Max(s, -1f) + MathF.Pow(scale, -0.5f);
                }
            }
        }
        """, "Outer.Shapes.Soft-3f.Gradient.g.cs"), "Outer.Shapes.Soft");

    private static string Generate(string source, string hintNameEnd)
    {
        var result = GeneratorHarness.Run(source);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        return result.Source(hintNameEnd);
    }
}
