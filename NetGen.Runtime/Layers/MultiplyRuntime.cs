using System.Globalization;
using System.Numerics;
using NetGen.Graph;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.Multiply"/>: the element-wise product of two or more layers of one size (a gate); no
/// parameters. Graph: <see cref="Operation.Multiply"/> nodes <c>mk</c>, left to right. ONNX: <c>Mul</c> nodes
/// <c>mulk_i</c>, left to right.
/// </summary>
internal sealed class MultiplyRuntime : LayerRuntime
{
    public static readonly MultiplyRuntime Instance = new();

    private MultiplyRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.Multiply;

    public override bool Merges => true;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes) => MergeRules.SameSize(layer, sourceSizes);

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources) =>
        sources.Skip(1).Aggregate(sources[0], (product, next) => context.Graph.Multiply(product, next, "m" + layer.Index.ToString(CultureInfo.InvariantCulture)));

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources) =>
        MergeRules.Fold(context.Model, "Mul", $"mul{layer.Index}", sources);
}
