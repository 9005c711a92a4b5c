namespace NetGen.Sample.Reporting;

/// <summary>One epoch of a run as the reports show it.</summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="TrainingLoss">The mean training loss over the epoch's batches (dropout active).</param>
/// <param name="TrainingAccuracy">Accuracy on (a fixed sample of) the training set after the epoch; null if not measured.</param>
/// <param name="TestLoss">The mean loss on the validation split (held out of the training set) after the epoch; null without one.</param>
/// <param name="TestAccuracy">The accuracy on the validation split after the epoch; null without one.</param>
/// <param name="LearningRate">The learning rate of the epoch.</param>
/// <param name="Seconds">The wall time of the epoch, evaluation included.</param>
/// <param name="SamplesPerSecond">Training throughput of the epoch (batches only).</param>
internal sealed record EpochRow(int Epoch, double TrainingLoss, double? TrainingAccuracy, double? TestLoss, double? TestAccuracy, double LearningRate, double Seconds, double SamplesPerSecond)
{
    /// <summary>The gradient and weight norms of every weight layer in this epoch, first layer first; empty when not measured.</summary>
    public IReadOnlyList<LayerNormRow> LayerNorms { get; init; } = [];
}

/// <summary>What a training run reports at its end: the settings, the per-epoch history and the result.</summary>
internal sealed record RunSummary
{
    /// <summary>The command that ran (<c>digits</c>, <c>fashion</c>).</summary>
    public required string Name { get; init; }

    /// <summary>A one-line title, e.g. <c>Fashion-MNIST, 784-256-128-10 MLP</c>.</summary>
    public required string Title { get; init; }

    /// <summary>The class names, by label.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Key/value rows of the summary table, in display order.</summary>
    public required IReadOnlyList<(string Key, string Value)> Settings { get; init; }

    /// <summary>One row per epoch.</summary>
    public required IReadOnlyList<EpochRow> Epochs { get; init; }

    /// <summary>The held-out confusion matrix.</summary>
    public required ConfusionMatrix Confusion { get; init; }

    /// <summary>The held-out mean loss.</summary>
    public required double TestLoss { get; init; }

    /// <summary>The held-out accuracy.</summary>
    public required double TestAccuracy { get; init; }

    /// <summary>The wall time of training, per-epoch evaluation included.</summary>
    public required TimeSpan WallTime { get; init; }

    /// <summary>The training threads.</summary>
    public required int Threads { get; init; }

    /// <summary>The rows of the final summary table: the settings, then the results.</summary>
    public IReadOnlyList<(string Key, string Value)> Rows()
    {
        var rows = new List<(string, string)>(Settings);
        var last = Epochs.Count > 0 ? Epochs[^1] : null;
        if (last is not null)
        {
            rows.Add(("final training loss", $"{last.TrainingLoss:F4}"));
            if (last.TrainingAccuracy is { } trainingAccuracy)
            {
                rows.Add(("final training accuracy", $"{trainingAccuracy:F4}"));
            }

            rows.Add(("mean throughput", $"{Epochs.Average(e => e.SamplesPerSecond):N0} samples/s"));
        }

        rows.Add(("wall time", $"{WallTime.TotalSeconds:F1} s on {Threads} thread{(Threads == 1 ? "" : "s")}"));
        rows.Add(("test loss", $"{TestLoss:F4}"));
        rows.Add(("test accuracy", $"{TestAccuracy:F4} ({Confusion.Correct:N0} of {Confusion.Total:N0})"));
        return rows;
    }
}
