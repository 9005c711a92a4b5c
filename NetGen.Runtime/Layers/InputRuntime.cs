using System.Globalization;
using System.Numerics;
using NetGen.Graph;

namespace NetGen.Layers;

/// <summary>
/// <see cref="LayerKind.Input"/>: a named input, the block of the network's input vector (layer 0) that
/// <see cref="NetworkDescription.NamedInputs"/> places; no parameters. Graph: a <see cref="Operation.Slice"/> node
/// <c>xk</c> of the input's columns. ONNX: a <c>Slice</c> <c>inputk</c> over axis 1, output <c>xk</c>.
/// </summary>
internal sealed class InputRuntime : LayerRuntime
{
    public static readonly InputRuntime Instance = new();

    private InputRuntime()
    {
    }

    public override LayerKind Kind => LayerKind.Input;

    public override string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes) =>
        layer.Sources[0] != 0 || layer.OutputSize <= 0 || layer.OutputSize > layer.InputSize
            ? "is a block of the network's input vector: it reads layer 0 and holds at least one and at most all of its values"
            : ReadsItsInputSize(layer, sourceSizes);

    public override Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources)
    {
        var block = Block(context.Description, layer);
        return context.Graph.Slice(sources[0], block.Offset, block.Size, "x" + layer.Index.ToString(CultureInfo.InvariantCulture));
    }

    public override string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources)
    {
        var block = Block(context.Description, layer);
        var model = context.Model;
        string name = $"x{layer.Index}";
        string starts = model.AddInt64Initializer(name + "_starts", [block.Offset]);
        string ends = model.AddInt64Initializer(name + "_ends", [block.Offset + block.Size]);
        string axes = model.AddInt64Initializer(name + "_axes", [1]);
        return model.AddNode("Slice", $"input{layer.Index}", [sources[0], starts, ends, axes], name);
    }

    private static NamedInput Block(NetworkDescription description, LayerDescription layer) =>
        description.NamedInputs.Single(i => i.LayerIndex == layer.Index);
}
