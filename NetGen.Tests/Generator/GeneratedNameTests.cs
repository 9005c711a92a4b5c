using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>
/// Names a user chooses (inputs, layers) never collide with the names generated code makes from them or beside them:
/// each description here is legal, so it must compile with no diagnostic at all.
/// </summary>
public class GeneratedNameTests
{
    [Theory]
    // Inputs whose names end like the names generated after another one (a dropout's value is named after what it reads).
    [InlineData("""
        [Input("d", 2)]
        [Input("dDrop", 2)]
        [Dropout(0.5, From = "d", Name = "dropped")]
        [Dropout(0.5, From = "dDrop", Name = "dDropDrop")]
        [Concat("dropped", "dDropDrop")]
        [Dense(1)]
        """)]
    // The same, batched (the dropout of each input is a loop over the batch, its mask a workspace region).
    [InlineData("""
        [Input("x", 40)]
        [Input("xDrop", 40)]
        [Dropout(0.5, From = "x", Name = "x1")]
        [Dropout(0.5, From = "xDrop", Name = "x1Drop")]
        [Add("x1", "x1Drop")]
        [Dense(40, Activation.Tanh)]
        [Dense(1)]
        """)]
    // Inputs named like the destination parameter of WriteInputs and its first alternatives.
    [InlineData("""
        [Input("destination", 2)]
        [Input("destination1", 2)]
        [Input("inputVector", 2)]
        [Input("sampleInputs", 2)]
        [Concat("destination", "destination1", "inputVector", "sampleInputs")]
        [Dense(1)]
        """)]
    // Inputs named like the constants WriteInputs reads, which a parameter of that name would hide.
    [InlineData("""
        [Input("InputSize", 2)]
        [Input("Image", 3)]
        [Input("ImageInputOffset", 3)]
        [Input("ImageInputSize", 3)]
        [Concat("InputSize", "Image", "ImageInputOffset", "ImageInputSize")]
        [Dense(1)]
        """)]
    // Layer names like generated values and members: layer names are only ever shown in messages.
    [InlineData("""
        [Input("Net", 2)]
        [Dense(2, Activation.Tanh, Name = "z1")]
        [Dense(2, Activation.Tanh, Name = "W1")]
        [Add("z1", Name = "InputSize")]
        [Dense(1, Name = "a1")]
        """)]
    public void LegalNamesCompileWithoutDiagnostics(string layers)
    {
        var result = GeneratorHarness.Run("using NetGen;\nnamespace Demo;\n[Network]\n" + layers + "\npublic partial class Net;\n");
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(string.Empty, string.Join("\n", result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) + " in: " + d.Location.SourceTree?.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line])));
        Assert.Single(result.RunResult.GeneratedTrees);
    }

    /// <summary>Two networks that between them get every kind of generated member (per sample and batched, inputs, dropout, a layer norm).</summary>
    public static TheoryData<string> Networks => new()
    {
        """
        [Network]
        [Input("image", 3)]
        [Input("meta", 2)]
        [Dropout(0.5, From = "image", Name = "h")]
        [Concat("meta")]
        [LayerNorm]
        [Dense(2, Activation.Tanh)]
        [Dense(1)]
        """,
        """
        [Network(Inputs = 40, Loss = Loss.SoftmaxCrossEntropy)]
        [Dropout(0.2)]
        [Dense(40, Activation.ReLU)]
        [Dense(3)]
        """,
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void AClassNamedLikeAnyMemberItGetsIsNG0018NotACompilerError(string network)
    {
        var generated = GeneratorHarness.Run("using NetGen;\nnamespace Demo;\n" + network + "\npublic partial class Net;\n");
        var type = CSharpSyntaxTree.ParseText(generated.Source("Demo.Net.g.cs")).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
        var members = type.Members.SelectMany(m => m switch
        {
            FieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.Text),
            PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property => [property.Identifier.Text],
            MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method => [method.Identifier.Text],
            _ => [],
        }).Distinct().ToList();
        Assert.Contains("Predict", members);
        Assert.True(members.Count > 20, string.Join(", ", members));
        foreach (string member in members)
        {
            var result = GeneratorHarness.Run("using NetGen;\nnamespace Demo;\n" + network + "\npublic partial class " + member + ";\n");
            result.AssertNoExceptions();
            Assert.Equal(member + ": NG0018", member + ": " + string.Join(", ", result.Diagnostics.Select(d => d.Id)));
        }
    }
}
