using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;
using NetGen.Shared;

namespace NetGen.Generator.Graph;

/// <summary>
/// Stage 3: turns a validated <see cref="NetworkSpec"/> into its forward graph. Dense layer <c>l</c>
/// becomes a linear node <c>zl = Wl · a(l-1) + bl</c> and, unless its activation is the identity, an
/// activation node <c>al = f(zl)</c>; a dropout layer becomes a dropout node over the value before it; an add
/// layer becomes <c>sk = a + b</c>, a concat layer <c>ck = [a | b]</c>, a multiply layer <c>mk = a ⊙ b</c>, a named input <c>xk = x[offset..offset + size)</c>, a layer norm
/// <c>nk = gammak ⊙ x̂ + betak</c>. A layer reads the layer above it unless the spec names its sources.
/// Each node's size and parameters come from its op's shape rule; the parameter layout is laid out
/// here, once, in node order. This is where sizes are checked: a layer whose inputs do not fit its op's shape rule
/// gets the rule's own message on its attribute (NG0022, NG0028, NG0040, ...), a value larger than one span allows
/// NG0027, and a network with too many parameters NG0010; a rule refusing what the wiring guarantees is a bug (NG0017).
/// </summary>
internal static class GraphBuilder
{
    public static StageResult<ForwardGraph> Build(NetworkSpec spec) =>
        StageResult<ForwardGraph>.RunChecked(spec.TypeName, () =>
        {
            var diagnostics = new List<DiagnosticInfo>();
            var graph = Build(spec, diagnostics);
            return graph is null
                ? StageResult<ForwardGraph>.Rejected(spec.TypeName, diagnostics)
                : new StageResult<ForwardGraph>(spec.TypeName, graph, EquatableArray<DiagnosticInfo>.Empty);
        });

    /// <summary>The graph, or null with the misfits in <paramref name="diagnostics"/>.</summary>
    private static ForwardGraph? Build(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var builder = new Builder(spec, diagnostics);
        int previous = builder.Add("x", new InputOp(spec.Inputs));

        // The node that holds each layer's output, by layer index (0: the input), for layers that read others.
        var outputs = new List<int> { previous };
        var layers = new List<LayerInfo>();
        int lastLinear = -1;
        int dense = 0;
        int adds = 0;
        int concats = 0;
        int products = 0;
        int namedInputs = 0;
        int norms = 0;
        int inputOffset = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            int index = i + 1;
            int first = builder.Count;
            var sources = layer.Sources.Count > 0 ? layer.Sources : new[] { i }.ToEquatableArray();
            if (sources.Any(s => outputs[s] < 0))
            {
                // It reads a layer that did not fit: that layer's diagnostic says what to fix.
                outputs.Add(-1);
                continue;
            }

            builder.Layer = (layer, index, sources);
            int input = outputs[sources[0]];
            int inputSize = builder.Nodes[input].Size;
            switch (layer.Kind)
            {
                case LayerKind.Dropout:
                    previous = builder.Add(builder.Nodes[input].Name + "Drop", new DropoutOp(layer.DropoutRate, index), new[] { input });
                    layers.Add(new LayerInfo(index, layer.Kind, inputSize, inputSize, ActivationKind.Identity, layer.DropoutRate, first, previous, layer.Sources));
                    break;
                case LayerKind.Dense:
                    // Tensors and values are numbered by dense layer (W1, b1, z1, a1, W2, ...), as in the notes.
                    dense++;
                    string number = dense.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    lastLinear = builder.Add("z" + number, new LinearOp(layer.Units, NetworkRules.InitializerFor(layer.Activation)), new[] { input }, number);
                    previous = lastLinear;
                    if (previous >= 0 && Activations.For(layer.Activation) is { } activation)
                    {
                        previous = builder.Add("a" + number, activation, new[] { previous });
                    }

                    layers.Add(new LayerInfo(index, layer.Kind, inputSize, layer.Units, layer.Activation, 0, first, lastLinear, layer.Sources));
                    break;
                case LayerKind.Add:
                    // s1 = a2 + a1: a residual connection; the values it adds are numbered by add layer.
                    adds++;
                    previous = builder.Add("s" + adds.ToString(System.Globalization.CultureInfo.InvariantCulture), AddOp.Instance, sources.Select(s => outputs[s]).ToArray());
                    layers.Add(new LayerInfo(index, layer.Kind, inputSize, inputSize, ActivationKind.Identity, 0, first, previous, layer.Sources));
                    break;
                case LayerKind.Concat:
                {
                    // c1 = [a2 | a1]: numbered by concat layer.
                    concats++;
                    var parts = sources.Select(s => outputs[s]).ToArray();
                    var op = new ConcatOp(parts.Select(p => builder.Nodes[p].Size).ToEquatableArray());
                    previous = builder.Add("c" + concats.ToString(System.Globalization.CultureInfo.InvariantCulture), op, parts);
                    int size = previous >= 0 ? builder.Nodes[previous].Size : 0;
                    layers.Add(new LayerInfo(index, layer.Kind, size, size, ActivationKind.Identity, 0, first, previous, layer.Sources));
                    break;
                }

                case LayerKind.Input:
                {
                    // x1 = x[0..784): the named inputs are numbered like the notes' x1, x2, and read where they are.
                    namedInputs++;
                    var op = new InputBlockOp(layer.InputName!, inputOffset, layer.Units);
                    previous = builder.Add("x" + namedInputs.ToString(System.Globalization.CultureInfo.InvariantCulture), op, new[] { 0 });
                    inputOffset += layer.Units;
                    layers.Add(new LayerInfo(index, layer.Kind, spec.Inputs, layer.Units, ActivationKind.Identity, 0, first, previous, layer.Sources));
                    break;
                }

                case LayerKind.LayerNorm:
                {
                    // n1 = gamma1 ⊙ x̂ + beta1: numbered by layer norm, like its parameters.
                    norms++;
                    string normNumber = norms.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    previous = builder.Add("n" + normNumber, new LayerNormOp(inputSize), new[] { input }, normNumber);
                    layers.Add(new LayerInfo(index, layer.Kind, inputSize, inputSize, ActivationKind.Identity, 0, first, previous, layer.Sources));
                    break;
                }

                case LayerKind.Multiply:
                    // m1 = a2 ⊙ a1: numbered by multiply layer.
                    products++;
                    previous = builder.Add("m" + products.ToString(System.Globalization.CultureInfo.InvariantCulture), MultiplyOp.Instance, sources.Select(s => outputs[s]).ToArray());
                    layers.Add(new LayerInfo(index, layer.Kind, inputSize, inputSize, ActivationKind.Identity, 0, first, previous, layer.Sources));
                    break;
                default:
                    throw new GeneratorBugException("no graph for layer kind " + layer.Kind);
            }

            if (builder.TooLarge)
            {
                return null;
            }

            outputs.Add(previous); // -1 when the layer did not fit
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        builder.Layer = null;

        var loss = LossOp.For(spec.Loss);
        LossAttachment attachment;
        if (loss.ReadsLogits)
        {
            // Predictions are probabilities either way: with identity logits the graph adds the activation.
            int prediction = builder.Nodes[previous].Op == loss.PredictionActivation
                ? previous
                : builder.Add("p", loss.PredictionActivation!, new[] { lastLinear });
            attachment = new LossAttachment(loss, lastLinear, prediction);
        }
        else
        {
            attachment = new LossAttachment(loss, previous, previous);
        }

        return new ForwardGraph(spec.Namespace, spec.TypeName, spec.HintName, spec.Precision, builder.Nodes.ToEquatableArray(), attachment,
            builder.Parameters.ToEquatableArray(), layers.ToEquatableArray());
    }

    private sealed class Builder
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

        /// <summary>The layer whose nodes are being added (its first node reads <c>Sources</c>), or null outside layers.</summary>
        public (LayerSpec Spec, int Index, EquatableArray<int> Sources)? Layer
        {
            get => _layer;
            set
            {
                _layer = value;
                _layerStart = Nodes.Count;
            }
        }

        /// <summary>True once the parameters passed the limit (NG0010 is reported, and nothing more is built).</summary>
        public bool TooLarge { get; private set; }

        /// <summary>
        /// Adds a node of <paramref name="op"/> reading <paramref name="inputs"/>; its parameters are named role + <paramref name="number"/>.
        /// Returns its ID, or -1 when its inputs do not fit the op (reported on the layer's attribute).
        /// </summary>
        public int Add(string name, Op op, int[]? inputs = null, string number = "")
        {
            inputs ??= System.Array.Empty<int>();
            var sizes = inputs.Select(i => Nodes[i].Size).ToArray();
            var shape = op.Shape(new Operands(sizes, Labels(inputs)));
            if (shape.Error is not null)
            {
                if (shape.Misuse is null || Layer is not { } misfit)
                {
                    throw new GeneratorBugException(name + ": " + shape.Error);
                }

                Report(shape.Misuse, misfit.Spec.Location, misfit.Spec.Kind, misfit.Index, _spec.TypeName, shape.Error);
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

            if (shape.Size > NetworkRules.MaxParameters && Layer is { } layer)
            {
                Report(GraphDiagnostics.ValueTooLarge, layer.Spec.Location, layer.Spec.Kind, layer.Index, _spec.TypeName, shape.Size, NetworkRules.MaxParameters);
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
        private string[] Labels(int[] inputs) =>
            _layer is { } layer && Nodes.Count == _layerStart && layer.Sources.Count == inputs.Length
                ? layer.Sources.Select(Label).ToArray()
                : inputs.Select(i => Nodes[i].Name).ToArray();

        private string Label(int source) =>
            source == 0 ? "the input" : _spec.Layers[source - 1].Name is { } name ? "'" + name + "'" : "layer " + source;

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
    }
}
