using System.Numerics;
using System.Numerics.Tensors;
using NetGen.Layers;
using NetGen.Shared;

namespace NetGen.Graph;

/// <summary>
/// The computation graph of a whole network, built from its <see cref="NetworkDescription"/> by
/// <see cref="Build"/>: the same layers, activations, dropout and loss as the generated class, over a flat
/// parameter buffer and a flat gradient buffer of the generated layout (<see cref="NetworkDescription.Tensors"/>),
/// so gradients compare element by element.
/// </summary>
/// <typeparam name="T">The element type; it need not match <see cref="NetworkDescription.Precision"/>
/// (a double graph of a float network is a reference for it).</typeparam>
public sealed class NetworkGraph<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private NetworkGraph(NetworkDescription description, ComputationGraph<T> graph, T[] parameters, T[] gradient,
        Node<T> input, Node<T> target, Node<T> prediction, Node<T> loss, IReadOnlyList<Node<T>> parameterNodes)
    {
        Description = description;
        Graph = graph;
        Parameters = parameters;
        Gradient = gradient;
        Input = input;
        Target = target;
        Prediction = prediction;
        Loss = loss;
        ParameterNodes = parameterNodes;
    }

    /// <summary>The network the graph was built from.</summary>
    public NetworkDescription Description { get; }

    /// <summary>The graph itself: its nodes can be inspected after a pass.</summary>
    public ComputationGraph<T> Graph { get; }

    /// <summary>The flat parameter buffer the parameter nodes read (not copied: changes are seen by the next pass).</summary>
    public T[] Parameters { get; }

    /// <summary>The flat gradient buffer the parameter nodes accumulate into (see <see cref="ForwardBackward"/>).</summary>
    public T[] Gradient { get; }

    /// <summary>The batched input node (<c>x</c>, one sample per row).</summary>
    public Node<T> Input { get; }

    /// <summary>The batched target node (<c>t</c>).</summary>
    public Node<T> Target { get; }

    /// <summary>The network's prediction (probabilities for the cross-entropy losses), as <c>Predict</c> returns it.</summary>
    public Node<T> Prediction { get; }

    /// <summary>The 1×1 loss node: the sum over the batch of the per-sample losses.</summary>
    public Node<T> Loss { get; }

    /// <summary>The parameter nodes, in buffer order (W1, b1, W2, b2, ...).</summary>
    public IReadOnlyList<Node<T>> ParameterNodes { get; }

    /// <summary>
    /// Builds the graph of <paramref name="description"/> for batches of up to <paramref name="batchCapacity"/> samples.
    /// Each dense layer is a <see cref="Operation.Linear"/> node followed by its activation; a dropout layer is a
    /// <see cref="Operation.Dropout"/> node keyed on its <see cref="LayerDescription.Index"/>; a named input is a
    /// <see cref="Operation.Slice"/> of the input; add, multiply, concat and layer-norm layers are the nodes of those
    /// names, reading the layers in <see cref="LayerDescription.Sources"/> (each kind's nodes are its class's in
    /// <c>NetGen.Layers</c>). With
    /// <see cref="NetGen.Loss.SoftmaxCrossEntropy"/> the loss reads the last layer's logits (its softmax activation, if
    /// any, becomes the prediction); with <see cref="NetGen.Loss.BinaryCrossEntropy"/> the loss reads the logits of
    /// the last (sigmoid) layer.
    /// </summary>
    /// <param name="description">The network.</param>
    /// <param name="batchCapacity">The largest batch.</param>
    /// <param name="parameters">A buffer of <see cref="NetworkDescription.ParameterCount"/> values, read by the parameter nodes; null to allocate one (zeros).</param>
    /// <param name="gradient">A buffer of <see cref="NetworkDescription.ParameterCount"/> values the parameter gradients accumulate into; null to allocate one.</param>
    /// <exception cref="NotSupportedException">A loss after a last layer that the graph cannot express.</exception>
    public static NetworkGraph<T> Build(NetworkDescription description, int batchCapacity, T[]? parameters = null, T[]? gradient = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        parameters ??= new T[description.ParameterCount];
        gradient ??= new T[description.ParameterCount];
        if (parameters.Length != description.ParameterCount)
        {
            throw new ArgumentException($"The parameter buffer has {parameters.Length} values; {description.Name} has {description.ParameterCount}.", nameof(parameters));
        }

        if (gradient.Length != description.ParameterCount)
        {
            throw new ArgumentException($"The gradient buffer has {gradient.Length} values; {description.Name} has {description.ParameterCount}.", nameof(gradient));
        }

        var graph = new ComputationGraph<T>(batchCapacity);
        var x = graph.Input("x", description.InputSize);
        var t = graph.Input("t", description.OutputSize);
        var context = new LayerGraphContext<T>(description, graph, parameters, gradient);
        var outputs = new Dictionary<int, Node<T>> { [0] = x }; // by layer index; 0 is the input
        Node<T> a = x;
        var layers = description.Layers;
        foreach (var layer in layers)
        {
            // Each kind's nodes come from its class (NetGen.Layers); Logits is what a dense layer leaves for the loss.
            context.Logits = null;
            a = LayerRuntime.For(layer.Kind).Build(context, layer, layer.Sources.Select(s => outputs[s]).ToArray());
            outputs[layer.Index] = a;
        }

        var logits = context.Logits;
        var parameterNodes = context.ParameterNodes;

        // The same rules the generator checks and fuses by (NetGen.Shared.NetworkRules).
        var lastLayer = layers[^1];
        if (NetworkRules.LossOutputMismatch(description.Loss, lastLayer.Activation) is { } problem)
        {
            throw new NotSupportedException($"{description.Name}: the loss {description.Loss} does not fit the last layer's {lastLayer.Activation} activation: {problem}.");
        }

        Node<T> prediction = a;
        Node<T> lossInput = a;
        if (NetworkRules.ReadsLogits(description.Loss))
        {
            lossInput = logits ?? throw new NotSupportedException($"{description.Name}: the loss {description.Loss} reads the logits of the last dense layer, but layer {lastLayer.Index} is not dense.");
            var predictionActivation = NetworkRules.PredictionActivation(description.Loss);
            if (lastLayer.Activation != predictionActivation)
            {
                prediction = graph.Activation(logits, predictionActivation, "p");
            }
        }

#pragma warning disable CS8524 // No discard: a loss added without its node here is a compile error (CS8509); descriptions hold named losses only.
        var loss = description.Loss switch
        {
            NetGen.Loss.SquaredError => graph.SquaredError(lossInput, t, "L"),
            NetGen.Loss.MeanSquaredError => graph.MeanSquaredError(lossInput, t, "L"),
            NetGen.Loss.BinaryCrossEntropy => graph.BinaryCrossEntropy(lossInput, t, "L"),
            NetGen.Loss.SoftmaxCrossEntropy => graph.SoftmaxCrossEntropy(lossInput, t, "L"),
        };
#pragma warning restore CS8524

        return new NetworkGraph<T>(description, graph, parameters, gradient, x, target: t, prediction, loss, parameterNodes);
    }

    /// <summary>Copies a batch's inputs (and targets, when given) into the graph and sets its batch size; returns the batch size.</summary>
    public int SetBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets = default)
    {
        int inputSize = Description.InputSize;
        if (inputs.Length == 0 || inputs.Length % inputSize != 0)
        {
            throw new ArgumentException($"The inputs have {inputs.Length} values, which is not a positive multiple of the network's {inputSize} inputs per sample.", nameof(inputs));
        }

        int batch = inputs.Length / inputSize;
        if (batch > Graph.BatchCapacity)
        {
            throw new ArgumentException($"The batch has {batch} samples but the graph was built for at most {Graph.BatchCapacity}.", nameof(inputs));
        }

        Graph.BatchSize = batch;
        inputs.CopyTo(Input.Value);
        if (!targets.IsEmpty)
        {
            if (targets.Length != batch * Description.OutputSize)
            {
                throw new ArgumentException($"'targets' has {targets.Length} values; a batch of {batch} samples needs {batch * Description.OutputSize} ({Description.OutputSize} per sample).", nameof(targets));
            }

            targets.CopyTo(Target.Value);
        }

        return batch;
    }

    /// <summary>Runs the batch set by <see cref="SetBatch"/> forward to the loss; returns the summed loss.</summary>
    public T ComputeLoss()
    {
        Graph.Forward(Loss);
        return Loss.Value[0];
    }

    /// <summary>
    /// Runs the batch set by <see cref="SetBatch"/> forward and backward: returns the summed loss and <b>adds</b>
    /// its gradient into <see cref="Gradient"/> (zero it first for the gradient of this batch alone).
    /// </summary>
    public T ForwardBackward()
    {
        Graph.Forward(Loss);
        Graph.Backward(Loss);
        return Loss.Value[0];
    }

    /// <summary>Runs the batch set by <see cref="SetBatch"/> forward to the prediction and copies it into <paramref name="outputs"/>.</summary>
    public void Predict(Span<T> outputs)
    {
        Graph.Forward(Prediction);
        Prediction.Value.CopyTo(outputs);
    }

    /// <summary>Adds <see cref="Gradient"/> into <paramref name="destination"/> (same layout).</summary>
    public void AddGradientTo(Span<T> destination) => TensorPrimitives.Add(destination, Gradient, destination);
}
