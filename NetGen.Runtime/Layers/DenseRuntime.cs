using System.Globalization;
using System.Numerics;
using NetGen.CompilerServices;
using NetGen.Graph;
using NetGen.Shared;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.Dense"/>: <c>z = W · a + b</c> then the activation. Tensors: <c>W</c> (outputs × inputs,
/// row-major) and <c>b</c>, laid out by <c>NetworkRules.DenseLayout</c>; He uniform weights for ReLU and leaky ReLU,
/// Glorot uniform for the others (<c>NetworkRules.InitializerFor</c>), zero biases. Graph: a
/// <see cref="Operation.Linear"/> node <c>zk</c> (the logits a fused loss reads) and the activation <c>ak</c>.
/// ONNX: <c>Gemm</c> <c>densek</c> (<c>transB = 1</c>) and the activation's operator <c>activationk</c>.
/// </summary>
internal sealed class DenseRuntime : LayerRuntime
{
    public static readonly DenseRuntime Instance = new();

    private DenseRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.Dense;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes) => ReadsItsInputSize(layer, sourceSizes);

    public override long CheckLayout(LayerDescription layer, long offset)
    {
        long end = NetworkRules.DenseLayout(offset, layer.InputSize, layer.OutputSize, out long weights, out long bias);
        CheckTensor(layer, layer.Weights, "weight matrix", weights, layer.OutputSize, layer.InputSize);
        CheckTensor(layer, layer.Bias, "bias", bias, 1, layer.OutputSize);
        return end;
    }

    public override void Initialize<T>(LayerDescription layer, Span<T> parameters, DeterministicRandom random)
    {
        var w = Checked(layer.Weights);
        Span<T> view = w.Slice(parameters);
        switch (NetworkRules.InitializerFor(layer.Activation))
        {
            case WeightInitializer.HeUniform:
                Initializers.HeUniform(view, w.Columns, random);
                break;
            case WeightInitializer.GlorotUniform:
                Initializers.GlorotUniform(view, w.Columns, w.Rows, random);
                break;
            case WeightInitializer.Ones:
                view.Fill(T.One);
                break;
            default:
                throw new InvalidOperationException($"{(int)NetworkRules.InitializerFor(layer.Activation)} is not a {nameof(WeightInitializer)}.");
        }
    }

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources)
    {
        string index = layer.Index.ToString(CultureInfo.InvariantCulture);
        var weights = context.Parameter(Checked(layer.Weights));
        var bias = context.Parameter(Checked(layer.Bias));
        var z = context.Graph.Linear(sources[0], weights, bias, "z" + index);
        context.Logits = z;
        return layer.Activation == Activation.Identity ? z : context.Graph.Activation(z, layer.Activation, "a" + index);
    }

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources)
    {
        var weights = Checked(layer.Weights);
        var bias = Checked(layer.Bias);
        var model = context.Model;
        string w = context.Initializer(weights, [weights.Rows, weights.Columns], parameters);
        string b = context.Initializer(bias, [bias.Length], parameters);
        string z = model.AddNode("Gemm", $"dense{layer.Index}", [sources[0], w, b], $"z{layer.Index}", OnnxAttribute.Int("transB", 1));

        string name = $"activation{layer.Index}";
        string a = $"a{layer.Index}";
#pragma warning disable CS8524 // No discard: an activation added without its operator here is a compile error (CS8509); descriptions hold named activations only.
        return layer.Activation switch
        {
            Activation.Identity => z,
            Activation.Sigmoid => model.AddNode("Sigmoid", name, [z], a),
            Activation.Tanh => model.AddNode("Tanh", name, [z], a),
            Activation.ReLU => model.AddNode("Relu", name, [z], a),
            Activation.LeakyReLU => model.AddNode("LeakyRelu", name, [z], a, OnnxAttribute.Float("alpha", (float)NetworkRules.LeakyReLUSlope)),
            Activation.Softplus => model.AddNode("Softplus", name, [z], a),
            Activation.Softmax => model.AddNode("Softmax", name, [z], a, OnnxAttribute.Int("axis", 1)),
        };
#pragma warning restore CS8524
    }
}
