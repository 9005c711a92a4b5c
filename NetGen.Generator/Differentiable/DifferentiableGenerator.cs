using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Differentiable;

/// <summary>
/// The [Differentiable] generator: for every static method marked [Differentiable], emits a companion
/// <c>FGradient</c> returning the value and every partial derivative. Pipeline: find
/// (ForAttributeWithMetadataName) → parse (equatable expression graph + diagnostics) → derive (reverse mode)
/// → emit. Each stage is tracked by name for caching tests.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (see <c>GeneratorDriverRunResult.TrackedSteps</c>).</summary>
    public static class Steps
    {
        /// <summary>The expression graph and diagnostics of each method.</summary>
        public const string Parse = "NetGen.Differentiable.Parse";

        /// <summary>The forward and backward statements of each supported method.</summary>
        public const string Derive = "NetGen.Differentiable.Derive";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                FunctionParser.AttributeName,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                static (ctx, ct) => FunctionParser.Parse(ctx, ct))
            .WithTrackingName(Steps.Parse);

        context.RegisterSourceOutput(parsed.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var programs = parsed
            .Where(static r => r.Function is not null)
            .Select(static (r, _) => ReverseMode.Derive(r.Function!))
            .WithTrackingName(Steps.Derive);

        context.RegisterSourceOutput(programs, static (spc, program) =>
            spc.AddSource(program.Function.HintName, SourceText.From(GradientEmitter.Emit(program), Encoding.UTF8)));
    }
}
