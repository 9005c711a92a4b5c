using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Parsing;

/// <summary>
/// One layer attribute as its unit reads it (<see cref="LayerUnit.Read"/>): its constructor arguments as plain constants,
/// and where to report. An attribute that does not bind or has syntax errors is <c>broken</c>: the parser has reported
/// NG0014 on it, so its unit sees no argument and reports nothing more, returning its placeholder.
/// </summary>
internal sealed class LayerReader : ILayerReader
{
    private readonly AttributeData _attribute;
    private readonly LocationInfo? _location;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly bool _broken;

    public LayerReader(AttributeData attribute, string network, int index, IReadOnlyList<LayerSpec> above, LocationInfo? location,
        List<DiagnosticInfo> diagnostics, bool broken)
    {
        _attribute = attribute;
        _location = location;
        _diagnostics = diagnostics;
        _broken = broken;
        Network = network;
        Index = index;
        Above = above;
    }

    public string Network { get; }

    public int Index { get; }

    public IReadOnlyList<LayerSpec> Above { get; }

    public int ArgumentCount => _broken ? 0 : _attribute.ConstructorArguments.Length;

    public object? Argument(int index) =>
        _broken || index >= _attribute.ConstructorArguments.Length || _attribute.ConstructorArguments[index].Kind == TypedConstantKind.Array
            ? null
            : _attribute.ConstructorArguments[index].Value;

    public void Report(DiagnosticDescriptor descriptor, params object[] messageArgs)
    {
        if (!_broken)
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, _location, messageArgs));
        }
    }

    public LayerSpec Unreadable(LayerSpec placeholder)
    {
        Report(DiagnosticCatalog.UnreadableAttribute, placeholder.Unit.Kind, Network);
        return placeholder;
    }

    public bool IsActivation(int value) => SpecParser.CheckEnum<ActivationKind>(value, "Activation", _location, _diagnostics);
}
