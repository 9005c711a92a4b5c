using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Derivation;
using NetGen.Generator.Emit;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator;

/// <summary>
/// The NetGen incremental generator: for every class marked [Network], emits a specialized
/// forward and backward pass. Pipeline: find (ForAttributeWithMetadataName) → parse (equatable
/// spec + diagnostics) → graph → derive → emit. Each stage is tracked by name for caching tests.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (see <c>GeneratorDriverRunResult.TrackedSteps</c>).</summary>
    public static class Steps
    {
        /// <summary>The parsed spec and diagnostics of each network.</summary>
        public const string Parse = "NetGen.Parse";

        /// <summary>The forward graph of each valid network.</summary>
        public const string Graph = "NetGen.Graph";

        /// <summary>The forward and backward graphs of each valid network.</summary>
        public const string Derive = "NetGen.Derive";

        /// <summary>Warnings for classes with layer attributes but no [Network].</summary>
        public const string OrphanLayers = "NetGen.OrphanLayers";
    }

    /// <summary>Layers with at most this many weights are unrolled into scalar statements by default.</summary>
    public const int DefaultUnrollThreshold = 64;

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var unrollThreshold = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue("build_property.NetGenUnrollThreshold", out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
                ? value
                : DefaultUnrollThreshold);

        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SpecParser.NetworkAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => SpecParser.Parse(ctx, ct))
            .WithTrackingName(Steps.Parse);

        context.RegisterSourceOutput(parsed.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var models = parsed
            .Where(static r => r.Spec is not null)
            .Select(static (r, _) => GraphBuilder.Build(r.Spec!))
            .WithTrackingName(Steps.Graph)
            .Select(static (graph, _) => new NetworkModel(graph, Deriver.Derive(graph)))
            .WithTrackingName(Steps.Derive);

        context.RegisterSourceOutput(models.Combine(unrollThreshold), static (spc, pair) =>
            spc.AddSource(pair.Left.Forward.Spec.HintName, SourceText.From(NetworkEmitter.Emit(pair.Left, pair.Right), Encoding.UTF8)));

        var orphans = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SpecParser.DenseAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => SpecParser.CheckOrphanLayers(ctx, ct))
            .WithTrackingName(Steps.OrphanLayers);

        context.RegisterSourceOutput(orphans, static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }
}
