using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// NG0020-NG0049: the diagnostics of a network's wiring (layer names, <c>From</c>, the merges <c>[Add]</c> and
/// <c>[Concat]</c>, <c>[Multiply]</c>), part of
/// <see cref="DiagnosticCatalog.All"/>. Each is reported on the attribute that makes the mistake.
/// </summary>
internal static class GraphDiagnostics
{
    /// <summary>
    /// The message of a shape rule's misfit (<c>ShapeResult.Misfit</c>): the layer, then the op unit's own words, so each
    /// rule's text is written once, in its op unit. <c>{0}</c> is the attribute, <c>{1}</c> the layer, <c>{2}</c> the network.
    /// </summary>
    public const string ShapeMisfit = "The [{0}] layer {1} of '{2}' {3}";

    public static readonly DiagnosticDescriptor UnknownLayerName = DiagnosticCatalog.Create(
        "NG0020", "Unknown layer name",
        "Layer {0} of '{1}' reads '{2}', but no layer above it is named '{2}'; name that layer with Name = \"{2}\" (a layer reads only layers above it, so a network has no cycle)",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DuplicateLayerName = DiagnosticCatalog.Create(
        "NG0021", "Duplicate layer name",
        "Layer {0} of '{1}' is named '{2}', like layer {3}; give each layer its own name",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor AddSizeMismatch = DiagnosticCatalog.Create(
        "NG0022", "Add of values of different sizes",
        ShapeMisfit,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnreadLayer = DiagnosticCatalog.Create(
        "NG0023", "A layer's output is never read",
        "Nothing reads the output of layer {0} of '{1}': the layer after it reads another one (From); read it with From or a merge ([Add], [Concat], [Multiply]), or remove it",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor AddOfNothing = DiagnosticCatalog.Create(
        "NG0024", "Add names no layer",
        "The [{0}] layer {1} of '{2}' names no layer; [{0}(\"h1\")] adds layer h1 to the previous layer, [{0}(\"a\", \"b\")] adds a and b",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor LastLayerNotDense = DiagnosticCatalog.Create(
        "NG0025", "The last layer must be dense",
        "The last layer of '{0}' is {1}; end the network with a [Dense] layer, whose outputs the loss reads",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MergeOfNothing = DiagnosticCatalog.Create(
        "NG0026", "Merge names no layer",
        "The [{0}] layer {1} of '{2}' names no layer; [{0}(\"h1\")] merges the previous layer and h1, [{0}(\"a\", \"b\")] merges a and b",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ValueTooLarge = DiagnosticCatalog.Create(
        "NG0027", "Layer value too large",
        "The [{0}] layer {1} of '{2}' would hold {3} values per sample; NetGen supports at most {4} values in one layer",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MultiplySizeMismatch = DiagnosticCatalog.Create(
        "NG0028", "Multiply of values of different sizes",
        ShapeMisfit,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InputsTwice = DiagnosticCatalog.Create(
        "NG0030", "Inputs given twice",
        "'{0}' sets Inputs on [Network] and also has [Input] attributes; remove Inputs: the input vector is the named inputs side by side",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InputSizeNotPositive = DiagnosticCatalog.Create(
        "NG0031", "Input size must be positive",
        "The input '{0}' of '{1}' has size {2}; an input needs at least one value per sample",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InputNameNotUsable = DiagnosticCatalog.Create(
        "NG0032", "Input name cannot be used",
        "The input name '{0}' of '{1}' cannot be used: {2}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InputBelowLayer = DiagnosticCatalog.Create(
        "NG0033", "Input below a layer",
        "The input '{0}' of '{1}' is declared below layer {2}; declare every [Input] above the layers, so the attributes read top to bottom as the diagram",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor AmbiguousInput = DiagnosticCatalog.Create(
        "NG0034", "Layer must name its input",
        "Layer {0} of '{1}' reads the layer above it, which is the input '{2}', but '{1}' has {3} inputs; say which one it reads with From = \"{2}\" (or name the inputs a merge takes)",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnreadInput = DiagnosticCatalog.Create(
        "NG0035", "An input is never read",
        "Nothing reads the input '{0}' of '{1}'; read it with From = \"{0}\" or a merge ([Add], [Concat], [Multiply]), or remove it",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InputsTooLarge = DiagnosticCatalog.Create(
        "NG0036", "Inputs too large",
        "The inputs of '{0}' hold {1} values per sample together; NetGen supports at most {2}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor LayerNormTooSmall = DiagnosticCatalog.Create(
        "NG0040", "Layer norm of a single unit",
        ShapeMisfit,
        DiagnosticSeverity.Error);

    public static DiagnosticDescriptor[] All { get; } = new[]
    {
        UnknownLayerName, DuplicateLayerName, AddSizeMismatch, UnreadLayer, AddOfNothing, LastLayerNotDense, MergeOfNothing, ValueTooLarge,
        MultiplySizeMismatch, InputsTwice, InputSizeNotPositive, InputNameNotUsable, InputBelowLayer, AmbiguousInput, UnreadInput,
        InputsTooLarge, LayerNormTooSmall,
    };
}
