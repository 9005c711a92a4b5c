using System.Numerics;
using NetGen.CompilerServices;

namespace NetGen.Graph;

/// <summary>The operation a <see cref="Node{T}"/> of a <see cref="ComputationGraph{T}"/> computes.</summary>
public enum Operation
{
    /// <summary>A trainable tensor (a leaf): its value is set from outside, its gradient accumulates.</summary>
    Parameter,
    /// <summary>Data of a batch (a leaf without a gradient): one row per sample.</summary>
    Input,
    /// <summary>A fixed tensor (a leaf without a gradient).</summary>
    Constant,
    /// <summary><c>z = a · Wᵀ</c> with <c>W</c> stored <c>[out, in]</c> row-major.</summary>
    MatMul,
    /// <summary><c>y = z + b</c>, the bias row added to every row of <c>z</c>.</summary>
    AddBias,
    /// <summary><c>z = a · Wᵀ + b</c>, matrix product and bias fused (a dense layer).</summary>
    Linear,
    /// <summary><c>y = x</c>.</summary>
    Identity,
    /// <summary><c>y = 1 / (1 + e^-x)</c>.</summary>
    Sigmoid,
    /// <summary><c>y = tanh x</c>.</summary>
    Tanh,
    /// <summary><c>y = max(0, x)</c>.</summary>
    ReLU,
    /// <summary><c>y = x</c> for <c>x &gt; 0</c>, else <c>0.01 x</c>.</summary>
    LeakyReLU,
    /// <summary><c>y = ln(1 + e^x)</c>.</summary>
    Softplus,
    /// <summary>Softmax over each row.</summary>
    Softmax,
    /// <summary>Inverted dropout with masks from <see cref="DropoutMask"/>.</summary>
    Dropout,
    /// <summary><c>y = a + b</c>, element-wise.</summary>
    Add,
    /// <summary><c>y = a - b</c>, element-wise.</summary>
    Subtract,
    /// <summary><c>y = a * b</c>, element-wise.</summary>
    Multiply,
    /// <summary><c>y = x²</c>, element-wise.</summary>
    Square,
    /// <summary><c>y = x^p</c>, element-wise, for a fixed exponent <c>p</c>.</summary>
    Power,
    /// <summary><c>L = Σ 1/2 (y - t)²</c> over all rows and columns.</summary>
    SquaredError,
    /// <summary><c>L = Σ_rows 1/n Σ (y - t)²</c> (the mean over the <c>n</c> columns, summed over rows).</summary>
    MeanSquaredError,
    /// <summary>Log loss of <c>sigmoid(z)</c> from the logits <c>z</c>, summed over rows and columns.</summary>
    BinaryCrossEntropy,
    /// <summary>Cross-entropy of <c>softmax(z)</c> over each row from the logits <c>z</c>, summed over rows.</summary>
    SoftmaxCrossEntropy,
    /// <summary>The inputs' rows side by side: <c>y = [a | b | ...]</c>.</summary>
    Concat,
    /// <summary>Layer normalization of each row, <c>y = γ ⊙ (x - μ) / √(σ² + ε) + β</c>.</summary>
    LayerNorm,
    /// <summary>A block of columns of each row, <c>y = x[:, offset..offset + n)</c>.</summary>
    Slice,
}

/// <summary>
/// A node of a <see cref="ComputationGraph{T}"/>: a matrix (rows × columns, row-major) computed by one
/// operation from its inputs. It holds its forward function (computes <see cref="Value"/> from the inputs'
/// values), its backward function (adds this node's gradient, through the operation's derivative, into the
/// inputs' gradients), the value computed by the last forward pass and the gradient computed by the last
/// backward pass.
/// </summary>
/// <remarks>
/// A <em>batched</em> node has one row per sample of the current batch (<see cref="ComputationGraph{T}.BatchSize"/>);
/// its storage is sized once for the graph's batch capacity, so passes do not allocate. Parameters, constants,
/// losses and nodes computed from them alone have fixed shapes.
/// </remarks>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
public abstract class Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _value;
    private readonly int _valueOffset;
    private readonly T[]? _gradient;
    private readonly int _gradientOffset;
    private readonly int _rows;
    private readonly Node<T>[] _inputs;

    internal Node(ComputationGraph<T> graph, string name, Operation operation, Node<T>[] inputs, int rows, int columns, bool batched,
        bool requiresGradient, T[]? valueStorage = null, int valueOffset = 0, T[]? gradientStorage = null, int gradientOffset = 0)
    {
        Graph = graph;
        Name = name;
        Operation = operation;
        _inputs = inputs;
        _rows = rows;
        Columns = columns;
        IsBatched = batched;
        RequiresGradient = requiresGradient;
        if (batched && valueStorage is null && (long)graph.BatchCapacity * columns > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException("batchCapacity", graph.BatchCapacity,
                $"'batchCapacity' is {graph.BatchCapacity}, but node '{name}' keeps {columns} values per sample for the whole batch in one array, "
                + $"which can hold at most {Array.MaxLength} (the largest .NET array), so at most {WorkspaceLimits.LargestBatch(columns)} samples fit. "
                + "Create the graph with a smaller batch capacity.");
        }

        int capacity = (batched ? graph.BatchCapacity : rows) * columns;
        _value = valueStorage ?? new T[capacity];
        _valueOffset = valueOffset;
        if (requiresGradient)
        {
            _gradient = gradientStorage ?? new T[capacity];
            _gradientOffset = gradientOffset;
        }
    }

    /// <summary>The graph this node belongs to.</summary>
    public ComputationGraph<T> Graph { get; }

    /// <summary>Position of the node in <see cref="ComputationGraph{T}.Nodes"/> (creation order, which is a topological order).</summary>
    public int Index { get; internal set; }

    /// <summary>The node's name (a parameter's tensor name, or a generated one such as <c>z1</c>).</summary>
    public string Name { get; }

    /// <summary>The operation the node computes.</summary>
    public Operation Operation { get; }

    /// <summary>The nodes whose values this node's forward function reads.</summary>
    public IReadOnlyList<Node<T>> Inputs => _inputs;

    /// <summary>True when the node has one row per sample of the current batch.</summary>
    public bool IsBatched { get; }

    /// <summary>Rows of the value: <see cref="ComputationGraph{T}.BatchSize"/> for a batched node, else fixed.</summary>
    public int Rows => IsBatched ? Graph.BatchSize : _rows;

    /// <summary>Columns of the value.</summary>
    public int Columns { get; }

    /// <summary>Number of elements of the value (<see cref="Rows"/> × <see cref="Columns"/>).</summary>
    public int Length => Rows * Columns;

    /// <summary>
    /// True when a parameter lies upstream of this node, so the backward pass computes its gradient; false for
    /// inputs, constants and nodes computed from them alone (their <see cref="Gradient"/> is empty).
    /// </summary>
    public bool RequiresGradient { get; }

    /// <summary>The value computed by the last forward pass (for leaves: the value set by the caller), row-major.</summary>
    public Span<T> Value => _value.AsSpan(_valueOffset, Length);

    /// <summary>
    /// The gradient of the root of the last backward pass with respect to <see cref="Value"/>; for parameters it
    /// accumulates over backward passes until <see cref="ComputationGraph{T}.ZeroParameterGradients"/>. Empty when
    /// <see cref="RequiresGradient"/> is false.
    /// </summary>
    public Span<T> Gradient => _gradient is null ? Span<T>.Empty : _gradient.AsSpan(_gradientOffset, Length);

    /// <summary>Row <paramref name="row"/> of <see cref="Value"/>.</summary>
    public Span<T> ValueRow(int row) => _value.AsSpan(_valueOffset + (row * Columns), Columns);

    /// <summary>Row <paramref name="row"/> of <see cref="Gradient"/>.</summary>
    public Span<T> GradientRow(int row) => _gradient is null ? Span<T>.Empty : _gradient.AsSpan(_gradientOffset + (row * Columns), Columns);

    /// <summary>Cached topological order of this node's ancestors (and itself), built on first use.</summary>
    internal Node<T>[]? Schedule { get; set; }

    /// <summary>The forward function: computes <see cref="Value"/> from the inputs' values. Leaves do nothing.</summary>
    internal abstract void Forward();

    /// <summary>
    /// The backward function: adds <see cref="Gradient"/> times the local derivative into the gradient of every
    /// input that requires one (each edge once). Leaves do nothing.
    /// </summary>
    internal abstract void Backward();

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} = {Operation}({string.Join(", ", _inputs.Select(i => i.Name))}) [{(IsBatched ? "batch" : _rows.ToString(System.Globalization.CultureInfo.InvariantCulture))}x{Columns}]";
}
