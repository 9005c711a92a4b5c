using System.Globalization;
using System.Numerics;
using NetGen.Graph;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.Dropout"/>: inverted dropout of the layer it reads while training, with
/// <see cref="LayerDescription.DropoutRate"/>; no parameters. Graph: a <see cref="Operation.Dropout"/> node <c>dk</c> keyed
/// on the layer's index, so its mask is generated code's (<c>DropoutMask</c>). ONNX: nothing, since inverted dropout
/// is the identity at inference.
/// </summary>
internal sealed class DropoutRuntime : LayerRuntime
{
    public static readonly DropoutRuntime Instance = new();

    private DropoutRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.Dropout;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes) =>
        layer.OutputSize != layer.InputSize ? "must have as many outputs as inputs" : ReadsItsInputSize(layer, sourceSizes);

    /// <summary>The rate instead of an activation (a dropout layer has none): <c>rate 0.25</c>, round-trip digits, invariant culture.</summary>
    public override string ArchitectureSetting(LayerDescription layer) =>
        string.Create(CultureInfo.InvariantCulture, $"rate {layer.DropoutRate:R}");

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources) =>
        context.Graph.Dropout(sources[0], layer.DropoutRate, layer.Index, "d" + layer.Index.ToString(CultureInfo.InvariantCulture));

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources) => sources[0];
}
