using NetGen.Generator.Model;

namespace NetGen.Generator.Graph;

/// <summary>The kinds of operation a forward graph is made of.</summary>
internal enum OpKind
{
    /// <summary>The network input <c>x</c>; it has no inputs and needs no gradient.</summary>
    Input,

    /// <summary>An affine map <c>z = W · a + b</c> with a weight matrix and a bias vector from the parameter buffer.</summary>
    Linear,

    /// <summary>An element-wise activation <c>a = f(z)</c> (or a softmax over the vector).</summary>
    Activation,

    /// <summary>Inverted dropout <c>h = a * mask</c> while training (mask = 1 / (1 - rate) for kept units, else 0); identity at inference.</summary>
    Dropout,
}

/// <summary>
/// A slice of the flat parameter buffer: <c>Rows x Columns</c> values, row-major, from <c>Offset</c>.
/// A vector (a bias) has one row and <see cref="IsVector"/> set.
/// </summary>
internal sealed record ParameterTensor(string Name, int Offset, int Rows, int Columns, bool IsVector)
{
    public int Length => Rows * Columns;
}

/// <summary>
/// One operation of the forward graph. <see cref="Inputs"/> are node IDs, so the graph is a DAG:
/// a node may feed several others (a skip connection), although dense chains use one consumer each.
/// </summary>
/// <param name="Id">Index of the node in <see cref="ComputationGraph.Nodes"/>; nodes are in topological order.</param>
/// <param name="Kind">The operation.</param>
/// <param name="Name">The value's name in generated code and comments (<c>x</c>, <c>z1</c>, <c>a1</c>, <c>p</c>).</param>
/// <param name="Size">Number of elements of the node's value for one sample.</param>
/// <param name="Inputs">IDs of the nodes this one reads.</param>
/// <param name="Layer">1-based position of the node's layer among all layer attributes (0 for the input).</param>
/// <param name="Activation">For activation nodes, the function.</param>
/// <param name="Weights">For linear nodes, the weight matrix (<see cref="Size"/> rows).</param>
/// <param name="Bias">For linear nodes, the bias vector.</param>
/// <param name="DropoutRate">For dropout nodes, the probability of dropping a unit.</param>
internal sealed record GraphNode(
    int Id,
    OpKind Kind,
    string Name,
    int Size,
    EquatableArray<int> Inputs,
    int Layer,
    ActivationKind Activation = ActivationKind.Identity,
    ParameterTensor? Weights = null,
    ParameterTensor? Bias = null,
    double DropoutRate = 0);

/// <summary>
/// How the loss attaches to the graph. A fused loss reads the logits of the last linear node and
/// differentiates through its output activation in one step (sigmoid + log loss, softmax +
/// cross-entropy: <c>dL/dz = p - t</c>), which is both cheaper and numerically stable.
/// </summary>
/// <param name="Kind">The loss function.</param>
/// <param name="InputNode">The node whose gradient the loss produces: the output, or the logits when fused.</param>
/// <param name="PredictionNode">The node whose value is the prediction (probabilities for cross-entropy losses).</param>
/// <param name="Fused">True when the loss is differentiated together with the output activation.</param>
internal sealed record LossNode(LossKind Kind, int InputNode, int PredictionNode, bool Fused);

/// <summary>
/// Stage 3's result: the forward computation graph of a network, its parameter layout and loss.
/// </summary>
internal sealed record ComputationGraph(
    NetworkSpec Spec,
    EquatableArray<GraphNode> Nodes,
    LossNode Loss,
    EquatableArray<ParameterTensor> Parameters)
{
    public int ParameterCount => Parameters.Count == 0 ? 0 : Parameters[Parameters.Count - 1].Offset + Parameters[Parameters.Count - 1].Length;

    public GraphNode Input => Nodes[0];

    public GraphNode Prediction => Nodes[Loss.PredictionNode];

    public int InputSize => Nodes[0].Size;

    public int OutputSize => Prediction.Size;
}
