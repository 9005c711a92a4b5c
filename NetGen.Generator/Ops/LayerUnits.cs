using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Ops;

/// <summary>
/// The catalogue of layer units: the one place a layer kind is registered. The parser finds a unit by its attribute's
/// metadata name, NG0012 watches every unit's attribute, and no stage lists kinds anywhere else.
/// </summary>
internal static class LayerUnits
{
    /// <summary>Every layer unit, one line each.</summary>
    public static IReadOnlyList<LayerUnit> All { get; } = new LayerUnit[]
    {
        InputLayer.Instance,
        DenseLayer.Instance,
        DropoutLayer.Instance,
        AddLayer.Instance,
        ConcatLayer.Instance,
        MultiplyLayer.Instance,
        LayerNormLayer.Instance,
    };

    private static readonly Dictionary<string, LayerUnit> ByAttribute = All.ToDictionary(u => u.AttributeName);

    /// <summary>The unit of the attribute with metadata name <paramref name="attributeName"/>, or null for any other attribute.</summary>
    public static LayerUnit? ForAttribute(string? attributeName) =>
        attributeName is not null && ByAttribute.TryGetValue(attributeName, out var unit) ? unit : null;
}
