using System.Globalization;
using System.Numerics;
using NetGen.Graph;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.Concat"/>: two or more layers' values side by side, in the order named; no parameters.
/// Graph: a <see cref="Operation.Concat"/> node <c>ck</c>. ONNX: <c>Concat</c> <c>concatk</c> over axis 1.
/// </summary>
internal sealed class ConcatRuntime : LayerRuntime
{
    public static readonly ConcatRuntime Instance = new();

    private ConcatRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.Concat;

    public override bool Merges => true;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes)
    {
        int total = sourceSizes.Sum();
        return layer.InputSize != total || layer.OutputSize != total
            ? $"concatenates {string.Join(" + ", sourceSizes)} = {total} values, so its input and output sizes must be {total}"
            : null;
    }

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources) =>
        context.Graph.Concat(sources, "c" + layer.Index.ToString(CultureInfo.InvariantCulture));

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources) =>
        context.Model.AddNode("Concat", $"concat{layer.Index}", sources, $"c{layer.Index}", OnnxAttribute.Int("axis", 1));
}
