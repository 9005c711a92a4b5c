using System.Numerics;
using NetGen.Graph;

namespace NetGen.Layers;

/// <summary>
/// Everything the runtime knows about one <see cref="LayerKind"/>, in one class per kind: the shape rule
/// <see cref="NetworkDescription"/> checks, where its parameter tensors lie and how they start, the nodes it adds to
/// the dynamic graph (<see cref="NetworkGraph{T}"/>), and the ONNX nodes it exports to (<see cref="OnnxExport"/>).
/// Those three ask <see cref="For"/> for the class of a layer's kind instead of switching over kinds, so the runtime
/// side of a new op is one new file here plus its line in <see cref="For"/> (which the compiler requires: the switch
/// lists every kind and has no default).
/// </summary>
internal abstract class LayerRuntime
{
    /// <summary>The kind this class describes.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>True when the layer merges two or more layers it names; false when it reads exactly one.</summary>
    public virtual bool Merges => false;

    /// <summary>The class of <paramref name="kind"/>.</summary>
    /// <exception cref="System.Runtime.CompilerServices.SwitchExpressionException"><paramref name="kind"/> is not a named <see cref="LayerKind"/> (<see cref="NetworkDescription"/> rejects such a layer first).</exception>
#pragma warning disable CS8524 // An unnamed LayerKind value has no class; leaving out the discard makes a new named kind without its line a compile error (CS8509).
    public static LayerRuntime For(LayerKind kind) => kind switch
    {
        LayerKind.Dense => DenseRuntime.Instance,
        LayerKind.Dropout => DropoutRuntime.Instance,
        LayerKind.Add => AddRuntime.Instance,
        LayerKind.Multiply => MultiplyRuntime.Instance,
        LayerKind.Concat => ConcatRuntime.Instance,
        LayerKind.LayerNorm => LayerNormRuntime.Instance,
        LayerKind.Input => InputRuntime.Instance,
    };
#pragma warning restore CS8524

    /// <summary>
    /// The layer's shape rule, given the sizes of the layers it reads (their number is already checked against
    /// <see cref="Merges"/>): null when they fit, else what is wrong, as the rest of a sentence that begins
    /// "Layer k (Kind) ".
    /// </summary>
    public abstract string? CheckShape(LayerDescription layer, IReadOnlyList<int> sourceSizes);

    /// <summary>
    /// Checks that the layer's tensors are where the shared layout rule (<c>SharedRules.cs</c>) puts them, starting at
    /// <paramref name="offset"/>; returns the offset after the layer. By default a layer has no parameters.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is missing, misplaced or given to a layer that has none.</exception>
    public virtual long CheckLayout(LayerDescription layer, long offset)
    {
        if (layer.Weights is not null || layer.Bias is not null)
        {
            throw new ArgumentException($"Layer {layer.Index} ({layer.Kind}) has no parameters, but its description gives it tensors.", "layers");
        }

        return offset;
    }

    /// <summary>
    /// Initializes the layer's parameters within the flat buffer <paramref name="parameters"/> exactly as generated code
    /// does, drawing from <paramref name="random"/> (shared by all layers, in layer order). By default there are none.
    /// </summary>
    public virtual void Initialize<T>(LayerDescription layer, Span<T> parameters, DeterministicRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    /// <summary>
    /// What follows the layer's sizes in the architecture text model files hash (<see cref="ModelFile.DescribeArchitecture"/>):
    /// by default its activation's name. Part of the file format: changing it changes every saved file's hash.
    /// </summary>
    public virtual string ArchitectureSetting(LayerDescription layer) => layer.Activation.ToString();

    /// <summary>Adds the layer's nodes to the dynamic graph, reading <paramref name="sources"/> (in <see cref="LayerDescription.Sources"/> order); returns its output node.</summary>
    public abstract Node<T> Build<T>(LayerGraphContext<T> context, LayerDescription layer, Node<T>[] sources)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Adds the layer's ONNX nodes, reading the values named <paramref name="sources"/>; returns the name of its output value.</summary>
    public abstract string ExportOnnx<T>(OnnxLayerContext context, LayerDescription layer, ReadOnlySpan<T> parameters, string[] sources)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The rule of a layer that reads one layer: its input size is that layer's size.</summary>
    protected static string? ReadsItsInputSize(LayerDescription layer, IReadOnlyList<int> sourceSizes) =>
        sourceSizes[0] != layer.InputSize ? $"takes {layer.InputSize} inputs but layer {layer.Sources[0]} gives {sourceSizes[0]}" : null;

    /// <summary>Checks one tensor of a layer against the place and shape the layout rule gives it.</summary>
    protected static void CheckTensor(LayerDescription layer, ParameterTensor? tensor, string role, long offset, int rows, int columns)
    {
        if (tensor is not { } t)
        {
            throw new ArgumentException($"Layer {layer.Index} ({layer.Kind}) needs its {role} tensor.", "layers");
        }

        if (t.Offset != offset || t.Rows != rows || t.Columns != columns)
        {
            throw new ArgumentException(
                $"Tensor {t.Name} ({role} of layer {layer.Index}, {layer.Kind}) is [{t.Rows}x{t.Columns}] at {t.Offset}; the parameter layout puts a [{rows}x{columns}] tensor at {offset}.", "layers");
        }
    }

    /// <summary>A tensor <see cref="CheckLayout"/> has checked is there.</summary>
    protected static ParameterTensor Checked(ParameterTensor? tensor) =>
        tensor ?? throw new InvalidOperationException("A layer's tensor is missing although its description was checked.");
}

/// <summary>What a layer's nodes are built with: the graph, the network's flat buffers and what the loss reads.</summary>
internal sealed class LayerGraphContext<T>(NetworkDescription description, ComputationGraph<T> graph, T[] parameters, T[] gradient)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Node<T>> _parameterNodes = [];

    /// <summary>The network being built.</summary>
    public NetworkDescription Description => description;

    /// <summary>The graph the nodes go into.</summary>
    public ComputationGraph<T> Graph => graph;

    /// <summary>The parameter nodes made so far, in buffer order.</summary>
    public IReadOnlyList<Node<T>> ParameterNodes => _parameterNodes;

    /// <summary>The pre-activation of the layer just built, when it has one (a loss that fuses with the last activation reads it); else null.</summary>
    public Node<T>? Logits { get; set; }

    /// <summary>A parameter node over <paramref name="tensor"/>'s elements of the flat parameter and gradient buffers.</summary>
    public Node<T> Parameter(ParameterTensor tensor)
    {
        var node = graph.Parameter(tensor.Name, tensor.Rows, tensor.Columns, parameters, tensor.Offset, gradient, tensor.Offset);
        _parameterNodes.Add(node);
        return node;
    }
}

/// <summary>What a layer's ONNX nodes are written into: the model, and the network it describes.</summary>
internal sealed class OnnxLayerContext(OnnxModel model, NetworkDescription description)
{
    /// <summary>The model being built.</summary>
    public OnnxModel Model => model;

    /// <summary>The network being exported.</summary>
    public NetworkDescription Description => description;

    /// <summary>An initializer holding <paramref name="tensor"/>'s elements as floats, named like the tensor; returns its name.</summary>
    public string Initializer<T>(ParameterTensor tensor, long[] dimensions, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var source = tensor.Slice(parameters);
        var values = new float[source.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = float.CreateTruncating(source[i]);
        }

        return model.AddInitializer(tensor.Name, dimensions, values);
    }
}
