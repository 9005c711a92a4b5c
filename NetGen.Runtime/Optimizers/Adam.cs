using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015): per-parameter step sizes from bias-corrected running means of the
/// gradient and of its square.
/// </summary>
/// <remarks>
/// <para>At step <c>k</c> (1-based), with the gradient <c>g</c> (plus <c>λ p</c> when <see cref="WeightDecay"/> is set):</para>
/// <para><c>m ← β1 m + (1 - β1) g</c>, <c>v ← β2 v + (1 - β2) g²</c>,</para>
/// <para><c>p ← p - (lr / (1 - β1^k)) · m / (√v / √(1 - β2^k) + ε)</c>,</para>
/// <para>
/// which is the paper's update with <c>ε</c> added to the bias-corrected <c>√v̂</c>, arranged as PyTorch
/// arranges it. Each element is updated in one fused pass (vectorized at the process's vector width), and every
/// operation is an exactly rounded IEEE operation, so results do not depend on the vector width.
/// </para>
/// <para>
/// A moment that would be a subnormal number (below the smallest normal number of <typeparamref name="T"/>) is stored
/// as zero: when a parameter's gradient stays zero its moments would otherwise decay into subnormals and stay there,
/// and arithmetic on subnormals is an order of magnitude slower on x86. The update of the parameter is unchanged by
/// this unless the parameter itself is within a few orders of magnitude of the subnormal range.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public class Adam<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _firstMoment = [];
    private T[] _secondMoment = [];
    private readonly bool _decoupledWeightDecay;

    /// <summary>Creates an Adam optimizer.</summary>
    /// <param name="learningRate">The step size <c>lr</c>; finite and not negative.</param>
    /// <param name="beta1">Decay of the gradient's running mean, in [0, 1).</param>
    /// <param name="beta2">Decay of the squared gradient's running mean, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator so it is never zero; positive.</param>
    /// <param name="weightDecay">
    /// L2 coefficient <c>λ</c> added to the gradient as <c>λ p</c> (coupled, like PyTorch's <c>Adam(weight_decay)</c>);
    /// not negative. For decoupled decay use <see cref="AdamW{T}"/>.
    /// </param>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : this(learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: false)
    {
    }

    /// <summary>Creates an Adam optimizer whose weight decay is either coupled (L2 in the gradient) or decoupled.</summary>
    private protected Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledWeightDecay)
        : base(learningRate)
    {
        Beta1 = CheckRange(beta1, 0, 1, nameof(beta1));
        Beta2 = CheckRange(beta2, 0, 1, nameof(beta2));
        Epsilon = CheckRange(epsilon, double.Epsilon, double.PositiveInfinity, nameof(epsilon));
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        _decoupledWeightDecay = decoupledWeightDecay;
    }

    /// <summary>Decay rate <c>β1</c> of the gradient's running mean.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate <c>β2</c> of the squared gradient's running mean.</summary>
    public double Beta2 { get; }

    /// <summary>The <c>ε</c> added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The weight-decay coefficient <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    protected override void AllocateState(int parameterCount)
    {
        _firstMoment = new T[parameterCount];
        _secondMoment = new T[parameterCount];
    }

    /// <inheritdoc />
    protected internal override IReadOnlyList<T[]> StateBuffers => [_firstMoment, _secondMoment];

    /// <inheritdoc />
    protected override void ClearState()
    {
        Array.Clear(_firstMoment);
        Array.Clear(_secondMoment);
    }

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, int offset, long step)
    {
        // Bias corrections in double: β^k underflows gracefully and loses nothing for float.
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);

        T beta1 = T.CreateTruncating(Beta1);
        T beta2 = T.CreateTruncating(Beta2);
        T oneMinusBeta1 = T.CreateTruncating(1 - Beta1);
        T oneMinusBeta2 = T.CreateTruncating(1 - Beta2);
        T epsilon = T.CreateTruncating(Epsilon);
        T stepSize = T.CreateTruncating(LearningRate / biasCorrection1);
        T sqrtBiasCorrection2 = T.CreateTruncating(Math.Sqrt(biasCorrection2));
        T coupledDecay = T.CreateTruncating(_decoupledWeightDecay ? 0 : WeightDecay);
        T decoupledDecayFactor = T.CreateTruncating(_decoupledWeightDecay ? 1 - LearningRate * WeightDecay : 1);
        bool couples = !_decoupledWeightDecay && WeightDecay != 0;
        bool decouples = _decoupledWeightDecay && WeightDecay != 0;

        Span<T> firstMoment = _firstMoment.AsSpan(offset, parameters.Length);
        Span<T> secondMoment = _secondMoment.AsSpan(offset, parameters.Length);
        var constants = new Constants(beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, stepSize, sqrtBiasCorrection2, coupledDecay, decoupledDecayFactor, couples, decouples);
        int i = VectorWidth.Bits switch
        {
            512 => UpdateVectors<Vector512Ops<T>, Vector512<T>>(parameters, gradient, firstMoment, secondMoment, constants),
            256 => UpdateVectors<Vector256Ops<T>, Vector256<T>>(parameters, gradient, firstMoment, secondMoment, constants),
            _ => UpdateVectors<Vector128Ops<T>, Vector128<T>>(parameters, gradient, firstMoment, secondMoment, constants),
        };

        for (; i < parameters.Length; i++)
        {
            T p = parameters[i];
            T g = gradient[i];
            if (couples)
            {
                g += coupledDecay * p;
            }

            if (decouples)
            {
                p *= decoupledDecayFactor;
            }

            T m = FlushSubnormal(beta1 * firstMoment[i] + oneMinusBeta1 * g);
            T v = FlushSubnormal(beta2 * secondMoment[i] + oneMinusBeta2 * (g * g));
            T denominator = T.Sqrt(v) / sqrtBiasCorrection2 + epsilon;
            p -= stepSize * (m / denominator);
            firstMoment[i] = m;
            secondMoment[i] = v;
            parameters[i] = p;
        }
    }

    /// <summary>The update over whole vectors of <typeparamref name="TOps"/>'s width; returns where the scalar tail starts.</summary>
    private static int UpdateVectors<TOps, TVector>(Span<T> parameters, ReadOnlySpan<T> gradient, Span<T> firstMoment, Span<T> secondMoment, in Constants c)
        where TOps : struct, IVectorOps<T, TVector>
        where TVector : struct
    {
        var beta1 = TOps.Broadcast(c.Beta1);
        var beta2 = TOps.Broadcast(c.Beta2);
        var oneMinusBeta1 = TOps.Broadcast(c.OneMinusBeta1);
        var oneMinusBeta2 = TOps.Broadcast(c.OneMinusBeta2);
        var epsilon = TOps.Broadcast(c.Epsilon);
        var stepSize = TOps.Broadcast(c.StepSize);
        var sqrtBiasCorrection2 = TOps.Broadcast(c.SqrtBiasCorrection2);
        var coupledDecay = TOps.Broadcast(c.CoupledDecay);
        var decoupledDecayFactor = TOps.Broadcast(c.DecoupledDecayFactor);
        var smallestNormal = TOps.Broadcast(SmallestNormal);
        ref T rp = ref MemoryMarshal.GetReference(parameters);
        ref T rg = ref MemoryMarshal.GetReference(gradient);
        ref T rm = ref MemoryMarshal.GetReference(firstMoment);
        ref T rv = ref MemoryMarshal.GetReference(secondMoment);
        int i = 0;
        for (; i <= parameters.Length - TOps.Count; i += TOps.Count)
        {
            var p = TOps.Load(ref rp, i);
            var g = TOps.Load(ref rg, i);
            if (c.Couples)
            {
                g = TOps.Add(g, TOps.Multiply(coupledDecay, p));
            }

            if (c.Decouples)
            {
                p = TOps.Multiply(p, decoupledDecayFactor);
            }

            // Separate multiplies and adds, as in the scalar tail: no fused step, so every width gives the same bits.
            var m = TOps.ZeroWhereSmaller(TOps.Add(TOps.Multiply(beta1, TOps.Load(ref rm, i)), TOps.Multiply(oneMinusBeta1, g)), smallestNormal);
            var v = TOps.ZeroWhereSmaller(TOps.Add(TOps.Multiply(beta2, TOps.Load(ref rv, i)), TOps.Multiply(oneMinusBeta2, TOps.Multiply(g, g))), smallestNormal);
            var denominator = TOps.Add(TOps.Divide(TOps.Sqrt(v), sqrtBiasCorrection2), epsilon);
            p = TOps.Subtract(p, TOps.Multiply(stepSize, TOps.Divide(m, denominator)));
            TOps.Store(m, ref rm, i);
            TOps.Store(v, ref rv, i);
            TOps.Store(p, ref rp, i);
        }

        return i;
    }

    /// <summary>Zero for a subnormal moment (see the remarks), the moment itself otherwise.</summary>
    private static T FlushSubnormal(T moment) => T.IsSubnormal(moment) ? T.Zero : moment;

    /// <summary>One step's constants, converted to <typeparamref name="T"/> once.</summary>
    private readonly record struct Constants(
        T Beta1, T Beta2, T OneMinusBeta1, T OneMinusBeta2, T Epsilon, T StepSize, T SqrtBiasCorrection2,
        T CoupledDecay, T DecoupledDecayFactor, bool Couples, bool Decouples);
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019): Adam with decoupled weight decay. Each step first shrinks the
/// parameters, <c>p ← p (1 - lr λ)</c>, then applies the <see cref="Adam{T}"/> update with the plain gradient,
/// so the decay is not rescaled by the adaptive step sizes. This is PyTorch's <c>AdamW</c>.
/// </summary>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public sealed class AdamW<T> : Adam<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates an AdamW optimizer.</summary>
    /// <param name="learningRate">The step size <c>lr</c>; finite and not negative.</param>
    /// <param name="beta1">Decay of the gradient's running mean, in [0, 1).</param>
    /// <param name="beta2">Decay of the squared gradient's running mean, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator so it is never zero; positive.</param>
    /// <param name="weightDecay">The decoupled decay coefficient <c>λ</c>, not negative (PyTorch's default 0.01).</param>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true)
    {
    }
}
