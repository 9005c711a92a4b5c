using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen.Graph;

// The operations that wire a graph into a DAG beyond element-wise arithmetic: concatenation, and layer
// normalization (a row-wise op whose derivative couples every element of the row). Same contract as
// Operations.cs: forward reads the inputs' values, backward ADDS into the inputs' gradients.

/// <summary><c>y = [a | b | ...]</c>: each row of y is the rows of the parts side by side.</summary>
internal sealed class ConcatNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T>[] _parts;

    public ConcatNode(ComputationGraph<T> graph, string name, Node<T>[] parts)
        : base(graph, name, Operation.Concat, parts, parts[0].Rows, parts.Sum(p => p.Columns), parts[0].IsBatched, parts.Any(p => p.RequiresGradient))
    {
        _parts = parts;
    }

    internal override void Forward()
    {
        for (int r = 0; r < Rows; r++)
        {
            Span<T> y = ValueRow(r);
            int offset = 0;
            foreach (var part in _parts)
            {
                part.ValueRow(r).CopyTo(y.Slice(offset, part.Columns));
                offset += part.Columns;
            }
        }
    }

    internal override void Backward()
    {
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> g = GradientRow(r);
            int offset = 0;
            foreach (var part in _parts)
            {
                if (part.RequiresGradient)
                {
                    // d[a | b]/da is the identity on a's slice: a's gradient is its slice of the gradient
                    Span<T> da = part.GradientRow(r);
                    TensorPrimitives.Add(da, g.Slice(offset, part.Columns), da);
                }

                offset += part.Columns;
            }
        }
    }
}

/// <summary>
/// Layer normalization of each row: <c>x̂ = (x - μ) r</c> with <c>r = 1 / √(σ² + ε)</c>, then <c>y = γ ⊙ x̂ + β</c>.
/// x̂ and r are kept from the forward pass for the backward pass.
/// </summary>
internal sealed class LayerNormNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _x;
    private readonly Node<T>? _gain;
    private readonly Node<T>? _bias;
    private readonly T _epsilon;
    private readonly T[] _normalized;
    private readonly T[] _inverseDeviation;
    private readonly T[] _scratch;

    public LayerNormNode(ComputationGraph<T> graph, string name, Node<T> x, Node<T>? gain, Node<T>? bias, double epsilon)
        : base(graph, name, Operation.LayerNorm, new[] { x, gain, bias }.OfType<Node<T>>().ToArray(), x.Rows, x.Columns, x.IsBatched,
            x.RequiresGradient || (gain?.RequiresGradient ?? false) || (bias?.RequiresGradient ?? false))
    {
        _x = x;
        _gain = gain;
        _bias = bias;
        _epsilon = T.CreateChecked(epsilon);
        int rows = x.IsBatched ? graph.BatchCapacity : x.Rows;
        _normalized = new T[rows * x.Columns];
        _inverseDeviation = new T[rows];
        _scratch = new T[x.Columns];
    }

    internal override void Forward()
    {
        int n = Columns;
        T count = T.CreateChecked(n);
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> x = _x.ValueRow(r);
            Span<T> xHat = _normalized.AsSpan(r * n, n);
            T mean = TensorPrimitives.Sum(x) / count;
            TensorPrimitives.Subtract(x, mean, xHat);
            T variance = TensorPrimitives.SumOfSquares(xHat) / count;
            T inverse = T.One / T.Sqrt(variance + _epsilon);
            _inverseDeviation[r] = inverse;
            TensorPrimitives.Multiply(xHat, inverse, xHat);

            Span<T> y = ValueRow(r);
            if (_gain is null)
            {
                xHat.CopyTo(y);
            }
            else
            {
                TensorPrimitives.Multiply(xHat, _gain.Value, y);
            }

            if (_bias is not null)
            {
                TensorPrimitives.Add(y, _bias.Value, y);
            }
        }
    }

    internal override void Backward()
    {
        int n = Columns;
        T count = T.CreateChecked(n);
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<T> dy = GradientRow(r);
            ReadOnlySpan<T> xHat = _normalized.AsSpan(r * n, n);
            if (_bias is { RequiresGradient: true })
            {
                Span<T> db = _bias.Gradient;
                TensorPrimitives.Add(db, dy, db); // dL/dβ += dL/dy
            }

            if (_gain is { RequiresGradient: true })
            {
                Span<T> dg = _gain.Gradient;
                TensorPrimitives.MultiplyAdd(dy, xHat, dg, dg); // dL/dγ += dL/dy ⊙ x̂
            }

            if (!_x.RequiresGradient)
            {
                continue;
            }

            // g = dL/dx̂ = dL/dy ⊙ γ; dL/dx = r (g - mean(g) - x̂ mean(g ⊙ x̂)): the mean and the variance
            // both depend on every element of the row, which gives the two mean terms.
            Span<T> g = _scratch;
            if (_gain is null)
            {
                dy.CopyTo(g);
            }
            else
            {
                TensorPrimitives.Multiply(dy, _gain.Value, g);
            }

            T meanG = TensorPrimitives.Sum(g) / count;
            T meanGx = TensorPrimitives.Dot(g, xHat) / count;
            T inverse = _inverseDeviation[r];
            Span<T> dx = _x.GradientRow(r);
            for (int k = 0; k < n; k++)
            {
                dx[k] += inverse * (g[k] - meanG - (xHat[k] * meanGx));
            }
        }
    }
}

/// <summary><c>y = x[:, offset..offset + n)</c>: a block of each row (a named input of the network's input vector).</summary>
internal sealed class SliceNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> _x;
    private readonly int _offset;

    public SliceNode(ComputationGraph<T> graph, string name, Node<T> x, int offset, int columns)
        : base(graph, name, Operation.Slice, [x], x.Rows, columns, x.IsBatched, x.RequiresGradient)
    {
        _x = x;
        _offset = offset;
    }

    internal override void Forward()
    {
        for (int r = 0; r < Rows; r++)
        {
            _x.ValueRow(r).Slice(_offset, Columns).CopyTo(ValueRow(r));
        }
    }

    internal override void Backward()
    {
        if (!_x.RequiresGradient)
        {
            return;
        }

        for (int r = 0; r < Rows; r++)
        {
            // dy/dx is the identity on the block and zero elsewhere
            Span<T> dx = _x.GradientRow(r).Slice(_offset, Columns);
            TensorPrimitives.Add(dx, GradientRow(r), dx);
        }
    }
}
