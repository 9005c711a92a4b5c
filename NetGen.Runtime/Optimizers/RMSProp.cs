using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// RMSProp (Hinton, 2012): divides the gradient by a running root mean square of recent gradients, optionally
/// with momentum.
/// </summary>
/// <remarks>
/// <para>
/// This is the update rule documented for PyTorch's <c>torch.optim.RMSprop</c> (not centered). With the gradient
/// <c>g</c> (plus <c>λ p</c> when <see cref="WeightDecay"/> is set), the running mean square <c>v</c> and the
/// momentum buffer <c>b</c>, both starting at zero, and the smoothing constant <c>α</c> (PyTorch's <c>alpha</c>,
/// often called <c>ρ</c>):
/// </para>
/// <para><c>v ← α v + (1 - α) g²</c>, <c>d = g / (√v + ε)</c>;</para>
/// <para>without momentum <c>p ← p - lr d</c>; with momentum <c>μ</c>: <c>b ← μ b + d</c>, <c>p ← p - lr b</c>.</para>
/// <para>
/// Each element is updated in one fused pass (vectorized with <see cref="Vector{T}"/>) of exactly rounded IEEE
/// operations, so results do not depend on the vector width. A <c>v</c> or <c>b</c> that would be a subnormal number
/// is stored as zero, as in <see cref="Adam{T}"/> (state decaying into subnormals makes every step on it an order of
/// magnitude slower on x86).
/// </para>
/// </remarks>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public sealed class RMSProp<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _meanSquare = [];
    private T[] _momentumBuffer = [];

    /// <summary>Creates an RMSProp optimizer.</summary>
    /// <param name="learningRate">The step size <c>lr</c>; finite and not negative (PyTorch's default 0.01).</param>
    /// <param name="alpha">The smoothing constant <c>α</c> (also called <c>ρ</c>) of the running mean square, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator so it is never zero; positive.</param>
    /// <param name="momentum">The momentum <c>μ</c> in [0, 1); 0 for none.</param>
    /// <param name="weightDecay">L2 coefficient <c>λ</c> added to the gradient as <c>λ p</c>; not negative.</param>
    public RMSProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, double weightDecay = 0)
        : base(learningRate)
    {
        Alpha = CheckRange(alpha, 0, 1, nameof(alpha));
        Epsilon = CheckRange(epsilon, double.Epsilon, double.PositiveInfinity, nameof(epsilon));
        Momentum = CheckRange(momentum, 0, 1, nameof(momentum));
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
    }

    /// <summary>The smoothing constant <c>α</c> of the running mean square.</summary>
    public double Alpha { get; }

    /// <summary>The <c>ε</c> added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The momentum <c>μ</c>; 0 for none.</summary>
    public double Momentum { get; }

    /// <summary>The weight-decay coefficient <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    protected override void AllocateState(int parameterCount)
    {
        _meanSquare = new T[parameterCount];
        _momentumBuffer = Momentum == 0 ? [] : new T[parameterCount];
    }

    /// <inheritdoc />
    protected internal override IReadOnlyList<T[]> StateBuffers => _momentumBuffer.Length == 0 ? [_meanSquare] : [_meanSquare, _momentumBuffer];

    /// <inheritdoc />
    protected override void ClearState()
    {
        Array.Clear(_meanSquare);
        Array.Clear(_momentumBuffer);
    }

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, int offset, long step)
    {
        T learningRate = T.CreateTruncating(LearningRate);
        T alpha = T.CreateTruncating(Alpha);
        T oneMinusAlpha = T.CreateTruncating(1 - Alpha);
        T epsilon = T.CreateTruncating(Epsilon);
        T momentum = T.CreateTruncating(Momentum);
        T decay = T.CreateTruncating(WeightDecay);
        bool decays = WeightDecay != 0;
        bool hasMomentum = Momentum != 0;

        Span<T> meanSquare = _meanSquare.AsSpan(offset, parameters.Length);
        Span<T> buffer = hasMomentum ? _momentumBuffer.AsSpan(offset, parameters.Length) : default;
        var constants = new Constants(learningRate, alpha, oneMinusAlpha, epsilon, momentum, decay, decays, hasMomentum);
        int i = VectorWidth.Bits switch
        {
            512 => UpdateVectors<Vector512Ops<T>, Vector512<T>>(parameters, gradient, meanSquare, buffer, constants),
            256 => UpdateVectors<Vector256Ops<T>, Vector256<T>>(parameters, gradient, meanSquare, buffer, constants),
            _ => UpdateVectors<Vector128Ops<T>, Vector128<T>>(parameters, gradient, meanSquare, buffer, constants),
        };

        for (; i < parameters.Length; i++)
        {
            T p = parameters[i];
            T g = gradient[i];
            if (decays)
            {
                g += decay * p;
            }

            T v = alpha * meanSquare[i] + oneMinusAlpha * (g * g);
            if (T.IsSubnormal(v))
            {
                v = T.Zero;
            }

            T direction = g / (T.Sqrt(v) + epsilon);
            if (hasMomentum)
            {
                direction = momentum * buffer[i] + direction;
                if (T.IsSubnormal(direction))
                {
                    direction = T.Zero;
                }

                buffer[i] = direction;
            }

            p -= learningRate * direction;
            meanSquare[i] = v;
            parameters[i] = p;
        }
    }
    /// <summary>The update over whole vectors of <typeparamref name="TOps"/>'s width; returns where the scalar tail starts.</summary>
    private static int UpdateVectors<TOps, TVector>(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> meanSquare, Span<T> buffer, in Constants c)
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        var learningRate = TOps.Broadcast(c.LearningRate);
        var alpha = TOps.Broadcast(c.Alpha);
        var oneMinusAlpha = TOps.Broadcast(c.OneMinusAlpha);
        var epsilon = TOps.Broadcast(c.Epsilon);
        var momentum = TOps.Broadcast(c.Momentum);
        var decay = TOps.Broadcast(c.Decay);
        var smallestNormal = TOps.Broadcast(SmallestNormal);
        ref T rp = ref MemoryMarshal.GetReference(parameters);
        ref T rg = ref MemoryMarshal.GetReference(gradient);
        ref T rs = ref MemoryMarshal.GetReference(meanSquare);
        ref T rb = ref MemoryMarshal.GetReference(buffer);
        int i = 0;
        for (; i <= parameters.Length - TOps.Count; i += TOps.Count)
        {
            var p = TOps.Load(ref rp, i);
            var g = TOps.Load(ref rg, i);
            if (c.Decays)
            {
                g = TOps.Add(g, TOps.Multiply(decay, p));
            }

            var v = TOps.ZeroWhereSmaller(TOps.Add(TOps.Multiply(alpha, TOps.Load(ref rs, i)), TOps.Multiply(oneMinusAlpha, TOps.Multiply(g, g))), smallestNormal);
            var direction = TOps.Divide(g, TOps.Add(TOps.Sqrt(v), epsilon));
            if (c.HasMomentum)
            {
                direction = TOps.ZeroWhereSmaller(TOps.Add(TOps.Multiply(momentum, TOps.Load(ref rb, i)), direction), smallestNormal);
                TOps.Store(direction, ref rb, i);
            }

            p = TOps.Subtract(p, TOps.Multiply(learningRate, direction));
            TOps.Store(v, ref rs, i);
            TOps.Store(p, ref rp, i);
        }

        return i;
    }

    /// <summary>One step's constants, converted to <typeparamref name="T"/> once.</summary>
    private readonly record struct Constants(T LearningRate, T Alpha, T OneMinusAlpha, T Epsilon, T Momentum, T Decay, bool Decays, bool HasMomentum);
}
