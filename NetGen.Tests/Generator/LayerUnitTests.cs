using Microsoft.CodeAnalysis;
using NetGen.Generator.Ops;
using NetGen.Generator.Parsing;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>
/// The catalogue of layer units (<see cref="LayerUnits.All"/>) is the one place a layer kind is registered: every unit is
/// an attribute users can write and the parser reads, a kind the runtime knows, and a heading, a docs line, a diagram part
/// and a description in generated code; value names cannot collide.
/// </summary>
public class LayerUnitTests
{
    /// <summary>A network that uses every unit once or more (a new unit must be added here, or the tests below fail).</summary>
    private const string EveryUnit = """
        using NetGen;
        namespace Demo;

        [Network(Loss = Loss.SquaredError)]
        [Input("image", 4)]
        [Input("meta", 4)]
        [Dense(4, Activation.Tanh, From = "image", Name = "h")]
        [Dropout(0.5)]
        [Add("meta", Name = "s")]
        [Multiply("h")]
        [Concat("meta")]
        [LayerNorm]
        [Dense(1)]
        public partial class Net;
        """;

    private static readonly Lazy<string> Generated = new(() =>
    {
        var result = GeneratorHarness.Run(EveryUnit);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return result.Source("Demo.Net.g.cs");
    });

    public static TheoryData<string> Units => new(LayerUnits.All.Select(u => u.Kind));

    [Theory]
    [MemberData(nameof(Units))]
    public void EachUnitIsAnAttributeTheParserReadsAndAKindTheRuntimeKnows(string kind)
    {
        var unit = LayerUnits.All.Single(u => u.Kind == kind);
        Assert.NotNull(typeof(NetworkAttribute).Assembly.GetType(unit.AttributeName));
        Assert.Same(unit, LayerUnits.ForAttribute(unit.AttributeName));
        Assert.Contains(unit.AttributeName, SpecParser.LayerAttributeNames); // NG0012 watches it
        Assert.True(Enum.TryParse<LayerKind>(unit.Kind, out _), unit.Kind + " is no NetGen.LayerKind");
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void EachUnitHasAHeadingADocsLineAndADescriptionInGeneratedCode(string kind)
    {
        string source = Generated.Value;
        if (!LayerUnits.All.Single(u => u.Kind == kind).IsInput)
        {
            // A named input is data read where it is: no code, so no heading.
            Assert.Matches(@"// Layer \d+: " + kind + " ", source);
        }

        Assert.Matches(@"/// <item><term>\d+</term><description>" + kind + " ", source);
        Assert.Matches(@"new\(\d+, global::NetGen\.LayerKind\." + kind + ", ", source);
    }

    [Fact]
    public void EveryRuntimeLayerAttributeIsInTheCatalogue()
    {
        var notLayers = new[] { typeof(NetworkAttribute), typeof(DifferentiableAttribute) };
        var attributes = typeof(NetworkAttribute).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(Attribute)) && t.Namespace == "NetGen" && !notLayers.Contains(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(attributes, LayerUnits.All.Select(u => u.AttributeName).Order(StringComparer.Ordinal));
        Assert.Equal(Enum.GetNames<LayerKind>().Order(StringComparer.Ordinal), LayerUnits.All.Select(u => u.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ValuePrefixesAreLettersDistinctAcrossUnitsAndClearOfOtherGeneratedNames()
    {
        var prefixes = LayerUnits.All.SelectMany(u => u.ValuePrefixes).ToList();
        Assert.Equal(prefixes.Count, prefixes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(prefixes, p => Assert.Matches("^[a-z]+$", p));

        // p is the prediction; a prefix starting with d would read like a gradient (dz1 is z1's).
        Assert.DoesNotContain("p", prefixes);
        Assert.DoesNotContain(prefixes, p => p.StartsWith('d'));
    }

    [Fact]
    public void ADiagramPartForEveryLayerButTheInputs()
    {
        Assert.Contains(
            "/// Net: inputs image (4), meta (4) -&gt; Dense 4 (Tanh) -&gt; Dropout 0.5 -&gt; Add (a1Drop + x2) -&gt; Multiply (s1 ⊙ a1) -&gt; Concat [m1 | x2] (8) -&gt; LayerNorm -&gt; Dense 1 (Identity).",
            Generated.Value,
            StringComparison.Ordinal);
    }
}
