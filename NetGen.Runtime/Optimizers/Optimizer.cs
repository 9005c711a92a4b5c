using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// A first-order optimizer: updates a flat parameter buffer from the gradient of the loss. Optimizers with
/// per-parameter state (momentum, moment estimates) size it once, either explicitly with
/// <see cref="Initialize"/> or on the first <see cref="Step"/>; after that a step allocates nothing.
/// </summary>
/// <remarks>
/// Hyperparameters are <see cref="double"/> whatever <typeparamref name="T"/> is, so they can have defaults and
/// bias corrections are computed precisely; each step converts them to <typeparamref name="T"/> once.
/// An optimizer instance serves one parameter buffer; it is not thread-safe.
/// </remarks>
/// <typeparam name="T">The element type of parameters and gradients.</typeparam>
public abstract class Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _learningRate;

    /// <summary>Creates an optimizer with the given learning rate.</summary>
    /// <param name="learningRate">The step size; finite and not negative.</param>
    protected Optimizer(double learningRate)
    {
        _learningRate = CheckRange(learningRate, 0, double.PositiveInfinity, nameof(learningRate));
    }

    /// <summary>
    /// The step size. It may be changed between steps (for example by a learning-rate schedule);
    /// it must be finite and not negative.
    /// </summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite number that is not negative.");
            }

            _learningRate = value;
        }
    }

    /// <summary>The number of parameters the state is sized for; 0 before the first <see cref="Initialize"/> or <see cref="Step"/>.</summary>
    public int ParameterCount { get; private set; }

    /// <summary>The number of steps taken since initialization or the last <see cref="Reset"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Sizes the optimizer's state for <paramref name="parameterCount"/> parameters and clears it, so the next
    /// step is the first.
    /// </summary>
    /// <param name="parameterCount">The length of the parameter buffer; positive.</param>
    public void Initialize(int parameterCount)
    {
        if (parameterCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "The parameter count must be positive.");
        }

        AllocateState(parameterCount);
        ParameterCount = parameterCount;
        StepCount = 0;
    }

    /// <summary>Clears the state (momentum, moment estimates, step count) but keeps its size.</summary>
    public void Reset()
    {
        ClearState();
        StepCount = 0;
    }

    /// <summary>
    /// Takes one step: updates <paramref name="parameters"/> in place from <paramref name="gradient"/>, the
    /// gradient of the loss to minimize (typically the mean over a minibatch).
    /// </summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="gradient">The gradient; as long as <paramref name="parameters"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, or differ from the size the state was initialized for.</exception>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        if (gradient.Length != parameters.Length)
        {
            throw new ArgumentException($"'gradient' has {gradient.Length} values but 'parameters' has {parameters.Length}; they must have the same length.", nameof(gradient));
        }

        Update(parameters, gradient, 0, BeginStep(parameters.Length));
    }

    /// <summary>
    /// Starts a step whose update is applied slice by slice with <see cref="UpdateSlice"/> (possibly on several
    /// threads): checks the size, sizes the state on the first step and counts the step.
    /// </summary>
    /// <param name="parameterCount">The length of the whole parameter buffer.</param>
    /// <returns>The 1-based number of this step, to pass to <see cref="UpdateSlice"/>.</returns>
    internal long BeginStep(int parameterCount)
    {
        long step = PrepareStep(parameterCount);
        CommitStep();
        return step;
    }

    /// <summary>
    /// <see cref="BeginStep"/> without counting the step yet, for a step that may be skipped (a non-finite
    /// gradient): <see cref="CommitStep"/> counts it once it has been applied.
    /// </summary>
    /// <param name="parameterCount">The length of the whole parameter buffer.</param>
    /// <returns>The 1-based number the step will have, to pass to <see cref="UpdateSlice"/>.</returns>
    internal long PrepareStep(int parameterCount)
    {
        if (ParameterCount == 0)
        {
            Initialize(parameterCount);
        }
        else if (parameterCount != ParameterCount)
        {
            ThrowStateSize(parameterCount, ParameterCount);
        }

        return StepCount + 1;
    }

    // Out of line: PrepareStep runs on every training step, inlined into the step where it is small enough.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStateSize(int parameterCount, int stateSize) =>
        throw new ArgumentException($"'parameters' has {parameterCount} values but this optimizer's state is sized for {stateSize}; call Initialize to re-size it (which clears it).", "parameters");

    /// <summary>Counts a step prepared with <see cref="PrepareStep"/> and applied.</summary>
    internal void CommitStep() => StepCount++;

    /// <summary>Applies step <paramref name="step"/> to the slice of the buffer that starts at <paramref name="offset"/>.</summary>
    internal void UpdateSlice(Span<T> parameters, ReadOnlySpan<T> gradient, int offset, long step) =>
        Update(parameters, gradient, offset, step);

    /// <summary>
    /// The arrays that hold the per-parameter state (velocity, moment estimates), each as long as the parameter
    /// buffer, so a <see cref="TrainingCheckpoint{T}"/> can save and restore them; empty for optimizers without state.
    /// Abstract, so that an optimizer written outside NetGen states what its state is: a default of "no state"
    /// would let its checkpoints resume silently from zero state.
    /// </summary>
    protected internal abstract IReadOnlyList<T[]> StateBuffers { get; }

    /// <summary>Sets the step count, the learning rate and the state as a checkpoint saved them.</summary>
    internal void RestoreState(int parameterCount, long stepCount, double learningRate, IReadOnlyList<T[]> buffers)
    {
        if (ParameterCount != parameterCount)
        {
            Initialize(parameterCount);
        }

        var state = StateBuffers;
        if (state.Count != buffers.Count)
        {
            throw new ArgumentException($"The checkpoint holds {buffers.Count} state array(s) but {GetType().Name} with these settings has {state.Count}; create the optimizer with the settings of the run that saved it.", "checkpoint");
        }

        for (int i = 0; i < state.Count; i++)
        {
            buffers[i].CopyTo(state[i], 0);
        }

        StepCount = stepCount;
        LearningRate = learningRate;
    }

    /// <summary>Allocates state for <paramref name="parameterCount"/> parameters, all zero.</summary>
    protected abstract void AllocateState(int parameterCount);

    /// <summary>Sets all state to zero, as before the first step.</summary>
    protected abstract void ClearState();

    /// <summary>
    /// Applies one update to a slice of the parameters: element <c>i</c> of the spans is element
    /// <c>offset + i</c> of the whole buffer (and of the state). Lengths are checked and the state is sized;
    /// must not allocate, and must treat every element on its own (slices of one step may run concurrently).
    /// </summary>
    /// <param name="parameters">The slice of the parameters to update.</param>
    /// <param name="gradient">The gradient of the slice, as long as <paramref name="parameters"/>.</param>
    /// <param name="offset">Where the slice starts in the whole buffer.</param>
    /// <param name="step">The 1-based number of this step since initialization or reset.</param>
    protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradient, int offset, long step);

    /// <summary>
    /// The smallest positive normal number of <typeparamref name="T"/>. State that decays geometrically (Adam's and
    /// RMSProp's moments of a parameter whose gradient has become zero, as behind a ReLU unit that no longer fires)
    /// would otherwise reach subnormal numbers and stay there (0.9 times the smallest subnormal rounds back to it), and
    /// every step on a subnormal operand takes a microcode assist on x86: 11.6 ns instead of 0.8 ns per parameter for
    /// Adam in float here, which made Adam a third of W3's training step. Steps flush such state to zero instead.
    /// </summary>
    private protected static readonly T SmallestNormal = FindSmallestNormal();

    private static T FindSmallestNormal()
    {
        T value = T.Epsilon;
        while (T.IsSubnormal(value))
        {
            value += value;
        }

        return value;
    }

    /// <summary>Throws when a hyperparameter is not finite or outside [<paramref name="minimum"/>, <paramref name="maximumExclusive"/>).</summary>
    private protected static double CheckRange(double value, double minimum, double maximumExclusive, string name)
    {
        if (!double.IsFinite(value) || value < minimum || value >= maximumExclusive)
        {
            string range = double.IsPositiveInfinity(maximumExclusive) ? $"at least {minimum}" : $"in [{minimum}, {maximumExclusive})";
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number {range}.");
        }

        return value;
    }
}
