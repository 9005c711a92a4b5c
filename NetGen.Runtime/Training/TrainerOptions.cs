namespace NetGen;

/// <summary>Optional behavior of a <see cref="Trainer{T}"/>; the defaults train exactly as without options.</summary>
/// <example>
/// <code>
/// var options = new TrainerOptions
/// {
///     Schedule = LearningRateSchedule.Cosine(epochs: 30).WithWarmUp(epochs: 2),
///     MaxGradientNorm = 1.0,
///     EarlyStopping = new EarlyStopping(patience: 5),
/// };
/// var trainer = new Trainer&lt;float&gt;(net, new Adam&lt;float&gt;(1e-3), batchSize: 64, seed: 1, options: options);
/// </code>
/// </example>
public sealed record TrainerOptions
{
    private readonly double? _maxGradientNorm;
    private readonly int _threads = 1;
    private readonly int _batchProgressInterval = 1;
    private readonly NormTracking _normTracking = NormTracking.PerEpoch;
    private readonly IReadOnlyList<StoppingRule> _stoppingRules = [];

    /// <summary>
    /// The learning-rate schedule, applied once per epoch: before an epoch's first batch the trainer sets the
    /// optimizer's <see cref="Optimizer{T}.LearningRate"/> to
    /// <c>Schedule.GetLearningRate(trainer.BaseLearningRate, epoch - 1)</c>, where <c>epoch</c> is the 1-based epoch
    /// within the <c>Fit</c> call (so every <c>Fit</c> call starts the schedule again). Null (the default) leaves the
    /// learning rate alone.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// When set, each batch's mean gradient is clipped to this global L2 norm (see
    /// <see cref="GradientClipping.ClipByGlobalNorm{T}"/>) after averaging and before the optimizer step; finite and
    /// positive. Null (the default) for no clipping.
    /// </summary>
    public double? MaxGradientNorm
    {
        get => _maxGradientNorm;
        init
        {
            if (value is { } maxNorm)
            {
                GradientClipping.CheckMaxNorm(maxNorm, nameof(MaxGradientNorm));
            }

            _maxGradientNorm = value;
        }
    }

    /// <summary>Early stopping on the validation loss, with the best epoch's parameters restored; null (the default) for none.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Termination criteria checked after every epoch, combined with "or": training stops after the first epoch in
    /// which any of them holds, and <see cref="TrainingHistory.StopReason"/> records why. Empty (the default) for none.
    /// Rules that watch the validation loss need a validation set in <c>Fit</c>.
    /// </summary>
    public IReadOnlyList<StoppingRule> StoppingRules
    {
        get => _stoppingRules;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(StoppingRules));
            for (int i = 0; i < value.Count; i++)
            {
                if (value[i] is null)
                {
                    throw new ArgumentException($"'StoppingRules' has null at position {i}; every entry must be a StoppingRule.", nameof(StoppingRules));
                }
            }

            _stoppingRules = [.. value];
        }
    }

    /// <summary>
    /// Threads that compute each minibatch's gradient, the calling thread included; 1 (the default) trains on the
    /// calling thread only. Results are bit-identical for any value. Small networks use fewer threads than asked
    /// where threads would cost more than they save (below 200,000 parameters x samples per batch).
    /// </summary>
    public int Threads
    {
        get => _threads;
        init
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Threads), value, "'Threads' must be positive; use Environment.ProcessorCount for all cores.");
            }

            _threads = value;
        }
    }

    /// <summary>
    /// How often the per-layer gradient and weight norms are measured (<see cref="EpochReport.LayerGradientNorms"/>);
    /// <see cref="NormTracking.PerEpoch"/> by default. Measuring reads the gradient once more per batch and allocates
    /// nothing per batch (per-batch reports allocate their copy).
    /// </summary>
    public NormTracking NormTracking
    {
        get => _normTracking;
        init
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(NormTracking), value, "'NormTracking' must be Off, PerEpoch or PerBatch.");
            }

            _normTracking = value;
        }
    }

    /// <summary>Receives a report every <see cref="BatchProgressInterval"/> batches (and after each epoch's last batch); null for none.</summary>
    public IProgress<BatchReport>? BatchProgress { get; init; }

    /// <summary>How many batches between two <see cref="BatchProgress"/> reports; positive, 1 by default.</summary>
    public int BatchProgressInterval
    {
        get => _batchProgressInterval;
        init
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(BatchProgressInterval), value, "'BatchProgressInterval' must be positive.");
            }

            _batchProgressInterval = value;
        }
    }
}

/// <summary>
/// Stops training when the validation loss has not improved for <see cref="Patience"/> epochs and restores the
/// parameters of the best epoch, like Keras' <c>EarlyStopping(monitor="val_loss", restore_best_weights=True)</c>.
/// </summary>
/// <remarks>
/// <para>
/// An epoch improves when its validation loss is below the best one so far by more than <see cref="MinDelta"/>
/// (so the first epoch with a finite validation loss improves); that epoch becomes the best and its parameters are copied into a buffer
/// the trainer allocates once. After <see cref="Patience"/> epochs in a row without improvement training stops.
/// </para>
/// <para>
/// When <c>Fit</c> returns, whether it stopped early or ran all its epochs, the network holds the parameters of
/// the best epoch. The optimizer's state (momentum, moment estimates) is not rolled back. Cancellation and
/// divergence leave the parameters as those exceptions describe, without restoring.
/// </para>
/// </remarks>
public sealed record EarlyStopping
{
    /// <summary>Creates the early-stopping rule.</summary>
    /// <param name="patience">Epochs without improvement after which training stops; positive.</param>
    /// <param name="minDelta">How much the validation loss must fall to count as an improvement; finite and not negative.</param>
    public EarlyStopping(int patience, double minDelta = 0)
    {
        if (patience <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "'patience' must be positive.");
        }

        if (!double.IsFinite(minDelta) || minDelta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "'minDelta' must be a finite number that is not negative.");
        }

        Patience = patience;
        MinDelta = minDelta;
    }

    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }

    /// <summary>How much the validation loss must fall to count as an improvement.</summary>
    public double MinDelta { get; }
}
