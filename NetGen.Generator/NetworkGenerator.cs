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
using NetGen.Generator.Planning;

namespace NetGen.Generator;

/// <summary>
/// The NetGen incremental generator: for every class marked [Network], emits a specialized
/// forward and backward pass. Pipeline: find (ForAttributeWithMetadataName) → parse (equatable
/// spec + diagnostics) → graph → derive → plan → emit. Each stage is tracked by name for caching tests.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (see <c>GeneratorDriverRunResult.TrackedSteps</c>).</summary>
    public static class Steps
    {
        /// <summary>The parsed spec and diagnostics of each network.</summary>
        public const string Parse = "NetGen.Parse";

        /// <summary>The forward graph of each network whose layers fit, with its <c>[Network]</c> attribute's location.</summary>
        public const string Graph = "NetGen.Graph";

        /// <summary>The forward and backward graphs of each valid network (the backward graph derived here, once).</summary>
        public const string Derive = "NetGen.Derive";

        /// <summary>The plan of each network: layout, strategy, names (joins the unroll threshold).</summary>
        public const string Plan = "NetGen.Plan";

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
            .Select(static (graph, _) => graph.ThenChecked(Deriver.BuildModel))
            .WithTrackingName(Steps.Derive);

        var plans = models
            .Combine(unrollThreshold)
            .Select(static (pair, _) => pair.Left.Then(model => Planner.Plan(model, pair.Right)))
            .WithTrackingName(Steps.Plan);

        context.RegisterSourceOutput(plans, static (spc, plan) =>
        {
            var source = plan.Then(static p => NetworkEmitter.Emit(p));
            if (source.Value is null)
            {
                // A shape misfit found by the graph stage (on its attribute), NG0018 or NG0019 from the derive stage (on [Network]), or NG0017.
                foreach (var diagnostic in source.Diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                return;
            }

            spc.AddSource(plan.Value!.HintName, SourceText.From(source.Value!, Encoding.UTF8));
        });

        // NG0012 watches every layer attribute: one provider per attribute (ForAttributeWithMetadataName takes one name).
        foreach (string layerAttribute in SpecParser.LayerAttributeNames)
        {
            var orphans = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    layerAttribute,
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
}
