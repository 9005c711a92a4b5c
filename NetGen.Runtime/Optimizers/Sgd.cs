using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent, optionally with momentum (classic or Nesterov) and L2 weight decay.
/// </summary>
/// <remarks>
/// <para>With weight decay <c>λ</c> the gradient is first <c>g' = g + λ p</c> (L2 regularization added to the gradient).</para>
/// <para>Without momentum: <c>p ← p - lr g'</c>.</para>
/// <para>Classic momentum <c>μ</c>: <c>v ← μ v - lr g'</c>, <c>p ← p + v</c>.</para>
/// <para>
/// Nesterov momentum: <c>v ← μ v - lr g'</c>, <c>p ← p + μ v - lr g'</c>. This is PyTorch's formulation
/// (<c>b ← μ b + g'</c>, <c>p ← p - lr (g' + μ b)</c>, with dampening 0), written with the velocity
/// <c>v = -lr b</c>; the two agree exactly while the learning rate is constant. When the learning rate
/// changes, this form keeps the velocity accumulated at the old rate, as in Sutskever et al. (2013).
/// </para>
/// <para>
/// Damped momentum (<c>dampened: true</c>), the lecture notes' form: <c>v ← μ v + (1 - μ) lr g'</c>, <c>p ← p - v</c>.
/// The new gradient enters the velocity with weight <c>1 - μ</c>, so <c>v</c> is an exponential moving average of
/// <c>lr g'</c> and, for a constant gradient, a step tends to <c>lr g'</c> (classic momentum's tends to
/// <c>lr g' / (1 - μ)</c>). It is PyTorch's <c>SGD(momentum=μ, dampening=μ)</c> written with <c>v = lr b</c>, and, while
/// the learning rate is constant, exactly classic momentum with the learning rate <c>(1 - μ) lr</c>.
/// </para>
/// <para>The velocity starts at zero, so the first step of every undamped variant equals PyTorch's.</para>
/// <para>
/// A velocity that would be a subnormal number is stored (and applied) as zero, as in <see cref="Adam{T}"/>: behind a
/// ReLU unit that stopped firing the gradient is zero and the velocity decays by <c>μ</c> a step into subnormals, where
/// it stays (0.9 times the smallest subnormal rounds back to it) and every step on it is an order of magnitude slower
/// on x86. The step is one pass of separately rounded operations, so results do not depend on the vector width.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _velocity = [];

    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="learningRate">The step size <c>lr</c>; finite and not negative.</param>
    /// <param name="momentum">The momentum <c>μ</c> in [0, 1); 0 for plain SGD.</param>
    /// <param name="nesterov">Use Nesterov momentum; requires a positive <paramref name="momentum"/>.</param>
    /// <param name="weightDecay">The L2 coefficient <c>λ</c>, not negative.</param>
    /// <param name="dampened">
    /// Use the lecture notes' damped momentum <c>v ← μ v + (1 - μ) lr g'</c>; requires a positive
    /// <paramref name="momentum"/> and cannot be combined with <paramref name="nesterov"/> (as in PyTorch).
    /// </param>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, bool dampened = false)
        : base(learningRate)
    {
        Momentum = CheckRange(momentum, 0, 1, nameof(momentum));
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a positive 'momentum'.", nameof(nesterov));
        }

        if (dampened && momentum == 0)
        {
            throw new ArgumentException("Damped momentum needs a positive 'momentum'.", nameof(dampened));
        }

        if (dampened && nesterov)
        {
            throw new ArgumentException("Damped momentum cannot be combined with Nesterov momentum; choose one of 'dampened' and 'nesterov'.", nameof(dampened));
        }

        Nesterov = nesterov;
        Dampened = dampened;
    }

    /// <summary>The momentum <c>μ</c>; 0 for plain SGD.</summary>
    public double Momentum { get; }

    /// <summary>True for Nesterov momentum, false for classic momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight-decay coefficient <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <summary>True for the lecture notes' damped momentum <c>v ← μ v + (1 - μ) lr g'</c>.</summary>
    public bool Dampened { get; }

    /// <summary>
    /// The vector width in bits the momentum update uses (512, 256 or 128): <see cref="VectorWidth.Bits"/>, or a
    /// narrower one a test sets to check that every width gives the same bits.
    /// </summary>
    internal int VectorBits { get; init; } = VectorWidth.Bits;

    /// <inheritdoc />
    protected override void AllocateState(int parameterCount) =>
        _velocity = Momentum == 0 ? [] : new T[parameterCount];

    /// <inheritdoc />
    protected override void ClearState() => Array.Clear(_velocity);

    /// <inheritdoc />
    protected internal override IReadOnlyList<T[]> StateBuffers => _velocity.Length == 0 ? [] : [_velocity];

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, int offset, long step)
    {
        T learningRate = T.CreateTruncating(LearningRate);
        T momentum = T.CreateTruncating(Momentum);

        // The decay term -lr λ p is folded into the update instead of forming g + λ p, which would need scratch memory.
        bool decays = WeightDecay != 0;
        T decayFactor = T.CreateTruncating(1 - LearningRate * WeightDecay);

        if (Momentum == 0)
        {
            // p ← p (1 - lr λ) - lr g, in one pass: (g · -lr) + p, after p · (1 - lr λ) when decaying, each rounded on
            // its own (a small network's step was mostly the fixed cost of two TensorPrimitives calls).
            int j = VectorBits switch
            {
                512 => UpdatePlainVectors<Vector512Ops<T>, Vector512<T>>(parameters, gradient, decayFactor, -learningRate, decays),
                256 => UpdatePlainVectors<Vector256Ops<T>, Vector256<T>>(parameters, gradient, decayFactor, -learningRate, decays),
                _ => UpdatePlainVectors<Vector128Ops<T>, Vector128<T>>(parameters, gradient, decayFactor, -learningRate, decays),
            };

            for (; j < parameters.Length; j++)
            {
                T p = decays ? parameters[j] * decayFactor : parameters[j];
                parameters[j] = (gradient[j] * -learningRate) + p;
            }

            return;
        }

        // v ← μ v - s g - s λ p with s = lr, or s = (1 - μ) lr when damped; p is still the old value here.
        // (The damped velocity is kept with the sign of the classic one, -v of the notes, so both update p ← p + v.)
        // One fused pass per element, so a velocity that would be subnormal is stored as zero before p uses it.
        double velocityRate = Dampened ? (1 - Momentum) * LearningRate : LearningRate;
        Span<T> velocity = _velocity.AsSpan(offset, parameters.Length);
        var c = new MomentumConstants(
            momentum, T.CreateTruncating(-velocityRate), T.CreateTruncating(-velocityRate * WeightDecay), decayFactor, -learningRate, decays, Nesterov);
        int i = VectorBits switch
        {
            512 => UpdateVectors<Vector512Ops<T>, Vector512<T>>(parameters, gradient, velocity, c),
            256 => UpdateVectors<Vector256Ops<T>, Vector256<T>>(parameters, gradient, velocity, c),
            _ => UpdateVectors<Vector128Ops<T>, Vector128<T>>(parameters, gradient, velocity, c),
        };

        for (; i < parameters.Length; i++)
        {
            T p = parameters[i];
            T v = momentum * velocity[i] + c.NegativeVelocityRate * gradient[i];
            if (decays)
            {
                v = c.NegativeDecayRate * p + v;
            }

            if (T.IsSubnormal(v))
            {
                v = T.Zero;
            }

            velocity[i] = v;
            parameters[i] = Nesterov ? c.NegativeLearningRate * gradient[i] + (momentum * v + (decays ? p * decayFactor : p)) : p + v;
        }
    }

    /// <summary>The update without momentum over whole vectors of <typeparamref name="TOps"/>'s width; returns where the scalar tail starts.</summary>
    private static int UpdatePlainVectors<TOps, TVector>(Span<T> parameters, ReadOnlySpan<T> gradient, T decayFactor, T negativeLearningRate, bool decays)
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        var factor = TOps.Broadcast(decayFactor);
        var rate = TOps.Broadcast(negativeLearningRate);
        ref T rp = ref MemoryMarshal.GetReference(parameters);
        ref T rg = ref MemoryMarshal.GetReference(gradient);
        int i = 0;
        for (; i <= parameters.Length - TOps.Count; i += TOps.Count)
        {
            var p = TOps.Load(ref rp, i);
            if (decays)
            {
                p = TOps.Multiply(p, factor);
            }

            TOps.Store(TOps.Add(TOps.Multiply(TOps.Load(ref rg, i), rate), p), ref rp, i);
        }

        return i;
    }

    /// <summary>
    /// The momentum update over whole vectors of <typeparamref name="TOps"/>'s width; returns where the scalar tail
    /// starts. Separate multiplies and adds in the order of the scalar tail (no fused step), so every width gives the
    /// same bits.
    /// </summary>
    private static int UpdateVectors<TOps, TVector>(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> velocity, in MomentumConstants c)
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        var momentum = TOps.Broadcast(c.Momentum);
        var negativeVelocityRate = TOps.Broadcast(c.NegativeVelocityRate);
        var negativeDecayRate = TOps.Broadcast(c.NegativeDecayRate);
        var decayFactor = TOps.Broadcast(c.DecayFactor);
        var negativeLearningRate = TOps.Broadcast(c.NegativeLearningRate);
        var smallestNormal = TOps.Broadcast(SmallestNormal);
        ref T rp = ref MemoryMarshal.GetReference(parameters);
        ref T rg = ref MemoryMarshal.GetReference(gradient);
        ref T rv = ref MemoryMarshal.GetReference(velocity);
        int i = 0;
        for (; i <= parameters.Length - TOps.Count; i += TOps.Count)
        {
            var p = TOps.Load(ref rp, i);
            var g = TOps.Load(ref rg, i);
            var v = TOps.Add(TOps.Multiply(momentum, TOps.Load(ref rv, i)), TOps.Multiply(negativeVelocityRate, g));
            if (c.Decays)
            {
                v = TOps.Add(TOps.Multiply(negativeDecayRate, p), v);
            }

            v = TOps.ZeroWhereSmaller(v, smallestNormal);
            TOps.Store(v, ref rv, i);
            if (c.Nesterov)
            {
                // p ← p + μ v - lr g' = p (1 - lr λ) + μ v - lr g
                if (c.Decays)
                {
                    p = TOps.Multiply(p, decayFactor);
                }

                p = TOps.Add(TOps.Multiply(negativeLearningRate, g), TOps.Add(TOps.Multiply(momentum, v), p));
            }
            else
            {
                p = TOps.Add(p, v);
            }

            TOps.Store(p, ref rp, i);
        }

        return i;
    }

    /// <summary>One momentum step's constants, converted to <typeparamref name="T"/> once.</summary>
    private readonly record struct MomentumConstants(
        T Momentum, T NegativeVelocityRate, T NegativeDecayRate, T DecayFactor, T NegativeLearningRate, bool Decays, bool Nesterov);
}
