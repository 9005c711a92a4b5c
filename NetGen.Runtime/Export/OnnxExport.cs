using System.Numerics;
using NetGen.Layers;

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
/// rounding. Every layer kind and activation has its ONNX form (each kind's is its class's in <c>NetGen.Layers</c>).
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
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // The whole model is built before the file is touched, so a failure leaves an existing file as it was.
        byte[] model = ToBytes(network);
        File.WriteAllBytes(path, model);
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/>.</summary>
    /// <param name="network">The network, with its current parameters.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
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
        var context = new OnnxLayerContext(model, description);
        string current = InputName;
        var outputs = new Dictionary<int, string> { [0] = InputName }; // each layer's output by layer index; 0 is the input
        foreach (var layer in description.Layers)
        {
            // Each kind's ONNX nodes come from its class (NetGen.Layers).
            current = LayerRuntime.For(layer.Kind).ExportOnnx(context, layer, parameters, layer.Sources.Select(s => outputs[s]).ToArray());
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
}
