using System.Numerics;

namespace NetGen;

/// <summary>
/// Exports a network's inference graph as an ONNX model, the format serving stacks (ONNX Runtime, Triton,
/// OpenVINO, TensorRT, ...) read.
/// </summary>
/// <remarks>
/// <para>
/// The model uses the default ONNX domain at opset <see cref="OpsetVersion"/> and computes exactly what
/// <see cref="INetwork{T}.Predict"/> does, built from the network's <see cref="NetworkDescription"/>:
/// </para>
/// <list type="bullet">
/// <item>one graph input <see cref="InputName"/>, float <c>[batch, InputSize]</c>, and one graph output
/// <see cref="OutputName"/>, float <c>[batch, OutputSize]</c>, where <c>batch</c> is a symbolic dimension;</item>
/// <item>each dense layer <c>k</c> is a <c>Gemm</c> node <c>dense{k}</c> (<c>z{k} = a · W{k}ᵀ + b{k}</c>, <c>transB = 1</c>)
/// whose initializers carry the parameter tensors' names (<c>W{k}</c> of shape <c>[units, inputs]</c>, row-major as in
/// the flat buffer, and <c>b{k}</c> of shape <c>[units]</c>), followed by its activation as an ONNX operator
/// (<c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>, <c>LeakyRelu</c> with <c>alpha = 0.01</c>, <c>Softplus</c>,
/// <c>Softmax</c> over axis 1) named <c>activation{k}</c> with output <c>a{k}</c>; identity adds no node;</item>
/// <item>dropout layers are left out: inverted dropout is the identity at inference;</item>
/// <item>add, multiply and concat layers are <c>Add</c>, <c>Mul</c> (chained for more than two inputs) and <c>Concat</c>
/// over axis 1; a layer norm is <c>LayerNormalization</c> over axis 1 with its gain and bias as initializers;</item>
/// <item>a named input (<see cref="LayerKind.Input"/>) is a <c>Slice</c> of the input's columns, output
/// <c>x{k}</c>: the graph keeps one input holding every named input side by side, as <see cref="INetwork{T}.Predict"/> does;</item>
/// <item>with <see cref="Loss.SoftmaxCrossEntropy"/> and logits on the last layer, a <c>Softmax</c> node
/// <c>prediction</c> turns them into probabilities, as <c>Predict</c> does.</item>
/// </list>
/// <para>
/// Parameters are stored as 32-bit floats whatever the network's <see cref="Precision"/>, since serving stacks
/// run float models; a <see cref="Precision.Double"/> network's exported outputs agree with its own to float
/// rounding. A description with a layer kind or activation the exporter does not know is rejected with a
/// <see cref="NotSupportedException"/> naming the layer, before anything is written.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// OnnxExport.Save(net, "digits.onnx");
/// // Python: onnxruntime.InferenceSession("digits.onnx").run(["output"], {"input": x})
/// </code>
/// </example>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the models use.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The name of the graph input: float <c>[batch, InputSize]</c>.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph output: float <c>[batch, OutputSize]</c>.</summary>
    public const string OutputName = "output";

    /// <summary>Writes <paramref name="network"/> as an ONNX model file, replacing any file at <paramref name="path"/>.</summary>
    /// <param name="network">The network, with its current parameters.</param>
    /// <param name="path">The file to write (conventionally <c>.onnx</c>).</param>
    /// <exception cref="NotSupportedException">The network has a layer or activation ONNX export does not support; no file was written.</exception>
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // The whole model is built before the file is touched, so an unsupported network leaves an existing file as it was.
        byte[] model = ToBytes(network);
        File.WriteAllBytes(path, model);
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/>.</summary>
    /// <param name="network">The network, with its current parameters.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <exception cref="NotSupportedException">The network has a layer or activation ONNX export does not support; nothing was written.</exception>
    public static void Save<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        stream.Write(ToBytes(network));
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes.</summary>
    private static byte[] ToBytes<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var description = network.Description;
        var model = BuildGraph(description, (ReadOnlySpan<T>)network.Parameters);
        string version = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "0";
        return model.ToModelProto(InputName, description.InputSize, OutputName, description.OutputSize, OpsetVersion, version, description.ToString());
    }

    /// <summary>Builds the inference graph of a description with the given parameters, layer by layer.</summary>
    internal static OnnxModel BuildGraph<T>(NetworkDescription description, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameters.Length != description.ParameterCount)
        {
            throw new ArgumentException($"{description.Name} has {description.ParameterCount} parameters but {parameters.Length} were given.", nameof(parameters));
        }

        var model = new OnnxModel(description.Name);
        string current = InputName;
        var outputs = new Dictionary<int, string> { [0] = InputName }; // each layer's output by layer index; 0 is the input
        foreach (var layer in description.Layers)
        {
            var sources = layer.Sources.Select(s => outputs[s]).ToArray();
            current = layer.Kind switch
            {
                LayerKind.Dense => AddDense(model, description, layer, parameters, sources[0]),
                // Inverted dropout scales while training, so at inference it is the identity: no node.
                LayerKind.Dropout => sources[0],
                LayerKind.Add => Fold(model, "Add", $"add{layer.Index}", sources),
                LayerKind.Multiply => Fold(model, "Mul", $"mul{layer.Index}", sources),
                LayerKind.LayerNorm => AddLayerNorm(model, description, layer, parameters, sources[0]),
                LayerKind.Input => AddInputSlice(model, description, layer, sources[0]),
                LayerKind.Concat => model.AddNode("Concat", $"concat{layer.Index}", sources, $"c{layer.Index}", OnnxAttribute.Int("axis", 1)),
                _ => throw new NotSupportedException($"ONNX export does not support layer {layer.Index} of {description.Name}, of kind '{layer.Kind}'; it supports {LayerKind.Dense}, {LayerKind.Dropout}, {LayerKind.Add}, {LayerKind.Multiply}, {LayerKind.Concat}, {LayerKind.LayerNorm} and {LayerKind.Input} layers."),
            };
            outputs[layer.Index] = current;
        }

        if (description.Loss == Loss.SoftmaxCrossEntropy && description.Layers[^1].Activation != Activation.Softmax)
        {
            // The network's last layer gives logits; its predictions are their softmax.
            current = model.AddNode("Softmax", "prediction", [current], "probabilities", OnnxAttribute.Int("axis", 1));
        }

        if (current == InputName)
        {
            model.AddNode("Identity", "output_identity", [current], OutputName);
        }
        else
        {
            model.RenameLastOutput(current, OutputName);
        }

        return model;
    }

    /// <summary><c>Gemm</c> with the layer's weights and bias, then its activation; returns the layer's output name.</summary>
    private static string AddDense<T>(OnnxModel model, NetworkDescription description, LayerDescription layer, ReadOnlySpan<T> parameters, string input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer.Weights is not { } weights || layer.Bias is not { } bias)
        {
            throw new NotSupportedException($"Dense layer {layer.Index} of {description.Name} has no weight or bias tensor, so it cannot be exported.");
        }

        string w = model.AddInitializer(weights.Name, [weights.Rows, weights.Columns], ToSingle(weights.Slice(parameters)));
        string b = model.AddInitializer(bias.Name, [bias.Length], ToSingle(bias.Slice(parameters)));
        string z = model.AddNode("Gemm", $"dense{layer.Index}", [input, w, b], $"z{layer.Index}", OnnxAttribute.Int("transB", 1));

        string activationName = $"activation{layer.Index}";
        string a = $"a{layer.Index}";
        return layer.Activation switch
        {
            Activation.Identity => z,
            Activation.Sigmoid => model.AddNode("Sigmoid", activationName, [z], a),
            Activation.Tanh => model.AddNode("Tanh", activationName, [z], a),
            Activation.ReLU => model.AddNode("Relu", activationName, [z], a),
            Activation.LeakyReLU => model.AddNode("LeakyRelu", activationName, [z], a, OnnxAttribute.Float("alpha", 0.01f)),
            Activation.Softplus => model.AddNode("Softplus", activationName, [z], a),
            Activation.Softmax => model.AddNode("Softmax", activationName, [z], a, OnnxAttribute.Int("axis", 1)),
            _ => throw new NotSupportedException($"ONNX export does not support activation '{layer.Activation}' of layer {layer.Index} of {description.Name}."),
        };
    }

    /// <summary>
    /// <c>LayerNormalization</c> over axis 1 with the layer's gain and bias (initializers named like its tensors) and
    /// <c>epsilon</c> = <see cref="LayerDescription.LayerNormEpsilon"/>; output <c>n{k}</c>.
    /// </summary>
    private static string AddLayerNorm<T>(OnnxModel model, NetworkDescription description, LayerDescription layer, ReadOnlySpan<T> parameters, string input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer.Weights is not { } gain || layer.Bias is not { } bias)
        {
            throw new NotSupportedException($"Layer-norm layer {layer.Index} of {description.Name} has no gain or bias tensor, so it cannot be exported.");
        }

        string g = model.AddInitializer(gain.Name, [gain.Length], ToSingle(gain.Slice(parameters)));
        string b = model.AddInitializer(bias.Name, [bias.Length], ToSingle(bias.Slice(parameters)));
        return model.AddNode("LayerNormalization", $"layernorm{layer.Index}", [input, g, b], $"n{layer.Index}",
            OnnxAttribute.Int("axis", 1), OnnxAttribute.Float("epsilon", (float)LayerDescription.LayerNormEpsilon));
    }

    /// <summary>A named input: a <c>Slice</c> of the input's columns (axis 1) from its offset, output <c>x{k}</c>.</summary>
    private static string AddInputSlice(OnnxModel model, NetworkDescription description, LayerDescription layer, string input)
    {
        var block = description.NamedInputs.Single(i => i.LayerIndex == layer.Index);
        string name = $"x{layer.Index}";
        string starts = model.AddInt64Initializer(name + "_starts", [block.Offset]);
        string ends = model.AddInt64Initializer(name + "_ends", [block.Offset + block.Size]);
        string axes = model.AddInt64Initializer(name + "_axes", [1]);
        return model.AddNode("Slice", $"input{layer.Index}", [input, starts, ends, axes], name);
    }

    /// <summary>A binary ONNX op applied left to right over two or more inputs (<c>Add</c> and <c>Mul</c> take two).</summary>
    private static string Fold(OnnxModel model, string opType, string name, string[] inputs)
    {
        string result = inputs[0];
        for (int i = 1; i < inputs.Length; i++)
        {
            result = model.AddNode(opType, name + "_" + i, [result, inputs[i]], name + "_" + i + "_out");
        }

        return result;
    }

    private static float[] ToSingle<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = float.CreateTruncating(values[i]);
        }

        return result;
    }
}
