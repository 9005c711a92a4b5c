using System.Collections.Generic;
using System.Linq;
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
/// here, once, in node order.
/// </summary>
internal static class GraphBuilder
{
    public static ForwardGraph Build(NetworkSpec spec)
    {
        var builder = new Builder();
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
                    if (Activations.For(layer.Activation) is { } activation)
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
                    int size = builder.Nodes[previous].Size;
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

            outputs.Add(previous);
        }

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
        private int _offset;

        public List<GraphNode> Nodes { get; } = new();

        public List<ParameterSlot> Parameters { get; } = new();

        public int Count => Nodes.Count;

        /// <summary>Adds a node of <paramref name="op"/> reading <paramref name="inputs"/>; its parameters are named role + <paramref name="number"/>.</summary>
        public int Add(string name, Op op, int[]? inputs = null, string number = "")
        {
            inputs ??= System.Array.Empty<int>();
            var sizes = inputs.Select(i => Nodes[i].Size).ToArray();
            var shape = op.Shape(sizes);
            if (shape.Error is not null)
            {
                // The parser has already checked every size a layer attribute can get wrong.
                throw new GeneratorBugException(name + ": " + shape.Error);
            }

            var slots = new List<ParameterSlot>();
            foreach (var parameter in op.Parameters(sizes))
            {
                var slot = new ParameterSlot(parameter.Role + number, _offset, parameter.Rows, parameter.Columns, parameter.IsVector, parameter.Initializer);
                _offset += slot.Length;
                slots.Add(slot);
                Parameters.Add(slot);
            }

            int id = Nodes.Count;
            Nodes.Add(new GraphNode(id, name, op, shape.Size, inputs.ToEquatableArray(), slots.ToEquatableArray()));
            return id;
        }
    }
}
