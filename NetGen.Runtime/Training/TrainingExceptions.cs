namespace NetGen;

/// <summary>
/// Training produced a loss or gradient that is not finite (NaN or infinity), usually because the learning
/// rate is too high or the inputs are not scaled. The update of the failing batch was not applied, so the
/// network keeps the weights it had after the previous batch.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the batch where training diverged.</summary>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <param name="batch">The 1-based batch within the epoch.</param>
    /// <param name="loss">The batch's summed loss (may be finite when only the gradient is not).</param>
    /// <param name="history">The epochs completed before this one.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, TrainingHistory history)
        : base(double.IsFinite(loss)
            ? $"Training diverged in epoch {epoch}, batch {batch}: the gradient is not finite (the loss was {loss}). The weights are those before this batch; try a lower learning rate or scaled inputs."
            : $"Training diverged in epoch {epoch}, batch {batch}: the loss is {loss}. The weights are those before this batch; try a lower learning rate or scaled inputs.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        History = history;
    }

    /// <summary>The 1-based epoch in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch within <see cref="Epoch"/>.</summary>
    public int Batch { get; }

    /// <summary>The batch's summed loss.</summary>
    public double Loss { get; }

    /// <summary>The epochs completed before training diverged.</summary>
    public TrainingHistory History { get; }
}

/// <summary>
/// Training was canceled. Cancellation is checked between batches, so the network holds the consistent
/// weights after the last applied update; <see cref="History"/> has the epochs completed before.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The 1-based epoch that was interrupted.</param>
    /// <param name="history">The epochs completed before.</param>
    /// <param name="cancellationToken">The token that was canceled.</param>
    public TrainingCanceledException(int epoch, TrainingHistory history, CancellationToken cancellationToken)
        : base($"Training was canceled during epoch {epoch}; {history.Epochs.Count} epoch(s) were completed.", cancellationToken)
    {
        Epoch = epoch;
        History = history;
    }

    /// <summary>The 1-based epoch that was interrupted.</summary>
    public int Epoch { get; }

    /// <summary>The epochs completed before cancellation.</summary>
    public TrainingHistory History { get; }
}
