using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>One test per wiring diagnostic (NG0020-NG0025): the ID, the attribute it points at, and its message.</summary>
public class GraphDiagnosticTests
{
    private const string Usings = "using NetGen;\nnamespace Demo;\n";

    [Fact]
    public void NG0020_UnknownName() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Add("h2")]
        [Dense(1)]
        public partial class Net;
        """, "NG0020", "Add(\"h2\")", "Layer 2 of 'Net' reads 'h2', but no layer above it is named 'h2'; name that layer with Name = \"h2\" (a layer reads only layers above it, so a network has no cycle)");

    [Fact]
    public void NG0020_ALaterLayerCannotBeRead() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, From = "out")]
        [Dense(1, Name = "out")]
        public partial class Net;
        """, "NG0020", "Dense(4, Activation.Tanh, From = \"out\")", null);

    [Fact]
    public void NG0021_DuplicateName() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, Name = "h")]
        [Dense(4, Activation.Tanh, Name = "h")]
        [Dense(1)]
        public partial class Net;
        """, "NG0021", "Dense(4, Activation.Tanh, Name = \"h\")", "Layer 2 of 'Net' is named 'h', like layer 1; give each layer its own name", line: 4);

    [Fact]
    public void NG0022_AddOfDifferentSizes() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Dense(3, Activation.Tanh)]
        [Add("h1")]
        [Dense(1)]
        public partial class Net;
        """, "NG0022", "Add(\"h1\")", "The [Add] layer 3 of 'Net' sums layer 2 (3) + 'h1' (4); every value it adds must have the same number of units");

    [Fact]
    public void NG0023_UnreadLayer() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Dense(4, Activation.Tanh)]
        [Dense(1, From = "h1")]
        public partial class Net;
        """, "NG0023", "Dense(4, Activation.Tanh)", "Nothing reads the output of layer 2 of 'Net': the layer after it reads another one (From); read it with From or a merge ([Add], [Concat], [Multiply]), or remove it");

    [Fact]
    public void NG0024_AddOfNothing() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh)]
        [Add]
        [Dense(1)]
        public partial class Net;
        """, "NG0024", "Add", null);

    [Fact]
    public void NG0025_LastLayerIsAnAdd() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Dense(4, Activation.Tanh)]
        [Add("h1")]
        public partial class Net;
        """, "NG0025", "Add(\"h1\")", "The last layer of 'Net' is an [Add]; end the network with a [Dense] layer, whose outputs the loss reads");

    [Fact]
    public void NG0025_LastLayerIsAConcat() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Dense(3, Activation.Tanh)]
        [Concat("h1")]
        public partial class Net;
        """, "NG0025", "Concat(\"h1\")", "The last layer of 'Net' is a [Concat]; end the network with a [Dense] layer, whose outputs the loss reads");

    [Fact]
    public void NG0026_ConcatOfNothing() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh)]
        [Concat(Name = "c")]
        [Dense(1)]
        public partial class Net;
        """, "NG0026", "Concat(Name = \"c\")", "The [Concat] layer 2 of 'Net' names no layer; [Concat(\"h1\")] merges the previous layer and h1, [Concat(\"a\", \"b\")] merges a and b");

    [Fact]
    public void NG0027_ConcatTooLarge() => AssertSingle("""
        [Network(Inputs = 1)]
        [Dense(1 << 29, Name = "wide")]
        [Concat("wide", "wide", "wide")]
        [Dense(1)]
        public partial class Net;
        """, "NG0027", "Concat(\"wide\", \"wide\", \"wide\")", "The [Concat] layer 2 of 'Net' would hold 1610612736 values per sample; NetGen supports at most 1073741824 values in one layer");

    [Fact]
    public void NG0028_MultiplyOfDifferentSizes() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Sigmoid, Name = "gate")]
        [Dense(3, Activation.Tanh, From = "gate")]
        [Multiply("gate")]
        [Dense(1)]
        public partial class Net;
        """, "NG0028", "Multiply(\"gate\")", "The [Multiply] layer 3 of 'Net' multiplies layer 2 (3) ⊙ 'gate' (4); every value it multiplies element by element must have the same number of units");

    [Fact]
    public void NG0026_MultiplyOfNothing() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh)]
        [Multiply]
        [Dense(1)]
        public partial class Net;
        """, "NG0026", "Multiply", "The [Multiply] layer 2 of 'Net' names no layer; [Multiply(\"h1\")] merges the previous layer and h1, [Multiply(\"a\", \"b\")] merges a and b");

    [Fact]
    public void AConcatReadsTheLayerAboveFirstThenTheNamedOne()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Network(Inputs = 2)]
            [Dense(3, Activation.Tanh, Name = "h1")]
            [Dense(4, Activation.Sigmoid)]
            [Concat("h1")]
            [Dense(1)]
            public partial class Net;
            """);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        string source = result.Source("Demo.Net.g.cs");
        Assert.Contains("// c1 = [a2 | a1]", source, StringComparison.Ordinal);
        Assert.Contains("new(3, global::NetGen.LayerKind.Concat, 7, 7, global::NetGen.Activation.Identity, null, null, 0, new int[] { 2, 1 }),", source, StringComparison.Ordinal);
        Assert.Contains("new(4, global::NetGen.LayerKind.Dense, 7, 1,", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AChainWithNamesCompilesUnchanged()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Network(Inputs = 2)]
            [Dense(2, Activation.Sigmoid, Name = "hidden")]
            [Dense(1, Activation.Sigmoid, From = "hidden")]
            public partial class Net;
            """);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.RunResult.GeneratedTrees);
    }

    private static void AssertSingle(string snippet, string id, string spanText, string? message, int? line = null)
    {
        string source = Usings + snippet;
        var result = GeneratorHarness.Run(source);
        result.AssertNoExceptions();
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(spanText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        if (line is { } expected)
        {
            Assert.Equal(expected, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        }

        if (message is not null)
        {
            Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Empty(result.RunResult.GeneratedTrees);
    }
}
