using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. IDs are stable: never reuse or renumber one. Each is listed
/// in AnalyzerReleases.*.md and documented in docs/diagnostics.md (the help link).
/// </summary>
internal static class DiagnosticCatalog
{
    private const string Category = "NetGen";
    private const string HelpBase = "https://github.com/netgen/netgen/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "NG0001", "Network class must be partial",
        "The network class '{0}' must be declared 'partial' so NetGen can add the generated forward and backward code to it",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NoLayers = Create(
        "NG0002", "Network has no layers",
        "The network '{0}' has no layers; add at least one [Dense(units, activation)] attribute below [Network]",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InputsNotPositive = Create(
        "NG0003", "Network inputs must be positive",
        "The network '{0}' has Inputs = {1}; set Inputs to the number of features of one sample (a positive number)",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnitsNotPositive = Create(
        "NG0004", "Layer units must be positive",
        "Layer {0} of '{1}' has {2} units; a dense layer needs at least one unit",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Create(
        "NG0005", "Softmax is allowed on the last layer only",
        "Layer {0} of '{1}' uses Softmax, but only the last layer may; use another activation for hidden layers",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor LossDoesNotFitOutput = Create(
        "NG0006", "Loss does not fit the output layer",
        "The loss {0} of '{1}' does not fit its last layer's {2} activation: {3}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NestedType = Create(
        "NG0007", "Network class cannot be nested",
        "The network class '{0}' is nested in '{1}'; declare it directly in a namespace",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GenericType = Create(
        "NG0008", "Network class cannot be generic",
        "The network class '{0}' is generic; the element type is chosen with Precision, so remove the type parameters",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnknownEnumValue = Create(
        "NG0009", "Unknown enum value",
        "{0} = {1} is not a defined {2} value; use one of: {3}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NetworkTooLarge = Create(
        "NG0010", "Network is too large",
        "The network '{0}' would have {1} parameters; NetGen supports at most {2} in one network",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedTypeKind = Create(
        "NG0011", "Network must be a plain class",
        "The network '{0}' is declared as {1}; declare it as a non-static 'partial class'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor LayerWithoutNetwork = Create(
        "NG0012", "Layer attributes without [Network]",
        "The class '{0}' has layer attributes but no [Network] attribute, so no code is generated for it; add [Network(Inputs = ..., Loss = ...)]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor TooFewClasses = Create(
        "NG0013", "Softmax needs at least two outputs",
        "The network '{0}' uses {1} with {2} output; a softmax over one output is always 1, so use at least two outputs or BinaryCrossEntropy with a Sigmoid output",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnreadableAttribute = Create(
        "NG0014", "Attribute arguments cannot be read",
        "The arguments of this [{0}] attribute cannot be read; fix the compiler errors on it so NetGen can generate '{1}'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Create(
        "NG0015", "Dropout rate out of range",
        "Dropout layer {0} of '{1}' has rate {2}; the rate is the probability of dropping a unit and must be at least 0 and less than 1",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DropoutLast = Create(
        "NG0016", "Dropout cannot be the last layer",
        "Dropout layer {0} is the last layer of '{1}'; dropout regularizes hidden units, so put it between dense layers",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GeneratorBug = Create(
        "NG0017", "NetGen could not generate the network",
        "NetGen could not generate '{0}' because of a bug in NetGen itself: {1}. No code was generated for it; please report this message.",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NameTakenByGeneratedMember = Create(
        "NG0018", "Network class named like a generated member",
        "The network class '{0}' has the name of a member NetGen generates in it; C# does not allow a member named like its class, so rename the class",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor WorkspaceTooLarge = Create(
        "NG0019", "Network workspace too large",
        "The network '{0}' would need {1} numbers per sample for its layers' values, dropout masks and gradients; one sample's workspace holds at most {2} (the largest .NET array less the values before its first cache line), so use fewer or smaller layers",
        DiagnosticSeverity.Error);

    /// <summary>All descriptors, in ID order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        NotPartial, NoLayers, InputsNotPositive, UnitsNotPositive, SoftmaxNotLast, LossDoesNotFitOutput,
        NestedType, GenericType, UnknownEnumValue, NetworkTooLarge, UnsupportedTypeKind, LayerWithoutNetwork,
        TooFewClasses, UnreadableAttribute, DropoutRateOutOfRange, DropoutLast, GeneratorBug, NameTakenByGeneratedMember,
        WorkspaceTooLarge,
    }.Concat(GraphDiagnostics.All).Concat(DifferentiableDiagnostics.All).ToArray();

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor Get(string id) => ById[id];

    internal static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: HelpBase + id.ToLowerInvariant());
}
