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

    /// <summary>
    /// Each value is under NG0027's limit, but one sample's region holds three of 4 · 268435455 = 1073741820 numbers
    /// (c1, c2 and their sum) and the output z with its gradient: 3221225462, past int.MaxValue, where the int layout
    /// used to wrap to negative offsets.
    /// </summary>
    [Fact]
    public void NG0019_WorkspacePastTheLargestArray() => AssertSingle("""
        [Network]
        [Input("x", 268435455)]
        [Concat("x", "x", "x", "x", Name = "c1")]
        [Concat("x", "x", "x", "x")]
        [Add("c1")]
        [Dense(1)]
        public partial class Net;
        """, "NG0019", "Network", "The network 'Net' would need 3221225472 numbers per sample for its layers' values, dropout masks and gradients; one sample's workspace holds at most 2147483576 (the largest .NET array less the values before its first cache line), so use fewer or smaller layers", line: 2);

    /// <summary>A dropout after a softmax output is NG0016 on the dropout (and NG0005 on the softmax) in a graph as in a chain.</summary>
    [Theory]
    [InlineData("""
        [Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Dense(4, Activation.Tanh)]
        [LayerNorm]
        [Add("h1")]
        [Dense(3, Activation.Softmax)]
        [Dropout(0.5)]
        public partial class Net;
        """)]
    [InlineData("""
        [Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(4, Activation.Tanh)]
        [Dense(4, Activation.Tanh)]
        [LayerNorm]
        [Dense(4, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        [Dropout(0.5)]
        public partial class Net;
        """)]
    public void NG0016_DropoutAfterASoftmaxOutputInGraphsAndChains(string snippet)
    {
        string source = Usings + snippet;
        var result = GeneratorHarness.Run(source);
        result.AssertNoExceptions();
        var found = result.Diagnostics.Select(d => d.Id + " " + source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)).OrderBy(s => s, StringComparer.Ordinal);
        Assert.Equal(["NG0005 Dense(3, Activation.Softmax)", "NG0016 Dropout(0.5)"], found);
        Assert.Empty(result.RunResult.GeneratedTrees);
    }

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
    public void NG0030_InputsGivenTwice() => AssertSingle("""
        [Network(Inputs = 5)]
        [Input("image", 4)]
        [Input("meta", 1)]
        [Dense(2, Activation.Tanh, From = "image", Name = "seen")]
        [Concat("seen", "meta")]
        [Dense(1)]
        public partial class Net;
        """, "NG0030", "Network(Inputs = 5)", "'Net' sets Inputs on [Network] and also has [Input] attributes; remove Inputs: the input vector is the named inputs side by side");

    [Fact]
    public void NG0031_InputSizeNotPositive() => AssertSingle("""
        [Network]
        [Input("image", 0)]
        [Dense(1)]
        public partial class Net;
        """, "NG0031", "Input(\"image\", 0)", "The input 'image' of 'Net' has size 0; an input needs at least one value per sample");

    [Fact]
    public void NG0032_InputNameNotAnIdentifier() => AssertSingle("""
        [Network]
        [Input("the image", 4)]
        [Dense(1)]
        public partial class Net;
        """, "NG0032", "Input(\"the image\", 4)", "The input name 'the image' of 'Net' cannot be used: an input's name is a C# identifier (letters, digits and _, not starting with a digit), because the generated code names its constants and parameters after it");

    [Fact]
    public void NG0032_InputNamesThatGiveTheSameConstants() => AssertSingle("""
        [Network]
        [Input("image", 4)]
        [Input("Image", 4)]
        [Add("image", "Image")]
        [Dense(1)]
        public partial class Net;
        """, "NG0032", "Input(\"Image\", 4)", "The input name 'Image' of 'Net' cannot be used: it differs from the input 'image' only in the case of its first letter, and both would be called ImageInputOffset and ImageInputSize");

    [Fact]
    public void NG0033_InputBelowALayer() => AssertSingle("""
        [Network]
        [Input("image", 4)]
        [Dense(2, Activation.Tanh)]
        [Input("meta", 1)]
        [Concat("meta")]
        [Dense(1)]
        public partial class Net;
        """, "NG0033", "Input(\"meta\", 1)", "The input 'meta' of 'Net' is declared below layer 2; declare every [Input] above the layers, so the attributes read top to bottom as the diagram");

    [Fact]
    public void NG0034_ALayerMustNameOneOfSeveralInputs() => AssertSingle("""
        [Network]
        [Input("image", 4)]
        [Input("meta", 1)]
        [Dense(2, Activation.Tanh)]
        [Concat("image")]
        [Dense(1)]
        public partial class Net;
        """, "NG0034", "Dense(2, Activation.Tanh)", "Layer 3 of 'Net' reads the layer above it, which is the input 'meta', but 'Net' has 2 inputs; say which one it reads with From = \"meta\" (or name the inputs a merge takes)");

    [Fact]
    public void NG0035_UnreadInput() => AssertSingle("""
        [Network]
        [Input("image", 4)]
        [Input("meta", 1)]
        [Dense(2, Activation.Tanh, From = "image")]
        [Dense(1)]
        public partial class Net;
        """, "NG0035", "Input(\"meta\", 1)", "Nothing reads the input 'meta' of 'Net'; read it with From = \"meta\" or a merge ([Add], [Concat], [Multiply]), or remove it");

    [Fact]
    public void NG0036_InputsTooLarge() => AssertSingle("""
        [Network]
        [Input("a", 1 << 30)]
        [Input("b", 1)]
        [Concat("a", "b")]
        [Dense(1)]
        public partial class Net;
        """, "NG0036", "Network", "The inputs of 'Net' hold 1073741825 values per sample together; NetGen supports at most 1073741824");

    [Fact]
    public void InputsAndLayersShareOneNamespace() => AssertSingle("""
        [Network]
        [Input("image", 4)]
        [Dense(2, Activation.Tanh, Name = "image")]
        [Dense(1)]
        public partial class Net;
        """, "NG0021", "Dense(2, Activation.Tanh, Name = \"image\")", "Layer 2 of 'Net' is named 'image', like layer 1; give each layer its own name");

    [Fact]
    public void NamedInputsGetConstantsAHelperAndADescription()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Network(Loss = Loss.SquaredError)]
            [Input("image", 4)]
            [Input("class", 2)]
            [Dense(3, Activation.Tanh, From = "image", Name = "seen")]
            [Concat("seen", "class")]
            [Dense(1)]
            public partial class Net;
            """);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string source = result.Source("Demo.Net.g.cs");
        Assert.Contains("public const int InputSize = 6;", source, StringComparison.Ordinal);
        Assert.Contains("public const int ImageInputOffset = 0;", source, StringComparison.Ordinal);
        Assert.Contains("public const int ClassInputOffset = 4;", source, StringComparison.Ordinal);
        Assert.Contains("public const int ClassInputSize = 2;", source, StringComparison.Ordinal);
        Assert.Contains("public static void WriteInputs(global::System.ReadOnlySpan<float> image, global::System.ReadOnlySpan<float> @class, global::System.Span<float> destination)", source, StringComparison.Ordinal);
        Assert.Contains("new(1, global::NetGen.LayerKind.Input, 6, 4, global::NetGen.Activation.Identity, null, null, 0, new int[] { 0 }, \"image\"),", source, StringComparison.Ordinal);
        Assert.Contains("new(4, global::NetGen.LayerKind.Concat, 5, 5, global::NetGen.Activation.Identity, null, null, 0, new int[] { 3, 2 }),", source, StringComparison.Ordinal);
        Assert.Contains("global::System.ReadOnlySpan<float> x2 = x.Slice(ClassInputOffset, ClassInputSize);", source, StringComparison.Ordinal);
    }

    [Fact]
    public void OneNamedInputNeedsNoFrom()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Network]
            [Input("features", 3)]
            [Dense(2, Activation.Tanh)]
            [Dense(1)]
            public partial class Net;
            """);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Contains("public const int FeaturesInputSize = 3;", result.Source("Demo.Net.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0040_LayerNormOfOneUnit() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(1, Activation.Tanh)]
        [LayerNorm]
        [Dense(1)]
        public partial class Net;
        """, "NG0040", "LayerNorm", "The [LayerNorm] layer 2 of 'Net' normalizes layer 1, which has 1 unit; one value always normalizes to 0, so normalize a layer of at least two units");

    [Fact]
    public void NG0025_LastLayerIsALayerNorm() => AssertSingle("""
        [Network(Inputs = 2)]
        [Dense(4, Activation.Tanh)]
        [LayerNorm(Name = "out")]
        public partial class Net;
        """, "NG0025", "LayerNorm(Name = \"out\")", "The last layer of 'Net' is a [LayerNorm]; end the network with a [Dense] layer, whose outputs the loss reads");

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
