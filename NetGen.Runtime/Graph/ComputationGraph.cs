using System.Globalization;
using System.Numerics;
using NetGen.CompilerServices;

namespace NetGen.Graph;

/// <summary>
/// A computation graph built at run time, node by node, as in the lecture notes: parameters, inputs and
/// operations, each node with its forward function, inputs, value, backward function and gradient.
/// <see cref="Forward"/> evaluates a node's ancestors in topological order; <see cref="Backward"/> runs
/// reverse-mode differentiation in the reverse order, touching every edge once and accumulating the gradient
/// of a node that feeds several others.
/// </summary>
/// <remarks>
/// <para>Values are matrices (rows × columns, row-major). Batched nodes (inputs and everything computed from them)
/// have one row per sample; storage is sized for <see cref="BatchCapacity"/> when a node is created, so once the
/// graph is built, passes allocate nothing.</para>
/// <para>
/// The notes' first example, <c>e = (a + b)(b + 1)</c> at a = 2, b = 1:
/// <code>
/// var g = new ComputationGraph&lt;double&gt;();
/// var a = g.Scalar("a", 2); var b = g.Scalar("b", 1);
/// var e = g.Multiply(g.Add(a, b), g.Add(b, g.Constant(1)));
/// g.Forward(e); g.Backward(e);      // e = 6, a.Gradient[0] = 2, b.Gradient[0] = 5
/// </code>
/// </para>
/// <para>A graph is not thread-safe: use one per thread.</para>
/// </remarks>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
public sealed class ComputationGraph<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Node<T>> _nodes = [];
    private int _batchSize;

    /// <summary>Creates an empty graph whose batched nodes hold up to <paramref name="batchCapacity"/> rows.</summary>
    /// <param name="batchCapacity">The largest batch; positive.</param>
    public ComputationGraph(int batchCapacity = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchCapacity);
        BatchCapacity = batchCapacity;
        _batchSize = batchCapacity;
    }

    /// <summary>The largest batch the graph's storage holds.</summary>
    public int BatchCapacity { get; }

    /// <summary>The number of rows of every batched node in the next pass (1 to <see cref="BatchCapacity"/>; initially the capacity).</summary>
    public int BatchSize
    {
        get => _batchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, BatchCapacity);
            _batchSize = value;
        }
    }

    /// <summary>True for a training pass: dropout nodes then drop units; false (the default) passes values through.</summary>
    public bool Training { get; set; }

    /// <summary>The seed of the dropout masks (see <see cref="DropoutMask"/>).</summary>
    public ulong DropoutSeed { get; set; }

    /// <summary>The index within the whole minibatch of row 0 of the batched nodes, for the dropout masks.</summary>
    public int SampleOffset { get; set; }

    /// <summary>
    /// The threads that share the graph's large products (as in generated networks: the same results), set from the
    /// workspace for each pass of a <see cref="DynamicNetwork{T}"/>; null computes them on the calling thread.
    /// </summary>
    internal KernelTeam? Team { get; set; }

    /// <summary>Every node, in creation order (a topological order: a node's inputs always come before it).</summary>
    public IReadOnlyList<Node<T>> Nodes => _nodes;

    /// <summary>A trainable tensor of <paramref name="rows"/> × <paramref name="columns"/> with its own storage (zeros).</summary>
    public Node<T> Parameter(string name, int rows, int columns)
    {
        CheckShape(rows, columns);
        return Register(new LeafNode<T>(this, name, Operation.Parameter, rows, columns, batched: false));
    }

    /// <summary>
    /// A trainable tensor that views <paramref name="values"/> from <paramref name="valueOffset"/> and accumulates its
    /// gradient into <paramref name="gradients"/> from <paramref name="gradientOffset"/>, so that parameters and
    /// gradients of many nodes can live in flat buffers of one layout.
    /// </summary>
    public Node<T> Parameter(string name, int rows, int columns, T[] values, int valueOffset, T[] gradients, int gradientOffset)
    {
        CheckShape(rows, columns);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(gradients);
        if (valueOffset < 0 || valueOffset + (rows * columns) > values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(valueOffset), valueOffset, $"The parameter {name} [{rows}x{columns}] does not fit in a buffer of {values.Length}.");
        }

        if (gradientOffset < 0 || gradientOffset + (rows * columns) > gradients.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(gradientOffset), gradientOffset, $"The gradient of {name} [{rows}x{columns}] does not fit in a buffer of {gradients.Length}.");
        }

        return Register(new LeafNode<T>(this, name, Operation.Parameter, rows, columns, batched: false, values, valueOffset, gradients, gradientOffset));
    }

    /// <summary>A 1×1 trainable parameter holding <paramref name="value"/> (a variable of the notes' scalar examples).</summary>
    public Node<T> Scalar(string name, T value)
    {
        var node = Parameter(name, 1, 1);
        node.Value[0] = value;
        return node;
    }

    /// <summary>A batched input of <paramref name="columns"/> features per sample (no gradient); write its <see cref="Node{T}.Value"/> before a pass.</summary>
    public Node<T> Input(string name, int columns)
    {
        CheckShape(1, columns);
        return Register(new LeafNode<T>(this, name, Operation.Input, 1, columns, batched: true));
    }

    /// <summary>A 1×1 constant.</summary>
    public Node<T> Constant(T value) => Constant(value.ToString(null, CultureInfo.InvariantCulture), 1, 1, value);

    /// <summary>A constant <paramref name="rows"/> × <paramref name="columns"/> matrix filled with <paramref name="value"/>.</summary>
    public Node<T> Constant(string name, int rows, int columns, T value)
    {
        CheckShape(rows, columns);
        var node = Register(new LeafNode<T>(this, name, Operation.Constant, rows, columns, batched: false));
        node.Value.Fill(value);
        return node;
    }

    /// <summary><c>z = a · Wᵀ</c>: <paramref name="a"/> is [rows × in], <paramref name="weights"/> [out × in] (row-major, one row per output unit).</summary>
    public Node<T> MatMul(Node<T> a, Node<T> weights, string? name = null)
    {
        CheckOwned(a);
        CheckOwned(weights);
        CheckInner(a, weights);
        return Register(new LinearNode<T>(this, name ?? AutoName("matmul"), a, weights, null));
    }

    /// <summary><c>y = z + b</c>: the 1 × columns bias added to every row of <paramref name="z"/>.</summary>
    public Node<T> AddBias(Node<T> z, Node<T> bias, string? name = null)
    {
        CheckOwned(z);
        CheckOwned(bias);
        if (bias.IsBatched || bias.Length != z.Columns)
        {
            throw new ArgumentException($"The bias {bias.Name} must have {z.Columns} elements, one per column of {z.Name}.", nameof(bias));
        }

        return Register(new AddBiasNode<T>(this, name ?? AutoName("addbias"), z, bias));
    }

    /// <summary><c>z = a · Wᵀ + b</c> in one node (a dense layer); shapes as in <see cref="MatMul"/> and <see cref="AddBias"/>.</summary>
    public Node<T> Linear(Node<T> a, Node<T> weights, Node<T> bias, string? name = null)
    {
        CheckOwned(a);
        CheckOwned(weights);
        CheckOwned(bias);
        CheckInner(a, weights);
        if (bias.IsBatched || bias.Length != weights.Rows)
        {
            throw new ArgumentException($"The bias {bias.Name} must have {weights.Rows} elements, one per row of {weights.Name}.", nameof(bias));
        }

        return Register(new LinearNode<T>(this, name ?? AutoName("linear"), a, weights, bias));
    }

    /// <summary>The element-wise activation <paramref name="activation"/> (or a row softmax for <see cref="NetGen.Activation.Softmax"/>).</summary>
    public Node<T> Activation(Node<T> x, Activation activation, string? name = null) => activation switch
    {
        NetGen.Activation.Identity => Unary(Operation.Identity, x, name),
        NetGen.Activation.Sigmoid => Unary(Operation.Sigmoid, x, name),
        NetGen.Activation.Tanh => Unary(Operation.Tanh, x, name),
        NetGen.Activation.ReLU => Unary(Operation.ReLU, x, name),
        NetGen.Activation.LeakyReLU => Unary(Operation.LeakyReLU, x, name),
        NetGen.Activation.Softplus => Unary(Operation.Softplus, x, name),
        NetGen.Activation.Softmax => Softmax(x, name),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary><c>y = x</c> (a copy; its backward passes the gradient through).</summary>
    public Node<T> Identity(Node<T> x, string? name = null) => Unary(Operation.Identity, x, name);

    /// <summary><c>y = 1 / (1 + e^-x)</c>; <c>dx = dy · y (1 - y)</c>.</summary>
    public Node<T> Sigmoid(Node<T> x, string? name = null) => Unary(Operation.Sigmoid, x, name);

    /// <summary><c>y = tanh x</c>; <c>dx = dy · (1 - y²)</c>.</summary>
    public Node<T> Tanh(Node<T> x, string? name = null) => Unary(Operation.Tanh, x, name);

    /// <summary><c>y = max(0, x)</c>; <c>dx = dy</c> where <c>x &gt; 0</c>, else 0.</summary>
    public Node<T> ReLU(Node<T> x, string? name = null) => Unary(Operation.ReLU, x, name);

    /// <summary><c>y = x</c> for <c>x &gt; 0</c>, else <c>0.01 x</c>; <c>dx = dy</c> or <c>0.01 dy</c>.</summary>
    public Node<T> LeakyReLU(Node<T> x, string? name = null) => Unary(Operation.LeakyReLU, x, name);

    /// <summary><c>y = ln(1 + e^x)</c>; <c>dx = dy · sigmoid(x)</c>.</summary>
    public Node<T> Softplus(Node<T> x, string? name = null) => Unary(Operation.Softplus, x, name);

    /// <summary>Softmax over each row; <c>dx = y ⊙ (dy - dy · y)</c>.</summary>
    public Node<T> Softmax(Node<T> x, string? name = null)
    {
        CheckOwned(x);
        return Register(new SoftmaxNode<T>(this, name ?? AutoName("softmax"), x));
    }

    /// <summary>
    /// Inverted dropout of rate <paramref name="rate"/> as layer <paramref name="layerIndex"/> (the
    /// <see cref="LayerDescription.Index"/> the masks are keyed on): while <see cref="Training"/>, unit u of row r is
    /// kept and scaled by <c>1 / (1 - rate)</c> when <c>DropoutMask.IsKept(DropoutSeed, SampleOffset + r, layerIndex, u, …)</c>,
    /// else zeroed; otherwise values pass through.
    /// </summary>
    public Node<T> Dropout(Node<T> x, double rate, int layerIndex, string? name = null)
    {
        CheckOwned(x);
        DropoutMask.KeepThreshold(rate); // validates the rate
        return Register(new DropoutNode<T>(this, name ?? AutoName("dropout"), x, rate, layerIndex));
    }

    /// <summary><c>y = a + b</c> element-wise (same shapes).</summary>
    public Node<T> Add(Node<T> a, Node<T> b, string? name = null) => Binary(Operation.Add, a, b, name);

    /// <summary><c>y = a - b</c> element-wise (same shapes).</summary>
    public Node<T> Subtract(Node<T> a, Node<T> b, string? name = null) => Binary(Operation.Subtract, a, b, name);

    /// <summary><c>y = a · b</c> element-wise (same shapes); <c>da = dy · b</c>, <c>db = dy · a</c>.</summary>
    public Node<T> Multiply(Node<T> a, Node<T> b, string? name = null) => Binary(Operation.Multiply, a, b, name);

    /// <summary><c>y = x²</c> element-wise; <c>dx = 2 x dy</c>.</summary>
    public Node<T> Square(Node<T> x, string? name = null) => Power(x, T.CreateChecked(2), name ?? AutoName("square"));

    /// <summary><c>y = x^p</c> element-wise; <c>dx = p x^(p-1) dy</c>.</summary>
    public Node<T> Power(Node<T> x, T exponent, string? name = null)
    {
        CheckOwned(x);
        return Register(new PowerNode<T>(this, name ?? AutoName("pow"), x, exponent));
    }

    /// <summary>
    /// The rows of <paramref name="parts"/> side by side, <c>y = [a | b | ...]</c> (same number of rows; columns add up);
    /// its backward pass hands each part its slice of the gradient.
    /// </summary>
    public Node<T> Concat(IReadOnlyList<Node<T>> parts, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one part.", nameof(parts));
        }

        foreach (var part in parts)
        {
            CheckOwned(part);
            if (part.IsBatched != parts[0].IsBatched || part.Rows != parts[0].Rows)
            {
                throw new ArgumentException($"Concat needs parts with the same rows; {part} and {parts[0]} differ.", nameof(parts));
            }
        }

        return Register(new ConcatNode<T>(this, name ?? AutoName("concat"), [.. parts]));
    }

    /// <summary>
    /// Columns <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="columns"/> of each row of
    /// <paramref name="x"/>; its backward pass adds the gradient into that block of x's gradient.
    /// </summary>
    public Node<T> Slice(Node<T> x, int offset, int columns, string? name = null)
    {
        CheckOwned(x);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)offset + columns > x.Columns)
        {
            throw new ArgumentException($"Columns {offset}..{(long)offset + columns} are not all within the {x.Columns} columns of {x.Name}.", nameof(columns));
        }

        return Register(new SliceNode<T>(this, name ?? AutoName("slice"), x, offset, columns));
    }

    /// <summary>
    /// Layer normalization of each row of <paramref name="x"/>: <c>x̂ = (x - μ) / √(σ² + ε)</c> with the row's mean μ and
    /// (biased) variance σ², then <c>y = γ ⊙ x̂ + β</c> with the 1 × columns gain <paramref name="gain"/> and
    /// <paramref name="bias"/> (either may be null: γ = 1, β = 0). Backward, per row with <c>g = dy ⊙ γ</c>:
    /// <c>dx = (g - mean(g) - x̂ · mean(g ⊙ x̂)) / √(σ² + ε)</c>, <c>dγ += dy ⊙ x̂</c>, <c>dβ += dy</c>.
    /// </summary>
    /// <param name="x">The values to normalize.</param>
    /// <param name="gain">γ, or null.</param>
    /// <param name="bias">β, or null.</param>
    /// <param name="epsilon">ε &gt; 0, added to the variance so a constant row does not divide by zero.</param>
    /// <param name="name">The node's name.</param>
    public Node<T> LayerNorm(Node<T> x, Node<T>? gain, Node<T>? bias, double epsilon = 1e-5, string? name = null)
    {
        CheckOwned(x);
        foreach (var (vector, role) in new[] { (gain, nameof(gain)), (bias, nameof(bias)) })
        {
            if (vector is null)
            {
                continue;
            }

            CheckOwned(vector);
            if (vector.IsBatched || vector.Length != x.Columns)
            {
                throw new ArgumentException($"The LayerNorm {role} {vector.Name} must have {x.Columns} elements, one per column of {x.Name}.", role);
            }
        }

        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "LayerNorm's epsilon must be a positive, finite number.");
        }

        return Register(new LayerNormNode<T>(this, name ?? AutoName("layernorm"), x, gain, bias, epsilon));
    }

    /// <summary>The loss <c>Σ_rows 1/2 Σ (y - t)²</c> (a 1×1 node); <c>dy = y - t</c>.</summary>
    public Node<T> SquaredError(Node<T> prediction, Node<T> target, string? name = null) => Loss(Operation.SquaredError, prediction, target, name);

    /// <summary>The loss <c>Σ_rows 1/n Σ (y - t)²</c> over the n columns (a 1×1 node); <c>dy = 2 (y - t) / n</c>.</summary>
    public Node<T> MeanSquaredError(Node<T> prediction, Node<T> target, string? name = null) => Loss(Operation.MeanSquaredError, prediction, target, name);

    /// <summary>
    /// The log loss of <c>sigmoid(z)</c> from the logits <paramref name="logits"/>, <c>Σ max(z, 0) - z t + ln(1 + e^-|z|)</c>
    /// (a 1×1 node); sigmoid and loss fused, <c>dz = sigmoid(z) - t</c>.
    /// </summary>
    public Node<T> BinaryCrossEntropy(Node<T> logits, Node<T> target, string? name = null) => Loss(Operation.BinaryCrossEntropy, logits, target, name);

    /// <summary>
    /// The cross-entropy of <c>softmax(z)</c> over each row from the logits, <c>Σ_rows Σ t (lse - z)</c> with the
    /// log-sum-exp <c>lse</c> (a 1×1 node); softmax and loss fused, <c>dz = p Σt - t</c>.
    /// </summary>
    public Node<T> SoftmaxCrossEntropy(Node<T> logits, Node<T> target, string? name = null) => Loss(Operation.SoftmaxCrossEntropy, logits, target, name);

    /// <summary>The ancestors of <paramref name="root"/> and the root itself, in topological order (computed once per root, then cached).</summary>
    public IReadOnlyList<Node<T>> Schedule(Node<T> root)
    {
        CheckOwned(root);
        return GetSchedule(root);
    }

    /// <summary>Evaluates every ancestor of <paramref name="root"/>, then the root, in topological order.</summary>
    public void Forward(Node<T> root)
    {
        CheckOwned(root);
        foreach (var node in GetSchedule(root))
        {
            node.Forward();
        }
    }

    /// <summary>
    /// Reverse-mode differentiation of <paramref name="root"/> (after <see cref="Forward"/>): sets the gradient of
    /// every non-parameter ancestor to d(sum of the root's elements)/d(node) and <b>adds</b> that derivative into the
    /// gradient of every parameter ancestor. Nodes are visited in reverse topological order, so a node's backward
    /// function runs once its gradient has received the contributions of all the nodes it feeds.
    /// </summary>
    public void Backward(Node<T> root)
    {
        CheckOwned(root);
        if (!root.RequiresGradient)
        {
            return;
        }

        var schedule = GetSchedule(root);
        foreach (var node in schedule)
        {
            if (node.RequiresGradient && node.Operation != Operation.Parameter)
            {
                node.Gradient.Clear();
            }
        }

        // Seed: d(Σ root)/d(root) = 1 for every element.
        Span<T> seed = root.Gradient;
        for (int i = 0; i < seed.Length; i++)
        {
            seed[i] += T.One;
        }

        for (int i = schedule.Length - 1; i >= 0; i--)
        {
            if (schedule[i].RequiresGradient)
            {
                schedule[i].Backward();
            }
        }
    }

    /// <summary>Sets the gradient of every parameter to zero.</summary>
    public void ZeroParameterGradients()
    {
        foreach (var node in _nodes)
        {
            if (node.Operation == Operation.Parameter)
            {
                node.Gradient.Clear();
            }
        }
    }

    private Node<T>[] GetSchedule(Node<T> root)
    {
        if (root.Schedule is { } cached)
        {
            return cached;
        }

        // Iterative depth-first search; a node is emitted after all of its inputs (post-order).
        var order = new List<Node<T>>();
        var visited = new HashSet<Node<T>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node<T> Node, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Count)
            {
                stack.Push((node, next + 1));
                var input = node.Inputs[next];
                if (visited.Add(input))
                {
                    stack.Push((input, 0));
                }
            }
            else
            {
                order.Add(node);
            }
        }

        var schedule = order.ToArray();
        root.Schedule = schedule;
        return schedule;
    }

    private Node<T> Unary(Operation operation, Node<T> x, string? name)
    {
        CheckOwned(x);
        return Register(new ActivationNode<T>(this, name ?? AutoName(operation.ToString().ToLowerInvariant()), operation, x));
    }

    private Node<T> Binary(Operation operation, Node<T> a, Node<T> b, string? name)
    {
        CheckOwned(a);
        CheckOwned(b);
        if (a.IsBatched != b.IsBatched || a.Rows != b.Rows || a.Columns != b.Columns)
        {
            throw new ArgumentException($"{operation} needs operands of the same shape; {a} and {b} differ.", nameof(b));
        }

        return Register(new BinaryNode<T>(this, name ?? AutoName(operation.ToString().ToLowerInvariant()), operation, a, b));
    }

    private Node<T> Loss(Operation operation, Node<T> prediction, Node<T> target, string? name)
    {
        CheckOwned(prediction);
        CheckOwned(target);
        if (prediction.IsBatched != target.IsBatched || prediction.Rows != target.Rows || prediction.Columns != target.Columns)
        {
            throw new ArgumentException($"The target {target} must have the shape of the prediction {prediction}.", nameof(target));
        }

        if (target.RequiresGradient)
        {
            throw new ArgumentException($"The target {target.Name} depends on a parameter; losses do not differentiate their targets.", nameof(target));
        }

        return Register(new LossNode<T>(this, name ?? AutoName("loss"), operation, prediction, target));
    }

    private Node<T> Register(Node<T> node)
    {
        node.Index = _nodes.Count;
        _nodes.Add(node);
        return node;
    }

    private string AutoName(string prefix) => prefix + _nodes.Count.ToString(CultureInfo.InvariantCulture);

    private void CheckOwned(Node<T> node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!ReferenceEquals(node.Graph, this))
        {
            throw new ArgumentException($"The node {node.Name} belongs to another graph.", nameof(node));
        }
    }

    private static void CheckInner(Node<T> a, Node<T> weights)
    {
        if (weights.IsBatched || weights.Columns != a.Columns)
        {
            throw new ArgumentException($"The weights {weights.Name} [{weights.Rows}x{weights.Columns}] need {weights.Columns} columns in {a.Name}, which has {a.Columns}.", nameof(weights));
        }
    }

    private static void CheckShape(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
    }
}
