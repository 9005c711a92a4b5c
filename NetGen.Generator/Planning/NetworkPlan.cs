using System.Linq;
using NetGen.Generator.Derivation;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;
using NetGen.Shared;

namespace NetGen.Generator.Planning;

/// <summary>
/// Stage 5's result: everything the emitter prints, decided. Names, constants, the memory layout of a
/// sample's workspace region, and how each node and backward step is computed. The emitter reads
/// nothing else: not the spec, not the graph.
/// </summary>
internal sealed record NetworkPlan(
    string? Namespace,
    string TypeName,
    string HintName,
    PrecisionKind Precision,
    LossKind Loss,
    string Diagram,
    int InputSize,
    int OutputSize,
    int ParameterCount,
    EquatableArray<ParameterPlan> Parameters,
    EquatableArray<BufferPlan> Buffers,
    int ValuesPerSample,
    int SampleStride,
    bool Batched,
    bool HasDropout,
    bool PredictScratchOnHeap,
    EquatableArray<LayerPlan> Layers,
    EquatableArray<NodePlan> Nodes,
    EquatableArray<StepPlan> Steps,
    LossPlan LossStep,
    EquatableArray<string> Dot,
    EquatableArray<InputPlan> NamedInputs)
{
    public bool IsDouble => Precision == PrecisionKind.Double;

    public string ElementType => IsDouble ? "double" : "float";

    public NodePlan Prediction => Nodes[LossStep.PredictionNode];

    /// <summary>
    /// The parameter of <paramref name="node"/> that a predictor's packed copy stores transposed (<c>PackParameters</c>),
    /// or null: only batch products pack, since only they read the packed copy's layout.
    /// </summary>
    public ParameterPlan? PackedWeights(NodePlan node) =>
        node.Strategy == Strategy.Kernel && node.Op.PackedWeights(node.Size, Precision.ElementBytes()) is { } index ? Parameters[node.Parameters[index]] : null;

    /// <summary>True when a predictor's packed copy stores some layer's weights transposed (then <c>ForwardBatch</c> takes <c>packedWeights</c>).</summary>
    public bool PacksWeights => Nodes.Any(n => PackedWeights(n) is not null);

    /// <summary>
    /// True when the prediction is a node of its own that only the output reads (the softmax or sigmoid after the
    /// logits that a fused loss takes): the forward pass leaves it out and <c>PredictSample</c> computes it for
    /// <c>Predict</c> and <c>Forward</c> alone, so a training step never evaluates it.
    /// </summary>
    public bool PredictionIsSeparate =>
        LossStep.PredictionNode != LossStep.InputNode
        && !Prediction.IsData
        && Prediction.Strategy != Strategy.Kernel
        && !Prediction.Op.NeedsSampleIndex
        && Nodes.All(n => !n.Inputs.Contains(LossStep.PredictionNode));
}

/// <summary>A parameter tensor with the names generated code gives it.</summary>
/// <param name="OffsetConstant">The public constant holding <see cref="Offset"/> (<c>W1Offset</c>).</param>
/// <param name="PropertyName">The public span property (<c>W1</c>, <c>B1</c>).</param>
/// <param name="Initializer">How it starts; null for zeros (biases).</param>
internal sealed record ParameterPlan(string Name, int Offset, int Rows, int Columns, bool IsVector, string OffsetConstant, string PropertyName, WeightInitializer? Initializer)
{
    public int Length => Rows * Columns;

    /// <summary><c>[2x2]</c> for a matrix, <c>[2]</c> for a vector.</summary>
    public string Shape => IsVector ? "[" + Columns + "]" : "[" + Rows + "x" + Columns + "]";

    public ParameterSite Site => new(Name, Length, OffsetConstant);
}

/// <summary>What a region of a sample's workspace holds.</summary>
internal enum BufferKind
{
    Value,
    Mask,
    Gradient,
}

/// <summary>One region of a sample's workspace: a node's value, mask or gradient, at a named offset.</summary>
/// <param name="Label">How the layout comment names it (<c>z1</c>, <c>a1DropMask</c>, <c>dz1</c>).</param>
/// <param name="Constant">The private constant holding <see cref="Offset"/>.</param>
internal sealed record BufferPlan(int Node, BufferKind Kind, string Label, int Offset, int Size, string Constant);

/// <summary>One layer attribute, as its unit describes it for the type's docs and its <c>NetworkDescription</c>.</summary>
/// <param name="Documentation">Its line in the docs' table, plain text.</param>
/// <param name="Description">The C# expression of its <c>NetGen.LayerDescription</c>: <c>new(1, global::NetGen.LayerKind.Dense, ...)</c>.</param>
internal sealed record LayerPlan(int Index, string Documentation, string Description);

/// <summary>A named input (<c>[Input("image", 784)]</c>) and the names generated code gives it.</summary>
/// <param name="Name">The input's name, as written (the parameter of <c>WriteInputs</c>).</param>
/// <param name="Node">Its graph node, whose value (<c>x1</c>) is a slice of the input vector.</param>
/// <param name="OffsetConstant"><c>ImageInputOffset</c>.</param>
/// <param name="SizeConstant"><c>ImageInputSize</c>.</param>
internal sealed record InputPlan(string Name, int Node, int Offset, int Size, string OffsetConstant, string SizeConstant);

/// <summary>One forward node as the emitter computes it.</summary>
/// <param name="Parameters">Indices into <see cref="NetworkPlan.Parameters"/>.</param>
/// <param name="Heading">A comment line naming the layer that starts at this node, or null.</param>
/// <param name="IsData">True for the network input and the named inputs: read where they are, never computed or stored.</param>
/// <param name="InputBlock">For a named input, where it is in the input vector; null otherwise.</param>
/// <param name="Epilogue">For an activation that the batch product it reads computes as it stores its value, how; null otherwise.</param>
/// <param name="DerivativeIsFused">True when the input gradient of the product that reads this fused activation also applies its
/// derivative, so the activation's own backward step is that product's and dL/d(this value) is never stored.</param>
internal sealed record NodePlan(
    int Id,
    string Name,
    Op Op,
    int Size,
    EquatableArray<int> Inputs,
    EquatableArray<int> Parameters,
    OpNames Names,
    Strategy Strategy,
    string? Heading,
    bool IsData,
    InputPlan? InputBlock = null,
    FusedActivation? Epilogue = null,
    bool DerivativeIsFused = false);

/// <summary>One backward step: the derivative of node <see cref="Node"/>'s op towards <see cref="Wrt"/>.</summary>
internal sealed record StepPlan(int Node, Wrt Wrt, int Target, Assignment Assignment);

/// <summary>The loss: the node it differentiates (whose gradient <c>SampleLoss</c> writes) and the prediction.</summary>
internal sealed record LossPlan(LossOp Op, int InputNode, int PredictionNode);
