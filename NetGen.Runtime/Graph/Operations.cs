using System.Numerics;
using System.Numerics.Tensors;
using NetGen.CompilerServices;

namespace NetGen.Graph;

// The operations of the dynamic graph, one class per node kind. Each forward function reads its
// inputs' values; each backward function ADDS its contribution to its inputs' gradients, touching
// every edge once (the graph zeroes gradients before a backward pass). Kernels are TensorPrimitives
// (vectorized with Vector128/256/512) over whole rows; nothing allocates after construction.

/// <summary>A leaf: a parameter, an input or a constant. Its value is set from outside.</summary>
internal sealed class LeafNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public LeafNode(ComputationGraph<T> graph, string name, Operation operation, int rows, int columns, bool batched,
        T[]? valueStorage = null, int valueOffset = 0, T[]? gradientStorage = null, int gradientOffset = 0)
        : base(graph, name, operation, [], rows, columns, batched, operation == Operation.Parameter, valueStorage, valueOffset, gradientStorage, gradientOffset)
    {
    }

    internal override void Forward()
    {
    }

    internal override void Backward()
    {
    }
}

/// <summary>
/// <c>z = a · Wᵀ (+ b)</c>: row r of z, unit j is the dot product of row j of W with row r of a. Forward and
/// backward are the <see cref="DenseKernels"/> products generated networks call, so the generated-vs-dynamic
/// benchmark compares the graph machinery, not two kernels.
/// </summary>
internal sealed class LinearNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _a;
    private readonly Node<T> _w;
    private readonly Node<T>? _b;

    // The kernels always take a bias and a bias gradient: zeros for a product without bias, and scratch
    // for a bias gradient nobody wants (cleared before each use, so it cannot grow without bound).
    private readonly T[] _zeroBias;
    private readonly T[] _unusedBiasGradient;

    public LinearNode(ComputationGraph<T> graph, string name, Node<T> a, Node<T> w, Node<T>? b)
        : base(graph, name, b is null ? Operation.MatMul : Operation.Linear, b is null ? [a, w] : [a, w, b], a.Rows, w.Rows, a.IsBatched,
            a.RequiresGradient || w.RequiresGradient || (b?.RequiresGradient ?? false))
    {
        _a = a;
        _w = w;
        _b = b;
        _zeroBias = b is null ? new T[w.Rows] : [];
        _unusedBiasGradient = b is not { RequiresGradient: true } ? new T[w.Rows] : [];
    }

    internal override void Forward()
    {
        ReadOnlySpan<T> bias = _b is null ? _zeroBias : _b.Value;
        DenseKernels.Forward(_a.Value, _a.Columns, _w.Value, bias, Value, Columns, Rows, n: Columns, k: _a.Columns, Graph.Team);
    }

    internal override void Backward()
    {
        int rows = Rows, units = Columns, inputs = _a.Columns;
        if (_w.RequiresGradient)
        {
            // dL/dW += dL/dzᵀ · a and dL/db += Σ_rows dL/dz, in one pass over dz
            Span<T> db;
            if (_b is { RequiresGradient: true })
            {
                db = _b.Gradient;
            }
            else
            {
                Array.Clear(_unusedBiasGradient);
                db = _unusedBiasGradient;
            }

            DenseKernels.AccumulateWeightGradient(Gradient, units, _a.Value, inputs, _w.Gradient, db, rows, n: units, k: inputs, Graph.Team);
        }
        else if (_b is { RequiresGradient: true })
        {
            // dL/db += Σ_rows dL/dz
            Span<T> db = _b.Gradient;
            for (int r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(db, GradientRow(r), db);
            }
        }

        if (_a.RequiresGradient)
        {
            // dL/da += dL/dz · W
            DenseKernels.InputGradient(Gradient, units, _w.Value, _a.Gradient, inputs, rows, n: units, k: inputs, accumulate: true, team: Graph.Team);
        }
    }
}

/// <summary><c>y = z + b</c> with the bias row broadcast over the rows of z.</summary>
internal sealed class AddBiasNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _z;
    private readonly Node<T> _b;

    public AddBiasNode(ComputationGraph<T> graph, string name, Node<T> z, Node<T> b)
        : base(graph, name, Operation.AddBias, [z, b], z.Rows, z.Columns, z.IsBatched, z.RequiresGradient || b.RequiresGradient)
    {
        _z = z;
        _b = b;
    }

    internal override void Forward()
    {
        ReadOnlySpan<T> b = _b.Value;
        for (int r = 0; r < Rows; r++)
        {
            TensorPrimitives.Add(_z.ValueRow(r), b, ValueRow(r));
        }
    }

    internal override void Backward()
    {
        if (_z.RequiresGradient)
        {
            TensorPrimitives.Add(_z.Gradient, Gradient, _z.Gradient);
        }

        if (_b.RequiresGradient)
        {
            Span<T> db = _b.Gradient;
            for (int r = 0; r < Rows; r++)
            {
                TensorPrimitives.Add(db, GradientRow(r), db);
            }
        }
    }
}

/// <summary>An element-wise activation (identity, sigmoid, tanh, ReLU, leaky ReLU, softplus).</summary>
internal sealed class ActivationNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Slope = T.CreateChecked(Shared.NetworkRules.LeakyReLUSlope);
    private readonly Node<T> _x;
    private readonly T[]? _scratch;

    public ActivationNode(ComputationGraph<T> graph, string name, Operation operation, Node<T> x)
        : base(graph, name, operation, [x], x.Rows, x.Columns, x.IsBatched, x.RequiresGradient)
    {
        if (operation is not (Operation.Identity or Operation.Sigmoid or Operation.Tanh or Operation.ReLU or Operation.LeakyReLU or Operation.Softplus))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not an element-wise activation.");
        }

        _x = x;
        if (operation is Operation.Sigmoid or Operation.Tanh or Operation.Softplus)
        {
            _scratch = new T[(x.IsBatched ? graph.BatchCapacity : x.Rows) * x.Columns];
        }
    }

    internal override void Forward()
    {
        ReadOnlySpan<T> x = _x.Value;
        Span<T> y = Value;
        switch (Operation)
        {
            case Operation.Identity:
                x.CopyTo(y);
                break;
            case Operation.Sigmoid:
                TensorPrimitives.Sigmoid(x, y);
                break;
            case Operation.Tanh:
                // The kernel generated code calls for layers of 8 units or more, so the two give the same bits there
                // (smaller generated layers are unrolled and call MathF.Tanh, within an ulp of it).
                ActivationKernels.Tanh(x, y);
                break;
            case Operation.ReLU:
                ActivationKernels.Rectifier(x, T.Zero, y);
                break;
            case Operation.LeakyReLU:
                ActivationKernels.Rectifier(x, Slope, y);
                break;
            case Operation.Softplus:
                // softplus(x) = max(x, 0) + ln(1 + e^-|x|), which neither overflows nor loses small values
                Span<T> s = _scratch.AsSpan(0, x.Length);
                TensorPrimitives.Abs(x, s);
                TensorPrimitives.Negate(s, s);
                TensorPrimitives.Exp(s, s);
                TensorPrimitives.Add(s, T.One, s);
                TensorPrimitives.Log(s, s);
                TensorPrimitives.Max(x, T.Zero, y);
                TensorPrimitives.Add(y, s, y);
                break;
            default:
                throw new InvalidOperationException($"{Name}: {Operation} is not an activation (the constructor admits none).");
        }
    }

    internal override void Backward()
    {
        if (!_x.RequiresGradient)
        {
            return;
        }

        ReadOnlySpan<T> g = Gradient;
        Span<T> dx = _x.Gradient;
        switch (Operation)
        {
            case Operation.Identity:
                TensorPrimitives.Add(dx, g, dx);
                break;
            case Operation.Sigmoid:
            {
                // dx += g * y * (1 - y)
                Span<T> s = _scratch.AsSpan(0, g.Length);
                ReadOnlySpan<T> y = Value;
                TensorPrimitives.Subtract(T.One, y, s);
                TensorPrimitives.Multiply(s, y, s);
                TensorPrimitives.MultiplyAdd(g, s, dx, dx);
                break;
            }

            case Operation.Tanh:
            {
                // dx += g * (1 - y²)
                Span<T> s = _scratch.AsSpan(0, g.Length);
                ReadOnlySpan<T> y = Value;
                TensorPrimitives.Multiply(y, y, s);
                TensorPrimitives.Subtract(T.One, s, s);
                TensorPrimitives.MultiplyAdd(g, s, dx, dx);
                break;
            }

            case Operation.ReLU:
                // dx += x > 0 ? g : 0
                ActivationKernels.RectifierDerivative(_x.Value, g, T.Zero, dx, accumulate: true);
                break;
            case Operation.LeakyReLU:
                // dx += x > 0 ? g : 0.01 g
                ActivationKernels.RectifierDerivative(_x.Value, g, Slope, dx, accumulate: true);
                break;
            case Operation.Softplus:
            {
                // softplus: dx += g * sigmoid(x)
                Span<T> s = _scratch.AsSpan(0, g.Length);
                TensorPrimitives.Sigmoid(_x.Value, s);
                TensorPrimitives.MultiplyAdd(g, s, dx, dx);
                break;
            }

            default:
                throw new InvalidOperationException($"{Name}: {Operation} is not an activation (the constructor admits none).");
        }
    }
}

/// <summary>Softmax over each row: <c>y = e^(x - max x) / Σ e^(x - max x)</c>.</summary>
internal sealed class SoftmaxNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _x;
    private readonly T[] _scratch;

    public SoftmaxNode(ComputationGraph<T> graph, string name, Node<T> x)
        : base(graph, name, Operation.Softmax, [x], x.Rows, x.Columns, x.IsBatched, x.RequiresGradient)
    {
        _x = x;
        _scratch = new T[x.Columns];
    }

    internal override void Forward()
    {
        for (int r = 0; r < Rows; r++)
        {
            Kernels.Softmax(_x.ValueRow(r), ValueRow(r));
        }
    }

    internal override void Backward()
    {
        if (!_x.RequiresGradient)
        {
            return;
        }

        // dx = y ⊙ (g - (g · y)) per row, the Jacobian-vector product of the softmax
        Span<T> s = _scratch;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> y = ValueRow(r);
            ReadOnlySpan<T> g = GradientRow(r);
            Span<T> dx = _x.GradientRow(r);
            T dot = TensorPrimitives.Dot(g, y);
            TensorPrimitives.Subtract(g, dot, s);
            TensorPrimitives.MultiplyAdd(s, y, dx, dx);
        }
    }
}

/// <summary>
/// Inverted dropout: while the graph is training, unit u of sample r is kept (and scaled by 1 / (1 - rate))
/// when <see cref="DropoutMask.IsKept"/> says so for (seed, sample offset + r, layer, u), else zeroed;
/// otherwise values pass through.
/// </summary>
internal sealed class DropoutNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _x;
    private readonly T[] _mask;
    private readonly T _scale;
    private readonly ulong _threshold;
    private bool _applied;

    public DropoutNode(ComputationGraph<T> graph, string name, Node<T> x, double rate, int layer)
        : base(graph, name, Operation.Dropout, [x], x.Rows, x.Columns, x.IsBatched, x.RequiresGradient)
    {
        _x = x;
        Rate = rate;
        Layer = layer;
        _threshold = DropoutMask.KeepThreshold(rate);
        _scale = T.CreateChecked(1.0 / (1.0 - rate));
        _mask = new T[(x.IsBatched ? graph.BatchCapacity : x.Rows) * x.Columns];
    }

    public double Rate { get; }

    public int Layer { get; }

    internal override void Forward()
    {
        _applied = Graph.Training && Rate > 0;
        if (!_applied)
        {
            _x.Value.CopyTo(Value);
            return;
        }

        ulong seed = Graph.DropoutSeed;
        int offset = Graph.SampleOffset;
        int units = Columns;
        for (int r = 0; r < Rows; r++)
        {
            // The row's masks drawn at once, as generated code draws them.
            DropoutMask.Apply(seed, offset + r, Layer, _x.ValueRow(r), _mask.AsSpan(r * units, units), ValueRow(r), _threshold, _scale);
        }
    }

    internal override void Backward()
    {
        if (!_x.RequiresGradient)
        {
            return;
        }

        Span<T> dx = _x.Gradient;
        if (_applied)
        {
            TensorPrimitives.MultiplyAdd(Gradient, _mask.AsSpan(0, Length), dx, dx);
        }
        else
        {
            TensorPrimitives.Add(dx, Gradient, dx);
        }
    }
}

/// <summary>Element-wise binary operations on two nodes of the same shape: add, subtract, multiply.</summary>
internal sealed class BinaryNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _a;
    private readonly Node<T> _b;

    public BinaryNode(ComputationGraph<T> graph, string name, Operation operation, Node<T> a, Node<T> b)
        : base(graph, name, operation, [a, b], a.Rows, a.Columns, a.IsBatched, a.RequiresGradient || b.RequiresGradient)
    {
        if (operation is not (Operation.Add or Operation.Subtract or Operation.Multiply))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not an element-wise binary operation.");
        }

        _a = a;
        _b = b;
    }

    internal override void Forward()
    {
        switch (Operation)
        {
            case Operation.Add:
                TensorPrimitives.Add(_a.Value, _b.Value, Value);
                break;
            case Operation.Subtract:
                TensorPrimitives.Subtract(_a.Value, _b.Value, Value);
                break;
            case Operation.Multiply:
                TensorPrimitives.Multiply(_a.Value, _b.Value, Value);
                break;
            default:
                throw new InvalidOperationException($"{Name}: {Operation} is not a binary operation (the constructor admits none).");
        }
    }

    internal override void Backward()
    {
        ReadOnlySpan<T> g = Gradient;
        if (_a.RequiresGradient)
        {
            Span<T> da = _a.Gradient;
            if (Operation == Operation.Multiply)
            {
                TensorPrimitives.MultiplyAdd(g, _b.Value, da, da); // d(ab)/da = b
            }
            else
            {
                TensorPrimitives.Add(da, g, da);
            }
        }

        if (_b.RequiresGradient)
        {
            Span<T> db = _b.Gradient;
            switch (Operation)
            {
                case Operation.Add:
                    TensorPrimitives.Add(db, g, db);
                    break;
                case Operation.Subtract:
                    TensorPrimitives.Subtract(db, g, db);
                    break;
                case Operation.Multiply:
                    TensorPrimitives.MultiplyAdd(g, _a.Value, db, db); // d(ab)/db = a
                    break;
                default:
                    throw new InvalidOperationException($"{Name}: {Operation} is not a binary operation (the constructor admits none).");
            }
        }
    }
}

/// <summary><c>y = x^p</c> element-wise (<see cref="Operation.Square"/> for p = 2, else <see cref="Operation.Power"/>).</summary>
internal sealed class PowerNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _x;
    private readonly T _p;

    public PowerNode(ComputationGraph<T> graph, string name, Node<T> x, T exponent)
        : base(graph, name, exponent == T.CreateChecked(2) ? Operation.Square : Operation.Power, [x], x.Rows, x.Columns, x.IsBatched, x.RequiresGradient)
    {
        _x = x;
        _p = exponent;
    }

    internal override void Forward()
    {
        if (Operation == Operation.Square)
        {
            TensorPrimitives.Multiply(_x.Value, _x.Value, Value);
        }
        else
        {
            TensorPrimitives.Pow(_x.Value, _p, Value);
        }
    }

    internal override void Backward()
    {
        if (!_x.RequiresGradient)
        {
            return;
        }

        ReadOnlySpan<T> x = _x.Value;
        ReadOnlySpan<T> g = Gradient;
        Span<T> dx = _x.Gradient;
        for (int i = 0; i < dx.Length; i++)
        {
            // d(x^p)/dx = p x^(p-1)
            T derivative = Operation == Operation.Square ? (x[i] + x[i]) : _p * T.Pow(x[i], _p - T.One);
            dx[i] += g[i] * derivative;
        }
    }
}

/// <summary>
/// A loss: a 1×1 node whose value is the SUM over the rows (samples) of the per-sample loss of a prediction
/// (or logits) against targets, computed by <see cref="SampleLoss"/> (the code generated networks and the
/// public <see cref="Losses"/> run), which also gives each row's gradient for the backward pass. Targets
/// receive no gradient.
/// </summary>
internal sealed class LossNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _y;
    private readonly Node<T> _t;
    private readonly SampleLossFunction _loss;
    private readonly T[] _rowGradients;

    public LossNode(ComputationGraph<T> graph, string name, Operation operation, Node<T> y, Node<T> t)
        : base(graph, name, operation, [y, t], 1, 1, false, y.RequiresGradient)
    {
        _y = y;
        _t = t;
        _loss = operation switch
        {
            Operation.SquaredError => SampleLoss.SquaredError,
            Operation.MeanSquaredError => SampleLoss.MeanSquaredError,
            Operation.BinaryCrossEntropy => SampleLoss.BinaryCrossEntropyWithLogits,
            Operation.SoftmaxCrossEntropy => SampleLoss.SoftmaxCrossEntropyWithLogits,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a loss."),
        };
        _rowGradients = new T[(y.IsBatched ? graph.BatchCapacity : y.Rows) * y.Columns];
    }

    private delegate double SampleLossFunction(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient);

    internal override void Forward()
    {
        int rows = _y.Rows, n = _y.Columns;
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            loss += _loss(_y.ValueRow(r), _t.ValueRow(r), _rowGradients.AsSpan(r * n, n));
        }

        Value[0] = T.CreateChecked(loss);
    }

    internal override void Backward()
    {
        if (_y.RequiresGradient)
        {
            // dL/dy += g * (each row's loss gradient, kept by the forward pass)
            Span<T> dy = _y.Gradient;
            TensorPrimitives.MultiplyAdd(_rowGradients.AsSpan(0, dy.Length), Gradient[0], dy, dy);
        }
    }
}

/// <summary>Vector kernels TensorPrimitives does not provide.</summary>
internal static class Kernels
{
    /// <summary>y = softmax(x) over one row, computed as e^(x - max x) / Σ so that no exponential overflows.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        T sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Multiply(y, T.One / sum, y);
    }
}
