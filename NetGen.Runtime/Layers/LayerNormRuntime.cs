using System.Globalization;
using System.Numerics;
using NetGen.Graph;
using NetGen.Shared;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.LayerNorm"/>: <c>n = γ ⊙ (a - μ) / √(σ² + ε) + β</c> over each sample's values, with
/// ε = <see cref="LayerDescription.LayerNormEpsilon"/>. Tensors: the gain γ (in <see cref="LayerDescription.Weights"/>,
/// starting at 1, drawing nothing) and β (starting at 0), laid out by <c>NetworkRules.LayerNormLayout</c>. Graph: a
/// <see cref="Operation.LayerNorm"/> node <c>nk</c>. ONNX: <c>LayerNormalization</c> <c>layernormk</c> over axis 1.
/// </summary>
internal sealed class LayerNormRuntime : LayerRuntime
{
    public static readonly LayerNormRuntime Instance = new();

    private LayerNormRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.LayerNorm;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes) =>
        layer.OutputSize != layer.InputSize ? "must have as many outputs as inputs" : ReadsItsInputSize(layer, sourceSizes);

    public override long CheckLayout(LayerDescription layer, long offset)
    {
        long end = NetworkRules.LayerNormLayout(offset, layer.InputSize, out long gain, out long bias);
        CheckTensor(layer, layer.Weights, "gain", gain, 1, layer.InputSize);
        CheckTensor(layer, layer.Bias, "bias", bias, 1, layer.InputSize);
        return end;
    }

    public override void Initialize<T>(LayerDescription layer, Span<T> parameters, DeterministicRandom random) =>
        Checked(layer.Weights).Slice(parameters).Fill(T.One); // the gain starts as the identity; β stays 0

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources)
    {
        var gain = context.Parameter(Checked(layer.Weights));
        var bias = context.Parameter(Checked(layer.Bias));
        return context.Graph.LayerNorm(sources[0], gain, bias, LayerDescription.LayerNormEpsilon, "n" + layer.Index.ToString(CultureInfo.InvariantCulture));
    }

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources)
    {
        var gain = Checked(layer.Weights);
        var bias = Checked(layer.Bias);
        string g = context.Initializer(gain, [gain.Length], parameters);
        string b = context.Initializer(bias, [bias.Length], parameters);
        return context.Model.AddNode("LayerNormalization", $"layernorm{layer.Index}", [sources[0], g, b], $"n{layer.Index}",
            OnnxAttribute.Int("axis", 1), OnnxAttribute.Float("epsilon", (float)LayerDescription.LayerNormEpsilon));
    }
}
