using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer, 2011): per-parameter step sizes that shrink with the sum of the squared
/// gradients seen so far.
/// </summary>
/// <remarks>
/// <para>
/// This is the update rule documented for PyTorch's <c>torch.optim.Adagrad</c> (with <c>lr_decay = 0</c>). With the
/// gradient <c>g</c> (plus <c>λ p</c> when <see cref="WeightDecay"/> is set) and the accumulator <c>s</c>, which starts
/// at <see cref="InitialAccumulatorValue"/>:
/// </para>
/// <para><c>s ← s + g²</c>, <c>p ← p - lr · g / (√s + ε)</c>.</para>
/// <para>
/// Each element is updated in one fused pass (vectorized with <see cref="Vector{T}"/>) of exactly rounded IEEE
/// operations, so results do not depend on the vector width. <see cref="Optimizer{T}.Reset"/> sets the
/// accumulator back to <see cref="InitialAccumulatorValue"/>.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public sealed class AdaGrad<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _sumOfSquares = [];

    /// <summary>Creates an AdaGrad optimizer.</summary>
    /// <param name="learningRate">The step size <c>lr</c>; finite and not negative (PyTorch's default 0.01).</param>
    /// <param name="epsilon">Added to the denominator so it is never zero; positive (PyTorch's default 1e-10).</param>
    /// <param name="initialAccumulatorValue">The starting value of every accumulator <c>s</c>; not negative.</param>
    /// <param name="weightDecay">L2 coefficient <c>λ</c> added to the gradient as <c>λ p</c>; not negative.</param>
    public AdaGrad(double learningRate = 1e-2, double epsilon = 1e-10, double initialAccumulatorValue = 0, double weightDecay = 0)
        : base(learningRate)
    {
        Epsilon = CheckRange(epsilon, double.Epsilon, double.PositiveInfinity, nameof(epsilon));
        InitialAccumulatorValue = CheckRange(initialAccumulatorValue, 0, double.PositiveInfinity, nameof(initialAccumulatorValue));
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
    }

    /// <summary>The <c>ε</c> added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The value every accumulator starts from.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>The weight-decay coefficient <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    protected override void AllocateState(int parameterCount)
    {
        _sumOfSquares = new T[parameterCount];
        ClearState();
    }

    /// <inheritdoc />
    protected internal override IReadOnlyList<T[]> StateBuffers => [_sumOfSquares];

    /// <summary>Sets every accumulator to <see cref="InitialAccumulatorValue"/>, as before the first step.</summary>
    protected override void ClearState() => Array.Fill(_sumOfSquares, T.CreateTruncating(InitialAccumulatorValue));

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, int offset, long step)
    {
        T learningRate = T.CreateTruncating(LearningRate);
        T epsilon = T.CreateTruncating(Epsilon);
        T decay = T.CreateTruncating(WeightDecay);
        bool decays = WeightDecay != 0;

        Span<T> sumOfSquares = _sumOfSquares.AsSpan(offset, parameters.Length);
        int i = VectorWidth.Bits switch
        {
            512 => UpdateVectors<Vector512Ops<T>, Vector512<T>>(parameters, gradient, sumOfSquares, learningRate, epsilon, decay, decays),
            256 => UpdateVectors<Vector256Ops<T>, Vector256<T>>(parameters, gradient, sumOfSquares, learningRate, epsilon, decay, decays),
            _ => UpdateVectors<Vector128Ops<T>, Vector128<T>>(parameters, gradient, sumOfSquares, learningRate, epsilon, decay, decays),
        };

        for (; i < parameters.Length; i++)
        {
            T p = parameters[i];
            T g = gradient[i];
            if (decays)
            {
                g += decay * p;
            }

            T s = sumOfSquares[i] + g * g;
            p -= learningRate * (g / (T.Sqrt(s) + epsilon));
            sumOfSquares[i] = s;
            parameters[i] = p;
        }
    }
    /// <summary>The update over whole vectors of <typeparamref name="TOps"/>'s width; returns where the scalar tail starts.</summary>
    private static int UpdateVectors<TOps, TVector>(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> sumOfSquares, T learningRate, T epsilon, T decay, bool decays)
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        var learningRateVector = TOps.Broadcast(learningRate);
        var epsilonVector = TOps.Broadcast(epsilon);
        var decayVector = TOps.Broadcast(decay);
        ref T rp = ref MemoryMarshal.GetReference(parameters);
        ref T rg = ref MemoryMarshal.GetReference(gradient);
        ref T rs = ref MemoryMarshal.GetReference(sumOfSquares);
        int i = 0;
        for (; i <= parameters.Length - TOps.Count; i += TOps.Count)
        {
            var p = TOps.Load(ref rp, i);
            var g = TOps.Load(ref rg, i);
            if (decays)
            {
                g = TOps.Add(g, TOps.Multiply(decayVector, p));
            }

            var s = TOps.Add(TOps.Load(ref rs, i), TOps.Multiply(g, g));
            p = TOps.Subtract(p, TOps.Multiply(learningRateVector, TOps.Divide(g, TOps.Add(TOps.Sqrt(s), epsilonVector))));
            TOps.Store(s, ref rs, i);
            TOps.Store(p, ref rp, i);
        }

        return i;
    }
}
