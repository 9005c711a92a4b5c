using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;
using NetGen.Shared;

namespace NetGen.Generator.Graph;

/// <summary>
/// Stage 3: turns a validated <see cref="NetworkSpec"/> into its forward graph. Each layer's unit adds its nodes (a dense
/// layer <c>zl = Wl · a + bl</c> and <c>al = f(zl)</c>, an add <c>sk = a + b</c>, ...), numbered among the layers of its
/// unit; a layer reads the layer above it unless the spec names its sources. Each node's size and parameters come from
/// its op's shape rule; the parameter layout is laid out here, once, in node order. This is where sizes are checked: a
/// layer whose inputs do not fit its op's shape rule gets the rule's own message on its attribute (NG0022, NG0028,
/// NG0040, ...), a value larger than one span allows NG0027, and a network with too many parameters NG0010; a rule refusing
/// what the wiring guarantees is a bug (NG0017). What needs the backward graph too (the generated members' names, NG0018;
/// one sample's workspace region, NG0019) is checked by the derive stage, which derives it once.
/// </summary>
internal static class GraphBuilder
{
    public static StageResult<LocatedGraph> Build(NetworkSpec spec) =>
        StageResult<LocatedGraph>.RunChecked(spec.TypeName, () =>
        {
            var diagnostics = new List<DiagnosticInfo>();
            var graph = Build(spec, diagnostics);
            return graph is null
                ? StageResult<LocatedGraph>.Rejected(spec.TypeName, diagnostics)
                : new StageResult<LocatedGraph>(spec.TypeName, new LocatedGraph(graph, spec.Location), EquatableArray<DiagnosticInfo>.Empty);
        });

    /// <summary>The graph, or null with the misfits in <paramref name="diagnostics"/>.</summary>
    private static ForwardGraph? Build(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var builder = new Builder(spec, diagnostics);
        int previous = builder.Add("x", new InputOp(spec.Inputs), System.Array.Empty<int>());

        // The node that holds each layer's output, by layer index (0: the input), for layers that read others.
        var outputs = new List<int> { previous };
        var layers = new List<LayerInfo>();
        var counts = new Dictionary<LayerUnit, int>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var sources = layer.Sources.Count > 0 ? layer.Sources : new[] { i }.ToEquatableArray();
            if (sources.Any(s => outputs[s] < 0))
            {
                // It reads a layer that did not fit: that layer's diagnostic says what to fix.
                outputs.Add(-1);
                continue;
            }

            counts[layer.Unit] = counts.TryGetValue(layer.Unit, out int count) ? count + 1 : 1;
            int first = builder.Count;
            builder.StartLayer(layer, i + 1, sources, counts[layer.Unit]);
            var built = layer.Unit.Build(builder, layer, sources.Select(s => outputs[s]).ToList());
            if (builder.TooLarge)
            {
                return null;
            }

            if (built.Output >= 0)
            {
                layers.Add(new LayerInfo(i + 1, layer with { Location = null }, built.InputSize, builder.Nodes[built.Output].Size, first, built.Main));
            }

            outputs.Add(built.Output); // -1 when the layer did not fit
            previous = built.Output;
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        builder.EndLayers();
        var loss = LossOp.For(spec.Loss);
        LossAttachment attachment;
        if (loss.ReadsLogits)
        {
            // The logits are the last layer's linear node (the parser has checked that a dense layer ends the network).
            int logits = layers[layers.Count - 1].MainNode;
            if (builder.Nodes[logits].Op is not LinearOp)
            {
                throw new GeneratorBugException("the loss reads logits, but the last layer's value " + builder.Nodes[logits].Name + " is not a dense layer's");
            }

            // Predictions are probabilities either way: with identity logits the graph adds the activation.
            int prediction = builder.Nodes[previous].Op == loss.PredictionActivation
                ? previous
                : builder.Add("p", loss.PredictionActivation!, new[] { logits });
            attachment = new LossAttachment(loss, logits, prediction);
        }
        else
        {
            attachment = new LossAttachment(loss, previous, previous);
        }

        return new ForwardGraph(spec.Namespace, spec.TypeName, spec.HintName, spec.Precision, builder.Nodes.ToEquatableArray(), attachment,
            builder.Parameters.ToEquatableArray(), layers.ToEquatableArray());
    }

    private sealed class Builder : ILayerBuilder
    {
        private readonly NetworkSpec _spec;
        private readonly List<DiagnosticInfo> _diagnostics;
        private long _offset;
        private (LayerSpec Spec, int Index, EquatableArray<int> Sources)? _layer;
        private int _layerStart;

        public Builder(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
        {
            _spec = spec;
            _diagnostics = diagnostics;
        }

        public List<GraphNode> Nodes { get; } = new();

        public List<ParameterSlot> Parameters { get; } = new();

        public int Count => Nodes.Count;

        public string Number { get; private set; } = string.Empty;

        public int Index => _layer?.Index ?? 0;

        public IReadOnlyList<LayerSpec> Above => _spec.Layers.Take(Index - 1).ToList();

        /// <summary>Starts adding the nodes of layer <paramref name="index"/> (its first node reads <paramref name="sources"/>), the <paramref name="number"/>th of its unit.</summary>
        public void StartLayer(LayerSpec layer, int index, EquatableArray<int> sources, int number)
        {
            _layer = (layer, index, sources);
            _layerStart = Nodes.Count;
            Number = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The nodes added from now on (the loss's) belong to no layer.</summary>
        public void EndLayers() => _layer = null;

        public string Name(int node) => Nodes[node].Name;

        public int Size(int node) => Nodes[node].Size;

        /// <summary>True once the parameters passed the limit (NG0010 is reported, and nothing more is built).</summary>
        public bool TooLarge { get; private set; }

        /// <summary>
        /// Adds a node of <paramref name="op"/> reading <paramref name="inputs"/>; its parameters are named role + <paramref name="number"/>.
        /// Returns its ID, or -1 when its inputs do not fit the op (reported on the layer's attribute).
        /// </summary>
        public int Add(string name, Op op, IReadOnlyList<int> inputs, string number = "")
        {
            var sizes = inputs.Select(i => Nodes[i].Size).ToArray();
            var shape = op.Shape(new Operands(sizes, Labels(inputs)));
            if (shape.Error is not null)
            {
                if (shape.Misuse is null || _layer is not { } misfit)
                {
                    throw new GeneratorBugException(name + ": " + shape.Error);
                }

                Report(shape.Misuse, misfit.Spec.Location, misfit.Spec.Unit.Kind, misfit.Index, _spec.TypeName, shape.Error);
                return -1;
            }

            // The parameters, counted before any is laid out: past the limit, offsets would not fit an int.
            var shapes = op.Parameters(sizes);
            long total = _offset + shapes.Sum(p => (long)p.Rows * p.Columns);
            if (total > NetworkRules.MaxParameters)
            {
                // The count stops at the first layer past the limit, so the message says "more than".
                Report(DiagnosticCatalog.NetworkTooLarge, _spec.Location, _spec.TypeName,
                    "more than " + NetworkRules.MaxParameters.ToString(System.Globalization.CultureInfo.InvariantCulture), NetworkRules.MaxParameters);
                TooLarge = true;
                return -1;
            }

            if (shape.Size > NetworkRules.MaxParameters && _layer is { } layer)
            {
                Report(GraphDiagnostics.ValueTooLarge, layer.Spec.Location, layer.Spec.Unit.Kind, layer.Index, _spec.TypeName, shape.Size, NetworkRules.MaxParameters);
                return -1;
            }

            var slots = new List<ParameterSlot>();
            foreach (var parameter in shapes)
            {
                var slot = new ParameterSlot(parameter.Role + number, (int)_offset, parameter.Rows, parameter.Columns, parameter.IsVector, parameter.Initializer);
                _offset += slot.Length;
                slots.Add(slot);
                Parameters.Add(slot);
            }

            int id = Nodes.Count;
            Nodes.Add(new GraphNode(id, name, op, checked((int)shape.Size), inputs.ToEquatableArray(), slots.ToEquatableArray()));
            return id;
        }

        /// <summary>
        /// How messages name the inputs: a layer's first node names the layers it reads as its attribute does (<c>'h1'</c>,
        /// <c>layer 2</c>, <c>the input</c>); a node inside a layer names its values.
        /// </summary>
        private string[] Labels(IReadOnlyList<int> inputs) =>
            _layer is { } layer && Nodes.Count == _layerStart && layer.Sources.Count == inputs.Count
                ? layer.Sources.Select(Label).ToArray()
                : inputs.Select(i => Nodes[i].Name).ToArray();

        private string Label(int source) =>
            source == 0 ? "the input" : _spec.Layers[source - 1].Name is { } name ? "'" + name + "'" : "layer " + source;

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
    }
}
