using NetGen.Generator.Model;
using NetGen.Generator.Ops;
using NetGen.Shared;

namespace NetGen.Generator.Graph;

/// <summary>
/// A slice of the flat parameter buffer that an op owns: <c>Rows x Columns</c> values, row-major, from
/// <c>Offset</c>. (The runtime's <c>NetGen.ParameterTensor</c> describes the same slice to users.)
/// </summary>
internal sealed record ParameterSlot(string Name, int Offset, int Rows, int Columns, bool IsVector, WeightInitializer? Initializer)
{
    public int Length => Rows * Columns;
}

/// <summary>
/// One operation of the forward graph. <see cref="Inputs"/> are node IDs, so the graph is a DAG: a node may
/// feed several others, and an op may read several inputs.
/// </summary>
/// <param name="Id">Index of the node in <see cref="ForwardGraph.Nodes"/>; nodes are in topological order.</param>
/// <param name="Name">The value's name in generated code and comments (<c>x</c>, <c>z1</c>, <c>a1</c>, <c>p</c>).</param>
/// <param name="Op">The operation, which owns its shape rule, forms and derivatives.</param>
/// <param name="Size">Number of elements of the node's value for one sample.</param>
/// <param name="Inputs">IDs of the nodes this one reads.</param>
/// <param name="Parameters">The parameter tensors the op owns, in <see cref="Op.Parameters"/> order.</param>
internal sealed record GraphNode(int Id, string Name, Op Op, int Size, EquatableArray<int> Inputs, EquatableArray<ParameterSlot> Parameters)
{
    /// <summary>The names the op's formulas and code use for this node.</summary>
    public OpNames Names(ForwardGraph graph)
    {
        var inputs = new string[Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = graph.Nodes[Inputs[i]].Name;
        }

        var parameters = new string[Parameters.Count];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = Parameters[i].Name;
        }

        return new OpNames(Name, inputs.ToEquatableArray(), parameters.ToEquatableArray());
    }
}

/// <summary>
/// Where the loss attaches: <see cref="InputNode"/> is the value it differentiates (the output, or the
/// logits when the loss reads them), <see cref="PredictionNode"/> the value <c>Predict</c> returns.
/// </summary>
internal sealed record LossAttachment(LossOp Op, int InputNode, int PredictionNode);

/// <summary>
/// One layer attribute as the graph realized it, for the generated docs and <c>NetworkDescription</c>.
/// </summary>
/// <param name="Index">1-based position among the layer attributes.</param>
/// <param name="Spec">The layer as written (its unit, arguments and sources; without its location, so that moving the
/// attribute in the file leaves the graph equal and the later stages cached).</param>
/// <param name="InputSize">Inputs of the layer.</param>
/// <param name="OutputSize">Outputs of the layer.</param>
/// <param name="FirstNode">The first graph node the layer produced.</param>
/// <param name="MainNode">The linear node of a dense layer, the dropout node of a dropout layer, the add node.</param>
internal sealed record LayerInfo(int Index, LayerSpec Spec, int InputSize, int OutputSize, int FirstNode, int MainNode)
{
    public EquatableArray<int> Sources => Spec.Sources;
}

/// <summary>Stage 3's result: the forward graph of a network, its parameter layout and its loss.</summary>
internal sealed record ForwardGraph(
    string? Namespace,
    string TypeName,
    string HintName,
    PrecisionKind Precision,
    EquatableArray<GraphNode> Nodes,
    LossAttachment Loss,
    EquatableArray<ParameterSlot> Parameters,
    EquatableArray<LayerInfo> Layers)
{
    public int ParameterCount => Parameters.Count == 0 ? 0 : Parameters[Parameters.Count - 1].Offset + Parameters[Parameters.Count - 1].Length;

    public GraphNode Prediction => Nodes[Loss.PredictionNode];

    public int InputSize => Nodes[0].Size;

    public int OutputSize => Prediction.Size;
}

/// <summary>
/// Stage 3's output: the forward graph, and where the network's <c>[Network]</c> attribute is, for the derive stage's
/// diagnostics on the whole network (NG0018, NG0019). The location travels beside the graph, not in it, so that when
/// only the attribute moves the derive stage's model stays equal and planning and emission stay cached.
/// </summary>
/// <param name="Graph">The forward graph.</param>
/// <param name="NetworkLocation">The <c>[Network]</c> attribute's location.</param>
internal sealed record LocatedGraph(ForwardGraph Graph, LocationInfo? NetworkLocation);
