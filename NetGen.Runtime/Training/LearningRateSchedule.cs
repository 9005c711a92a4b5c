namespace NetGen;

/// <summary>
/// A learning-rate schedule: the learning rate for each epoch, as a function of the 0-based epoch index and the
/// base learning rate. The <see cref="Trainer{T}"/> applies it once per epoch, before the epoch's first batch.
/// </summary>
/// <remarks>
/// Schedules are immutable and stateless, so one instance may serve several trainers. The built-in schedules are
/// created with the static factory methods (<see cref="Constant"/>, <see cref="Step"/>, <see cref="Exponential"/>,
/// <see cref="Cosine"/>) and can be given a linear warm-up with <see cref="WithWarmUp"/>; derive from this class
/// for anything else.
/// </remarks>
/// <example>
/// <code>
/// var schedule = LearningRateSchedule.Cosine(epochs: 50, minimumLearningRate: 1e-5).WithWarmUp(epochs: 5);
/// </code>
/// </example>
public abstract class LearningRateSchedule
{
    /// <summary>Returns the learning rate for an epoch.</summary>
    /// <param name="baseLearningRate">The rate the schedule scales (typically the optimizer's initial learning rate); finite and not negative.</param>
    /// <param name="epoch">The 0-based epoch index: 0 for the first epoch; not negative.</param>
    /// <returns>The learning rate; finite and not negative.</returns>
    public double GetLearningRate(double baseLearningRate, int epoch)
    {
        if (!double.IsFinite(baseLearningRate) || baseLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "'baseLearningRate' must be a finite number that is not negative.");
        }

        if (epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "'epoch' must not be negative; the first epoch is 0.");
        }

        double rate = Compute(baseLearningRate, epoch);
        if (!double.IsFinite(rate) || rate < 0)
        {
            throw new InvalidOperationException($"The schedule {GetType().Name} gave the learning rate {rate} for epoch {epoch}; a learning rate must be finite and not negative.");
        }

        return rate;
    }

    /// <summary>Computes the learning rate; the arguments are already checked.</summary>
    /// <param name="baseLearningRate">The base learning rate; finite and not negative.</param>
    /// <param name="epoch">The 0-based epoch index; not negative.</param>
    /// <returns>The learning rate; must be finite and not negative.</returns>
    protected abstract double Compute(double baseLearningRate, int epoch);

    /// <summary>The base learning rate in every epoch.</summary>
    public static LearningRateSchedule Constant() => ConstantSchedule.Instance;

    /// <summary>
    /// Multiplies the rate by <paramref name="factor"/> every <paramref name="stepEpochs"/> epochs:
    /// <c>lr = base · factor^⌊epoch / stepEpochs⌋</c> (PyTorch's <c>StepLR</c>).
    /// </summary>
    /// <param name="stepEpochs">The number of epochs between drops; positive.</param>
    /// <param name="factor">The factor applied at each drop, in [0, 1] (PyTorch's <c>gamma</c>, default 0.1).</param>
    public static LearningRateSchedule Step(int stepEpochs, double factor = 0.1) => new StepSchedule(stepEpochs, factor);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every epoch: <c>lr = base · gamma^epoch</c> (PyTorch's <c>ExponentialLR</c>).</summary>
    /// <param name="gamma">The factor per epoch, in [0, 1].</param>
    public static LearningRateSchedule Exponential(double gamma) => new ExponentialSchedule(gamma);

    /// <summary>
    /// Cosine annealing from the base rate to <paramref name="minimumLearningRate"/> over <paramref name="epochs"/>
    /// epochs: <c>lr = min + (base - min) (1 + cos(π epoch / epochs)) / 2</c> for <c>epoch ≤ epochs</c> (PyTorch's
    /// <c>CosineAnnealingLR</c> with <c>T_max = epochs</c>), and <c>min</c> after that (PyTorch would rise again).
    /// </summary>
    /// <param name="epochs">The number of epochs from the base rate to the minimum; positive.</param>
    /// <param name="minimumLearningRate">The final rate (PyTorch's <c>eta_min</c>); finite and not negative.</param>
    public static LearningRateSchedule Cosine(int epochs, double minimumLearningRate = 0) => new CosineAnnealingSchedule(epochs, minimumLearningRate);

    /// <summary>
    /// Precedes this schedule with a linear warm-up of <paramref name="epochs"/> epochs; see <see cref="WarmUpSchedule"/>.
    /// </summary>
    /// <param name="epochs">The number of warm-up epochs; positive.</param>
    public LearningRateSchedule WithWarmUp(int epochs) => new WarmUpSchedule(this, epochs);
}

/// <summary>The base learning rate in every epoch.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <summary>The one instance (the schedule has no settings).</summary>
    public static ConstantSchedule Instance { get; } = new();

    private ConstantSchedule()
    {
    }

    /// <inheritdoc />
    protected override double Compute(double baseLearningRate, int epoch) => baseLearningRate;
}

/// <summary>
/// Drops the rate by a factor every <see cref="StepEpochs"/> epochs: <c>lr = base · factor^⌊epoch / stepEpochs⌋</c>
/// (PyTorch's <c>StepLR</c>).
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepEpochs">The number of epochs between drops; positive.</param>
    /// <param name="factor">The factor applied at each drop, in [0, 1].</param>
    public StepSchedule(int stepEpochs, double factor = 0.1)
    {
        if (stepEpochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepEpochs), stepEpochs, "'stepEpochs' must be positive.");
        }

        StepEpochs = stepEpochs;
        Factor = CheckFactor(factor, nameof(factor));
    }

    /// <summary>The number of epochs between drops.</summary>
    public int StepEpochs { get; }

    /// <summary>The factor applied at each drop.</summary>
    public double Factor { get; }

    /// <inheritdoc />
    protected override double Compute(double baseLearningRate, int epoch) => baseLearningRate * Math.Pow(Factor, epoch / StepEpochs);

    /// <summary>Throws unless <paramref name="value"/> is in [0, 1].</summary>
    internal static double CheckFactor(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a number in [0, 1].");
        }

        return value;
    }
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> every epoch: <c>lr = base · gamma^epoch</c> (PyTorch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">The factor per epoch, in [0, 1].</param>
    public ExponentialSchedule(double gamma)
    {
        Gamma = StepSchedule.CheckFactor(gamma, nameof(gamma));
    }

    /// <summary>The factor per epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double Compute(double baseLearningRate, int epoch) => baseLearningRate * Math.Pow(Gamma, epoch);
}

/// <summary>
/// Cosine annealing from the base rate to <see cref="MinimumLearningRate"/> over <see cref="Epochs"/> epochs:
/// <c>lr = min + (base - min) (1 + cos(π epoch / epochs)) / 2</c> while <c>epoch ≤ epochs</c> (the closed form of
/// PyTorch's <c>CosineAnnealingLR</c> with <c>T_max = epochs</c>), and <c>min</c> after that, where PyTorch's
/// would rise again. A minimum above the base rate anneals upward.
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="epochs">The number of epochs from the base rate to the minimum; positive.</param>
    /// <param name="minimumLearningRate">The final rate; finite and not negative.</param>
    public CosineAnnealingSchedule(int epochs, double minimumLearningRate = 0)
    {
        if (epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "'epochs' must be positive.");
        }

        if (!double.IsFinite(minimumLearningRate) || minimumLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumLearningRate), minimumLearningRate, "'minimumLearningRate' must be a finite number that is not negative.");
        }

        Epochs = epochs;
        MinimumLearningRate = minimumLearningRate;
    }

    /// <summary>The number of epochs from the base rate to the minimum.</summary>
    public int Epochs { get; }

    /// <summary>The final rate.</summary>
    public double MinimumLearningRate { get; }

    /// <inheritdoc />
    protected override double Compute(double baseLearningRate, int epoch) => epoch >= Epochs
        ? MinimumLearningRate
        : MinimumLearningRate + (baseLearningRate - MinimumLearningRate) * (1 + Math.Cos(Math.PI * epoch / Epochs)) / 2;
}

/// <summary>
/// A linear warm-up before another schedule. During the first <see cref="WarmUpEpochs"/> epochs (<c>W</c>) the
/// rate rises in equal steps towards the base rate, <c>lr = base · (epoch + 1) / (W + 1)</c>; from epoch <c>W</c>
/// on it is the <see cref="Inner"/> schedule's, shifted so that the inner schedule's epoch 0 is the first epoch
/// after the warm-up: <c>lr = inner(base, epoch - W)</c>.
/// </summary>
public sealed class WarmUpSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="inner">The schedule that follows the warm-up.</param>
    /// <param name="warmUpEpochs">The number of warm-up epochs; positive.</param>
    public WarmUpSchedule(LearningRateSchedule inner, int warmUpEpochs)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (warmUpEpochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(warmUpEpochs), warmUpEpochs, "'warmUpEpochs' must be positive.");
        }

        Inner = inner;
        WarmUpEpochs = warmUpEpochs;
    }

    /// <summary>The schedule that follows the warm-up.</summary>
    public LearningRateSchedule Inner { get; }

    /// <summary>The number of warm-up epochs.</summary>
    public int WarmUpEpochs { get; }

    /// <inheritdoc />
    protected override double Compute(double baseLearningRate, int epoch) => epoch < WarmUpEpochs
        ? baseLearningRate * (epoch + 1) / (WarmUpEpochs + 1)
        : Inner.GetLearningRate(baseLearningRate, epoch - WarmUpEpochs);
}
