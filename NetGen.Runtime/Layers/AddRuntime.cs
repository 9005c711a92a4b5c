using System.Globalization;
using System.Numerics;
using NetGen.Graph;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.Add"/>: the element-wise sum of two or more layers of one size (a residual connection); no
/// parameters. Graph: <see cref="Operation.Add"/> nodes <c>sk</c>, left to right. ONNX: <c>Add</c> nodes <c>addk_i</c>,
/// left to right (ONNX's <c>Add</c> takes two inputs).
/// </summary>
internal sealed class AddRuntime : LayerRuntime
{
    public static readonly AddRuntime Instance = new();

    private AddRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.Add;

    public override bool Merges => true;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes) => MergeRules.SameSize(layer, sourceSizes);

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources) =>
        sources.Skip(1).Aggregate(sources[0], (sum, next) => context.Graph.Add(sum, next, "s" + layer.Index.ToString(CultureInfo.InvariantCulture)));

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources) =>
        MergeRules.Fold(context.Model, "Add", $"add{layer.Index}", sources);
}
