using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Parsing;

/// <summary>
/// How one layer attribute wires into the graph: its <c>Name</c>, the layer it reads (<c>From</c>), and for
/// a merge (<c>[Add]</c>, <c>[Concat]</c>, <c>[Multiply]</c>) the layers it merges; a named input (<c>[Input]</c>) is
/// named like a layer and read like one. <see cref="Resolve"/> turns the names into layer indices, once every
/// attribute has been read, and reports each wiring mistake on the attribute that makes it. A layer can read
/// only layers above it, so a network cannot have a cycle.
/// </summary>
internal sealed class GraphWiring
{
    private GraphWiring(string? name, string? from, string[]? operands, bool readable, bool isInput = false)
    {
        IsInput = isInput;
        Name = name;
        From = from;
        Operands = operands;
        Readable = readable;
    }

    public string? Name { get; }

    public string? From { get; }

    /// <summary>The names a merge (<c>[Add]</c>, <c>[Concat]</c>, <c>[Multiply]</c>) lists; null for other layers.</summary>
    public string[]? Operands { get; }

    /// <summary>False when a name could not be read as a string (a half-typed argument).</summary>
    public bool Readable { get; }

    /// <summary>True for a named input (<c>[Input("image", 784)]</c>), which reads the input vector and is named by its first argument.</summary>
    public bool IsInput { get; }

    /// <summary>True when the layer takes part in anything but a plain chain.</summary>
    public bool IsGraph => Name is not null || From is not null || Operands is not null || IsInput;

    /// <summary>The wiring of a named input: its name, and the input vector as its source.</summary>
    public static GraphWiring ForInput(string? name) => new(name, null, null, name is not null, isInput: true);

    /// <summary>Reads the wiring arguments of <paramref name="attribute"/>, whose unit is <paramref name="unit"/> (a merge also lists the layers it merges).</summary>
    public static GraphWiring Read(AttributeData attribute, LayerUnit unit)
    {
        string? name = null, from = null;
        bool readable = true;
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Name":
                    name = argument.Value.Value as string;
                    readable &= name is not null;
                    break;
                case "From":
                    from = argument.Value.Value as string;
                    readable &= from is not null;
                    break;
            }
        }

        string[]? operands = null;
        if (unit.IsMerge)
        {
            operands = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
                ? attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).ToArray()
                : new string[0];
            readable &= operands.All(a => a.Length > 0);
        }

        return new GraphWiring(name, from, operands, readable);
    }

    /// <summary>
    /// Resolves names to layer indices (0 is the network input) and stores them in each layer's
    /// <see cref="LayerSpec.Sources"/>; reports unknown and duplicate names (NG0020, NG0021), layers nothing reads (NG0023),
    /// an add or another merge of nothing (NG0024, NG0026), a network that does not end in a dense layer (NG0025), a layer that
    /// reads one of several inputs without naming it (NG0034) and an input nothing reads (NG0035). A chain (no names
    /// at all) is left as it is. Sizes are not checked here: the graph stage applies each op unit's shape rule. Returns
    /// false on any error.
    /// </summary>
    public static bool Resolve(string network, List<LayerSpec> layers, List<GraphWiring> wiring, List<LocationInfo?> locations, List<DiagnosticInfo> diagnostics)
    {
        // A chain is left as it is, unless a layer that cannot end a network ends it (NG0025).
        if (!wiring.Any(w => w.IsGraph) && EndsNetwork(layers[layers.Count - 1]))
        {
            return true;
        }

        int errors = diagnostics.Count;
        int namedInputs = layers.Count(l => l.Unit.IsInput);
        var byName = new Dictionary<string, int>(System.StringComparer.Ordinal);

        // A layer whose own wiring failed is not also reported as unread: its reader is not the mistake.
        var failed = new bool[layers.Count + 1];
        var read = new bool[layers.Count + 1];
        for (int i = 0; i < layers.Count; i++)
        {
            int index = i + 1;
            var layer = layers[i];
            var w = wiring[i];
            var location = locations[i];
            if (layer.Unit.IsInput)
            {
                // A named input reads the input vector (its sources are set), and is named like a layer.
                Claim(w.Name!, index, location, byName, network, diagnostics);
                read[0] = true;
                continue;
            }

            var names = w.Operands is { } operands ? (operands.Length == 1 ? new[] { (string?)null, operands[0] } : operands.Select(a => (string?)a).ToArray())
                : new[] { w.From };
            if (w.Operands is { Length: 0 })
            {
                diagnostics.Add(DiagnosticInfo.Create(layer.Unit.NothingToMerge, location, layer.Unit.Kind, index, network));
                read[index - 1] = true; // it meant to merge the layer above: that layer is not the mistake
                failed[index] = true;
                continue;
            }

            var sources = new List<int>();
            foreach (string? source in names)
            {
                if (source is null)
                {
                    if (namedInputs > 1 && index >= 2 && layers[index - 2].Unit.IsInput)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(GraphDiagnostics.AmbiguousInput, location, index, network, wiring[index - 2].Name ?? string.Empty, namedInputs));
                    }

                    sources.Add(index - 1);
                }
                else if (byName.TryGetValue(source, out int found))
                {
                    sources.Add(found);
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(GraphDiagnostics.UnknownLayerName, location, index, network, source));
                    sources.Add(-1);
                }
            }

            if (w.Name is { } own)
            {
                Claim(own, index, location, byName, network, diagnostics);
            }

            foreach (int source in sources.Where(s => s >= 0))
            {
                read[source] = true;
            }

            if (sources.Any(s => s < 0 || failed[s]))
            {
                failed[index] = true;
                continue;
            }

            layers[i] = layer with { Sources = sources.ToEquatableArray() };
        }

        for (int i = 1; i < layers.Count; i++)
        {
            if (!read[i] && !failed[i])
            {
                diagnostics.Add(layers[i - 1].Unit.IsInput
                    ? DiagnosticInfo.Create(GraphDiagnostics.UnreadInput, locations[i - 1], wiring[i - 1].Name ?? string.Empty, network)
                    : DiagnosticInfo.Create(GraphDiagnostics.UnreadLayer, locations[i - 1], i, network));
            }
        }

        if (!EndsNetwork(layers[layers.Count - 1]))
        {
            string last = layers[layers.Count - 1].Unit.Kind;
            diagnostics.Add(DiagnosticInfo.Create(GraphDiagnostics.LastLayerNotDense, locations[layers.Count - 1], network,
                ("AEIOU".IndexOf(last[0]) >= 0 ? "an [" : "a [") + last + "]"));
        }

        return diagnostics.Count == errors;
    }

    /// <summary>
    /// The loss reads a dense layer's outputs, so only a dense layer ends a network (a dropout there is NG0016, reported
    /// by the parser with its own advice).
    /// </summary>
    private static bool EndsNetwork(LayerSpec last) => last.Unit == DenseLayer.Instance || last.Unit == DropoutLayer.Instance;

    /// <summary>Gives <paramref name="name"/> to layer <paramref name="index"/>, or reports NG0021 when a layer above has it.</summary>
    private static void Claim(string name, int index, LocationInfo? location, Dictionary<string, int> byName, string network, List<DiagnosticInfo> diagnostics)
    {
        if (byName.TryGetValue(name, out int taken))
        {
            diagnostics.Add(DiagnosticInfo.Create(GraphDiagnostics.DuplicateLayerName, location, index, network, name, taken));
        }
        else
        {
            byName[name] = index;
        }
    }

    private static string Describe(int source, List<GraphWiring> wiring) =>
        source == 0 ? "the input" : wiring[source - 1].Name is { } name ? "'" + name + "'" : "layer " + source;
}
