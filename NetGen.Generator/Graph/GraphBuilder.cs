using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Graph;

/// <summary>
/// Stage 3: turns a validated <see cref="NetworkSpec"/> into its forward computation graph.
/// Dense layer <c>l</c> becomes a linear node <c>zl = Wl · a(l-1) + bl</c> and, unless its
/// activation is the identity, an activation node <c>al = f(zl)</c>; a dropout layer becomes a
/// dropout node over the value before it.
/// </summary>
internal static class GraphBuilder
{
    public static ComputationGraph Build(NetworkSpec spec)
    {
        var nodes = new List<GraphNode>();
        var parameters = new List<ParameterTensor>();
        nodes.Add(new GraphNode(0, OpKind.Input, "x", spec.Inputs, EquatableArray<int>.Empty, 0));

        int offset = 0;
        int previous = 0;
        int lastLinear = 0;
        int dense = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            int position = i + 1;
            if (layer.Kind == LayerKind.Dropout)
            {
                var input = nodes[previous];
                previous = Add(nodes, OpKind.Dropout, input.Name + "Drop", input.Size, previous, position, ActivationKind.Identity, dropoutRate: layer.DropoutRate);
                continue;
            }

            // Tensors and values are numbered by dense layer (W1, b1, z1, a1, W2, ...), as in the notes.
            dense++;
            int fanIn = nodes[previous].Size;
            var weights = new ParameterTensor("W" + dense, offset, layer.Units, fanIn, IsVector: false);
            offset += weights.Length;
            var bias = new ParameterTensor("b" + dense, offset, 1, layer.Units, IsVector: true);
            offset += bias.Length;
            parameters.Add(weights);
            parameters.Add(bias);

            lastLinear = Add(nodes, OpKind.Linear, "z" + dense, layer.Units, previous, position, ActivationKind.Identity, weights, bias);
            previous = lastLinear;
            if (layer.Activation != ActivationKind.Identity)
            {
                previous = Add(nodes, OpKind.Activation, "a" + dense, layer.Units, previous, position, layer.Activation);
            }
        }

        var lastActivation = spec.Layers[spec.Layers.Count - 1].Activation;
        LossNode loss;
        switch (spec.Loss)
        {
            case LossKind.SoftmaxCrossEntropy:
                // Predictions are probabilities either way: with identity logits the graph adds the softmax.
                int prediction = lastActivation == ActivationKind.Softmax
                    ? previous
                    : Add(nodes, OpKind.Activation, "p", nodes[lastLinear].Size, lastLinear, nodes[lastLinear].Layer, ActivationKind.Softmax);
                loss = new LossNode(spec.Loss, lastLinear, prediction, Fused: true);
                break;
            case LossKind.BinaryCrossEntropy:
                loss = new LossNode(spec.Loss, lastLinear, previous, Fused: true);
                break;
            default:
                loss = new LossNode(spec.Loss, previous, previous, Fused: false);
                break;
        }

        return new ComputationGraph(spec, nodes.ToEquatableArray(), loss, parameters.ToEquatableArray());
    }

    private static int Add(List<GraphNode> nodes, OpKind kind, string name, int size, int input, int layer,
        ActivationKind activation, ParameterTensor? weights = null, ParameterTensor? bias = null, double dropoutRate = 0)
    {
        int id = nodes.Count;
        nodes.Add(new GraphNode(id, kind, name, size, new[] { input }.ToEquatableArray(), layer, activation, weights, bias, dropoutRate));
        return id;
    }
}
