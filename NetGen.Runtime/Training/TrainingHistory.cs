using System.Collections.ObjectModel;

namespace NetGen;

/// <summary>The per-epoch reports of one <c>Fit</c> call, in order.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochReport> _epochs = [];

    /// <summary>Creates an empty history.</summary>
    public TrainingHistory()
    {
        Epochs = new ReadOnlyCollection<EpochReport>(_epochs);
    }

    /// <summary>The completed epochs, first to last.</summary>
    public IReadOnlyList<EpochReport> Epochs { get; }

    /// <summary>The last completed epoch, or null before the first one completes.</summary>
    public EpochReport? Last => _epochs.Count == 0 ? null : _epochs[^1];

    /// <summary>
    /// The 1-based epoch with the best validation loss under the trainer's <see cref="NetGen.EarlyStopping"/> rule,
    /// whose parameters the network holds after <c>Fit</c>; null without early stopping or when no epoch had a finite
    /// validation loss (then the parameters are not restored).
    /// </summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>True when early stopping or a stopping rule ended training before the requested number of epochs.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>
    /// Why training stopped before the requested number of epochs, e.g. <c>the training loss 0.00987 fell below the
    /// threshold 0.01 in epoch 12</c>; null when it ran all its epochs.
    /// </summary>
    public string? StopReason { get; internal set; }

    /// <summary>The <see cref="StoppingRule"/> that stopped training; null when none did (also when <see cref="EarlyStopping"/> did).</summary>
    public StoppingRule? StoppedBy { get; internal set; }

    /// <summary>The total time of the completed epochs.</summary>
    public TimeSpan Elapsed => _epochs.Aggregate(TimeSpan.Zero, (total, epoch) => total + epoch.Elapsed);

    /// <summary>Appends a completed epoch.</summary>
    internal void Add(EpochReport report) => _epochs.Add(report);

    /// <summary>One line per epoch.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _epochs);
}
