using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>One test per diagnostic ID: the ID, the severity, and the exact place it points at.</summary>
public class DiagnosticTests
{
    private const string Usings = "using NetGen;\nnamespace Demo;\n";

    [Fact]
    public void NG0001_NotPartial() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(1)]
        public class Net { }
        """, "NG0001", line: 4, spanText: "Net");

    [Fact]
    public void NG0002_NoLayers() => AssertSingle("""
        [Network(Inputs = 2)]
        public partial class Net;
        """, "NG0002", line: 2, spanText: "Network(Inputs = 2)");

    [Fact]
    public void NG0003_InputsNotPositive() => AssertSingle("""
        [Network(Inputs = 0)]
        [Dense(1)]
        public partial class Net;
        """, "NG0003", line: 2, spanText: "Network(Inputs = 0)");

    [Fact]
    public void NG0004_UnitsNotPositive() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(3, Activation.Tanh)]
        [Dense(-1)]
        public partial class Net;
        """, "NG0004", line: 4, spanText: "Dense(-1)");

    [Fact]
    public void NG0005_SoftmaxNotLast() => AssertSingle("""
        [Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(3, Activation.Softmax)]
        [Dense(2)]
        public partial class Net;
        """, "NG0005", line: 3, spanText: "Dense(3, Activation.Softmax)");

    [Fact]
    public void NG0006_LossDoesNotFitOutput() => AssertSingle("""
        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
        [Dense(3, Activation.ReLU)]
        [Dense(1, Activation.Tanh)]
        public partial class Net;
        """, "NG0006", line: 4, spanText: "Dense(1, Activation.Tanh)");

    [Fact]
    public void NG0007_NestedType() => AssertSingle("""
        public partial class Outer
        {
            [Network(Inputs = 2)]
            [Dense(1)]
            public partial class Net;
        }
        """, "NG0007", line: 6, spanText: "Net");

    [Fact]
    public void NG0008_GenericType() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(1)]
        public partial class Net<T>;
        """, "NG0008", line: 4, spanText: "Net");

    [Fact]
    public void NG0009_UnknownEnumValue() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(1, (Activation)42)]
        public partial class Net;
        """, "NG0009", line: 3, spanText: "Dense(1, (Activation)42)");

    [Fact]
    public void NG0010_NetworkTooLarge() => AssertSingle("""
        [Network(Inputs = 100000)]
        [Dense(100000)]
        public partial class Net;
        """, "NG0010", line: 2, spanText: "Network(Inputs = 100000)");

    [Fact]
    public void NG0011_StaticClass() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(1)]
        public static partial class Net { }
        """, "NG0011", line: 4, spanText: "Net");

    [Fact]
    public void NG0011_Record() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(1)]
        public partial record Net;
        """, "NG0011", line: 4, spanText: "Net");

    [Fact]
    public void NG0012_LayerWithoutNetwork() => AssertSingle("""
        [Dense(4, Activation.ReLU)]
        [Dense(1)]
        public partial class Net;
        """, "NG0012", line: 2, spanText: "Dense(4, Activation.ReLU)", DiagnosticSeverity.Warning);

    [Fact]
    public void NG0012_DropoutWithoutNetwork() => AssertSingle("""
        [Dropout(0.5)]
        public partial class Net;
        """, "NG0012", line: 2, spanText: "Dropout(0.5)", DiagnosticSeverity.Warning);

    [Fact]
    public void NG0012_IsReportedOnceOnTheFirstLayerAttribute() => AssertSingle("""
        [Dropout(0.5)]
        [Dense(4, Activation.ReLU)]
        [Dropout(0.5)]
        [Dense(1)]
        public partial class Net;
        """, "NG0012", line: 2, spanText: "Dropout(0.5)", DiagnosticSeverity.Warning);

    [Fact]
    public void NG0017_GeneratorBugBecomesADiagnosticNamingTheNetwork()
    {
        // A broken invariant inside a stage (here thrown on purpose) stops that network with NG0017 instead of an exception.
        var result = NetGen.Generator.Model.StageResult<string>.Run("Net", () => throw new NetGen.Generator.Ops.GeneratorBugException("no op unit for activation 42"))
            .Then(text => text + " never runs");
        Assert.Null(result.Value);
        var diagnostic = Assert.Single(result.Diagnostics).ToDiagnostic();
        Assert.Equal("NG0017", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "NetGen could not generate 'Net' because of a bug in NetGen itself: no op unit for activation 42. No code was generated for it; please report this message.",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NG0013_SoftmaxWithOneOutput() => AssertSingle("""
        [Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(1)]
        public partial class Net;
        """, "NG0013", line: 3, spanText: "Dense(1)");

    [Fact]
    public void NG0015_DropoutRateOutOfRange() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.ReLU)]
        [Dropout(1.0)]
        [Dense(1)]
        public partial class Net;
        """, "NG0015", line: 4, spanText: "Dropout(1.0)");

    [Fact]
    public void NG0016_DropoutLast() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.ReLU)]
        [Dropout(0.5)]
        public partial class Net;
        """, "NG0016", line: 4, spanText: "Dropout(0.5)");

    [Fact]
    public void NG0014_UnreadableAttribute()
    {
        // A half-typed attribute: the compiler reports its own error; NetGen says why nothing was generated.
        var result = GeneratorHarness.Run(Usings + """
            [Network(Inputs = 2)]
            [Dense(]
            public partial class Net;
            """);
        result.AssertNoExceptions();
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("NG0014", diagnostic.Id);
        Assert.Equal(3, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

    [Fact]
    public void EveryDescriptorHasAHelpLinkToItsSection()
    {
        foreach (var descriptor in NetGen.Generator.Diagnostics.DiagnosticCatalog.All)
        {
            Assert.EndsWith("diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MessagesSayWhatToFix()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
            [Dense(1, Activation.Tanh)]
            public partial class Net;
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            "The loss BinaryCrossEntropy of 'Net' does not fit its last layer's Tanh activation: BinaryCrossEntropy is the log loss of a sigmoid output, so the last layer must be Sigmoid",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <param name="line">0-based line of the diagnostic in the full source (two lines of usings precede the snippet).</param>
    [Fact]
    public void NG0018_ClassNamedLikeAGeneratedMember()
    {
        AssertSingle("""
            [Network(Inputs = 2)]
            [Dense(1)]
            public partial class W1;
            """, "NG0018", line: 2, spanText: "Network(Inputs = 2)");
        var diagnostic = Assert.Single(GeneratorHarness.Run(Usings + "[Network(Inputs = 2)]\n[Dense(1)]\npublic partial class W1;\n").Diagnostics);
        Assert.Equal(
            "The network class 'W1' has the name of a member NetGen generates in it; C# does not allow a member named like its class, so rename the class",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void AssertSingle(string snippet, string id, int line, string spanText, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        string source = Usings + snippet;
        var result = GeneratorHarness.Run(source);
        result.AssertNoExceptions();
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Input0.cs", span.Path);
        Assert.Equal(line, span.StartLinePosition.Line);
        Assert.Equal(spanText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        if (severity == DiagnosticSeverity.Error)
        {
            Assert.Empty(result.RunResult.GeneratedTrees);
        }
    }
}
