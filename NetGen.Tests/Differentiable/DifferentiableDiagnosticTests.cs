using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Differentiable;

/// <summary>One test per [Differentiable] diagnostic: the ID, the exact expression it points at, and a message that names what is supported.</summary>
public class DifferentiableDiagnosticTests
{
    private const string Usings = "using System;\nusing NetGen;\nnamespace Demo;\n";

    [Fact]
    public void NG0050_InstanceMethod() => AssertSingle("""
        public partial class C
        {
            [Differentiable]
            public double F(double x) => x * x;
        }
        """, "NG0050", "F", "'F' is an instance method; [Differentiable] applies to a static method of a partial class, struct or record");

    [Fact]
    public void NG0050_LocalFunction() => AssertSingle("""
        public partial class C
        {
            public static double G(double x)
            {
                return F(x);

                [Differentiable]
                static double F(double x) => x * x;
            }
        }
        """, "NG0050", "F", "'F' is a local function; [Differentiable] applies to a static method of a partial class, struct or record");

    [Fact]
    public void NG0051_TypeNotPartial() => AssertSingle("""
        public static class C
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """, "NG0051", "F", "'F' is declared in 'C', which is not partial; NetGen adds 'FGradient' to that type, so declare it as a partial, non-generic class, struct or record");

    [Fact]
    public void NG0051_GenericType() => AssertSingle("""
        public static partial class C<T>
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """, "NG0051", "F", "'F' is declared in 'C', which is generic; NetGen adds 'FGradient' to that type, so declare it as a partial, non-generic class, struct or record");

    [Fact]
    public void NG0052_IntegerParameter() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int n) => x * n;
        }
        """, "NG0052", "int n", "The parameter 'n' of 'F' has type int but the method returns double; a [Differentiable] method takes one or more float parameters and returns float, or takes double parameters and returns double, all passed by value");

    [Fact]
    public void NG0052_ReturnType() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static decimal F(decimal x) => x * x;
        }
        """, "NG0052", "decimal", "The return type of 'F' is decimal; a [Differentiable] method takes one or more float parameters and returns float, or takes double parameters and returns double, all passed by value");

    [Fact]
    public void NG0052_RefParameter() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(ref double x) => x * x;
        }
        """, "NG0052", "ref double x", "The parameter 'x' of 'F' is passed by ref; a [Differentiable] method takes one or more float parameters and returns float, or takes double parameters and returns double, all passed by value");

    [Fact]
    public void NG0053_IfStatement() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                double y = x;
                if (x > 0) y = x * x;
                return y;
            }
        }
        """, "NG0053", "if (x > 0) y = x * x;", "This statement is not supported in the [Differentiable] method 'F' (an if statement); the body may hold local declarations with an initializer, assignments (= += -= *= /=) to locals and parameters, and one return as its last statement; write a branch as c ? a : b");

    [Fact]
    public void NG0054_Remainder() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => x * (y % 2);
        }
        """, "NG0054", "y % 2", "'y % 2' is not supported in the [Differentiable] method 'F': it may use + - * /, unary minus, literals and constants, its parameters and locals, c ? a : b, and Math or MathF Exp, Log, Sqrt, Tanh, Pow (constant exponent), Max, Min and Abs");

    [Fact]
    public void NG0054_Cast() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static float F(float x) => x + (float)Math.Exp(x);
        }
        """, "NG0054", "(float)Math.Exp(x)", null);

    [Fact]
    public void NG0054_ConditionOutsideTheSubset() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => double.IsNaN(x) ? 0 : x;
        }
        """, "NG0054", "double.IsNaN(x)", "'double.IsNaN(x)' is not supported in the [Differentiable] method 'F': a condition of c ? a : b may compare supported expressions with < <= > >= == != and combine comparisons with && || !");

    [Fact]
    public void NG0055_UnsupportedCall() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Math.Sin(x) * x;
        }
        """, "NG0055", "Math.Sin(x)", "'Math.Sin(x)' is not supported in the [Differentiable] method 'F'; it may call Math or MathF Exp, Log, Sqrt, Tanh, Pow (constant exponent), Max, Min and Abs");

    [Fact]
    public void NG0056_PowWithVariableExponent() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Pow(x, y);
        }
        """, "NG0056", "y", "The exponent 'y' in the [Differentiable] method 'F' is not a constant; Pow(x, c) is supported with a constant c (write x^y as Exp(y * Log(x)))");

    [Fact]
    public void NG0057_Field() => AssertSingle("""
        public static partial class C
        {
            private static double scale = 2;

            [Differentiable]
            public static double F(double x) => scale * x;
        }
        """, "NG0057", "scale", "'scale' is a field; the [Differentiable] method 'F' may read only its parameters, its locals and constants, so pass the value as a parameter");

    [Fact]
    public void NG0058_NoBody() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static partial double F(double x);
        }
        """, "NG0058", "F", "'F' has no body; [Differentiable] differentiates the method's body, so give it one", extraSource: """
        namespace Demo;
        public static partial class C
        {
            public static partial double F(double x) => x;
        }
        """);

    [Fact]
    public void NG0059_CompanionNameTaken() => AssertSingle("""
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => x * x;

            public static double FGradient(double x) => 2 * x;
        }
        """, "NG0059", "F", "'C' already declares a member named 'FGradient', the name of the method NetGen generates for [Differentiable] 'F'; rename that member or the method");

    [Fact]
    public void EveryUnsupportedExpressionIsReported()
    {
        var result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => Math.Sin(x) + x % 3 + Math.Cos(x);
            }
            """);
        result.AssertNoExceptions();
        Assert.Equal(["NG0054", "NG0055", "NG0055"], result.Diagnostics.Select(d => d.Id).Order());
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

    [Fact]
    public void CodeWithCompilerErrorsIsLeftToTheCompiler()
    {
        var result = GeneratorHarness.Run(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => x * undefined;
            }
            """);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

    private static void AssertSingle(string snippet, string id, string spanText, string? message, string? extraSource = null)
    {
        string source = Usings + snippet;
        var result = extraSource is null ? GeneratorHarness.Run(source) : GeneratorHarness.Run(source, extraSource);
        result.AssertNoExceptions();
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Input0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(spanText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        if (message is not null)
        {
            Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Empty(result.RunResult.GeneratedTrees);
    }
}
