using System.Globalization;

namespace NetGen;

/// <summary>The loss a <see cref="StoppingRule"/> watches.</summary>
public enum MonitoredLoss
{
    /// <summary>The epoch's mean training loss (<see cref="EpochReport.TrainingLoss"/>).</summary>
    Training,

    /// <summary>The validation loss after the epoch (<see cref="EpochReport.ValidationLoss"/>); needs a validation set.</summary>
    Validation,
}

/// <summary>What a <see cref="StoppingRule"/> tests.</summary>
public enum StoppingRuleKind
{
    /// <summary>The loss fell below a threshold: the notes' "a threshold on training set error".</summary>
    LossBelow,

    /// <summary>The loss has not improved for a number of epochs: the notes' "no decrease in error".</summary>
    NoImprovement,
}

/// <summary>
/// A termination criterion of the lecture notes, checked by the <see cref="Trainer{T}"/> after every epoch. Rules in
/// <see cref="TrainerOptions.StoppingRules"/> combine with "or": training stops after the first epoch in which any
/// rule holds, and <see cref="TrainingHistory.StopReason"/> says which rule and why.
/// </summary>
/// <remarks>
/// Unlike <see cref="EarlyStopping"/>, a stopping rule only stops: the network keeps the parameters of the last epoch.
/// Create rules with <see cref="LossBelow"/> and <see cref="NoImprovement"/>.
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainerOptions
/// {
///     StoppingRules = [StoppingRule.LossBelow(0.01), StoppingRule.NoImprovement(patience: 10, MonitoredLoss.Training)],
/// };
/// </code>
/// </example>
public sealed record StoppingRule
{
    private StoppingRule(StoppingRuleKind kind, MonitoredLoss monitor, double threshold, int patience, double minDelta)
    {
        if (!Enum.IsDefined(monitor))
        {
            throw new ArgumentOutOfRangeException(nameof(monitor), monitor, "'monitor' must be MonitoredLoss.Training or MonitoredLoss.Validation.");
        }

        Kind = kind;
        Monitor = monitor;
        Threshold = threshold;
        Patience = patience;
        MinDelta = minDelta;
    }

    /// <summary>Stops after the first epoch whose loss is below <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The loss to get below; finite.</param>
    /// <param name="monitor">The loss to watch; the training loss by default, as in the notes.</param>
    public static StoppingRule LossBelow(double threshold, MonitoredLoss monitor = MonitoredLoss.Training)
    {
        if (!double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "'threshold' must be a finite number.");
        }

        return new StoppingRule(StoppingRuleKind.LossBelow, monitor, threshold, 0, 0);
    }

    /// <summary>
    /// Stops when the loss has not improved for <paramref name="patience"/> epochs in a row. An epoch improves when
    /// its loss is below the best so far by more than <paramref name="minDelta"/> (so the first epoch with a finite
    /// loss improves).
    /// </summary>
    /// <param name="patience">Epochs without improvement after which training stops; positive.</param>
    /// <param name="monitor">The loss to watch; the validation loss by default.</param>
    /// <param name="minDelta">How much the loss must fall to count as an improvement; finite and not negative.</param>
    public static StoppingRule NoImprovement(int patience, MonitoredLoss monitor = MonitoredLoss.Validation, double minDelta = 0)
    {
        if (patience <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "'patience' must be positive.");
        }

        if (!double.IsFinite(minDelta) || minDelta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "'minDelta' must be a finite number that is not negative.");
        }

        return new StoppingRule(StoppingRuleKind.NoImprovement, monitor, 0, patience, minDelta);
    }

    /// <summary>What the rule tests.</summary>
    public StoppingRuleKind Kind { get; }

    /// <summary>The loss the rule watches.</summary>
    public MonitoredLoss Monitor { get; }

    /// <summary>The threshold of a <see cref="StoppingRuleKind.LossBelow"/> rule; 0 for the other kind.</summary>
    public double Threshold { get; }

    /// <summary>The patience of a <see cref="StoppingRuleKind.NoImprovement"/> rule; 0 for the other kind.</summary>
    public int Patience { get; }

    /// <summary>The smallest fall that counts as an improvement (<see cref="StoppingRuleKind.NoImprovement"/> rules).</summary>
    public double MinDelta { get; }

    /// <summary>The rule in words, e.g. <c>training loss below 0.01</c> or <c>no improvement of the validation loss for 5 epochs</c>.</summary>
    public override string ToString() => Kind == StoppingRuleKind.LossBelow
        ? string.Create(CultureInfo.InvariantCulture, $"{LossName(Monitor)} below {Threshold:G6}")
        : string.Create(CultureInfo.InvariantCulture, $"no improvement of the {LossName(Monitor)} for {Patience} epoch{(Patience == 1 ? "" : "s")}{(MinDelta > 0 ? $" (by more than {MinDelta:G6})" : "")}");

    /// <summary>"training loss" or "validation loss".</summary>
    internal static string LossName(MonitoredLoss monitor) => monitor == MonitoredLoss.Training ? "training loss" : "validation loss";
}

/// <summary>The progress of one <see cref="StoppingRule"/> during training: the best loss so far and the epochs since.</summary>
internal struct StoppingRuleTracker
{
    /// <summary>A tracker before the first epoch.</summary>
    public StoppingRuleTracker()
    {
    }

    /// <summary>The lowest loss that counted as an improvement; +∞ before the first.</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>The epoch of <see cref="BestLoss"/>; 0 before the first improvement.</summary>
    public int BestEpoch { get; set; }

    /// <summary>Epochs in a row without improvement.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>Records the epoch's loss and returns why training must stop, or null to go on.</summary>
    public string? Check(StoppingRule rule, int epoch, double loss)
    {
        string lossName = StoppingRule.LossName(rule.Monitor);
        if (rule.Kind == StoppingRuleKind.LossBelow)
        {
            return loss < rule.Threshold
                ? string.Create(CultureInfo.InvariantCulture, $"the {lossName} {loss:G6} fell below the threshold {rule.Threshold:G6} in epoch {epoch}")
                : null;
        }

        if (loss < BestLoss - rule.MinDelta)
        {
            BestLoss = loss;
            BestEpoch = epoch;
            EpochsWithoutImprovement = 0;
            return null;
        }

        if (++EpochsWithoutImprovement < rule.Patience)
        {
            return null;
        }

        return BestEpoch == 0
            ? string.Create(CultureInfo.InvariantCulture, $"the {lossName} was not finite for {EpochsWithoutImprovement} epochs")
            : string.Create(CultureInfo.InvariantCulture, $"the {lossName} has not improved on {BestLoss:G6} (epoch {BestEpoch}) for {EpochsWithoutImprovement} epochs");
    }
}
