using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using NetGen.Tests.Infrastructure;
using NetGen.Tests.Robustness;
using Xunit.Abstractions;

namespace NetGen.Tests.Differentiable;

/// <summary>
/// Random functions in the [Differentiable] subset, generated and compiled at test time: the companion's value
/// equals the method's own to the bit (float and double), its gradient agrees with forward-mode dual numbers
/// (an independent implementation) to 1e-10, and with central differences to 1e-6 wherever the point is not
/// at a kink of Max, Min, Abs or a condition. Smooth functions are checked against central differences everywhere.
/// </summary>
public class RandomFunctionTests(ITestOutputHelper output)
{
    private const ulong BaseSeed = 0xD1FF_0000_2026_0011;
    private const int Functions = 120;
    private const int PointsPerFunction = 4;

    [Fact]
    public void GeneratedGradientsAgreeWithDualNumbersAndCentralDifferences()
    {
        var functions = Enumerable.Range(0, Functions)
            .Select(i => RandomFunction.Create(FuzzRandom.CaseSeed(BaseSeed, i), smooth: i % 3 == 0))
            .ToList();
        var source = new StringBuilder(
            "// Random code compares a value with itself and leaves locals unread; the generated code must not, so only this file is excused.\n"
            + "#pragma warning disable CS1718, CS0219\nusing System;\nusing NetGen;\nnamespace RandomFunctions;\npublic static partial class F\n{\n");
        for (int i = 0; i < functions.Count; i++)
        {
            source.Append(functions[i].Source(Name(i), "double")).Append(functions[i].Source(Name(i) + "Single", "float"));
        }

        source.Append("}\n");
        var type = GeneratorHarness.CompileAndLoad(source.ToString()).GetType("RandomFunctions.F")!;

        var random = new FuzzRandom(BaseSeed);
        int centralChecks = 0, kinked = 0;
        double worstDual = 0, worstCentral = 0;
        for (int i = 0; i < functions.Count; i++)
        {
            var function = functions[i];
            var method = type.GetMethod(Name(i))!;
            var gradient = type.GetMethod(Name(i) + "Gradient")!;
            var methodSingle = type.GetMethod(Name(i) + "Single")!;
            var gradientSingle = type.GetMethod(Name(i) + "SingleGradient")!;
            for (int p = 0; p < PointsPerFunction; p++)
            {
                double[] point = Enumerable.Range(0, function.Parameters).Select(_ => (random.Next(3001) - 1500) / 1000.0).ToArray();
                string where = $"function {i} at ({string.Join(", ", point)}):\n{function.Source(Name(i), "double")}";
                var generated = (ITuple)gradient.Invoke(null, point.Cast<object>().ToArray())!;
                double value = (double)method.Invoke(null, point.Cast<object>().ToArray())!;
                Assert.True(value.Equals((double)generated[0]!), $"value {generated[0]} instead of {value}, {where}");

                object[] singlePoint = point.Select(x => (object)(float)x).ToArray();
                var generatedSingle = (ITuple)gradientSingle.Invoke(null, singlePoint)!;
                Assert.True(((float)methodSingle.Invoke(null, singlePoint)!).Equals((float)generatedSingle[0]!), $"float value differs, {where}");

                var (dualValue, dual, margin) = function.Evaluate(point);
                if (!double.IsFinite(dualValue) || dual.Any(d => !double.IsFinite(d)))
                {
                    continue;
                }

                for (int k = 0; k < function.Parameters; k++)
                {
                    double g = (double)generated[k + 1]!;
                    double error = RelativeError(g, dual[k]);
                    worstDual = Math.Max(worstDual, error);
                    Assert.True(error <= 1e-10, $"d/dp{k}: generated {g}, dual numbers {dual[k]}, {where}");
                }

                if (margin < 1e-3)
                {
                    kinked++;
                    continue;
                }

                for (int k = 0; k < function.Parameters; k++)
                {
                    double h = 1e-6 * Math.Max(1, Math.Abs(point[k]));
                    double[] plus = (double[])point.Clone(), minus = (double[])point.Clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double numeric = ((double)method.Invoke(null, plus.Cast<object>().ToArray())! - (double)method.Invoke(null, minus.Cast<object>().ToArray())!) / (plus[k] - minus[k]);
                    double g = (double)generated[k + 1]!;
                    double error = RelativeError(g, numeric);
                    worstCentral = Math.Max(worstCentral, error);
                    centralChecks++;
                    Assert.True(error <= 1e-6, $"d/dp{k}: generated {g}, central differences {numeric}, {where}");
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Functions} functions x {PointsPerFunction} points: worst relative error {worstDual:E1} against dual numbers, {worstCentral:E1} against central differences ({centralChecks} partials; {kinked} points at a kink skipped)"));
        Assert.True(centralChecks > Functions * PointsPerFunction);
    }

    private static string Name(int i) => "F" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>|a - b| relative to the larger magnitude, or absolute below 1.</summary>
    private static double RelativeError(double a, double b) => Math.Abs(a - b) / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
}
