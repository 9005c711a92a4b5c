using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// k-fold cross-validation as the notes use it to choose the number of epochs and of hidden units: split the data
/// into k folds, train one network per fold on the other k - 1 folds while validating on it, average the validation
/// loss per epoch, pick the epoch count with the lowest mean, then retrain on all the data for that many epochs.
/// </summary>
/// <example>
/// <code>
/// var cv = CrossValidation.KFold(data, folds: 10, fold =>
/// {
///     var net = new DigitsNet(seed: fold.Index);
///     using var trainer = new Trainer&lt;float&gt;(net, new Adam&lt;float&gt;(0.003), batchSize: 32, seed: fold.Index);
///     return trainer.Fit(fold.Train, epochs: 30, validation: fold.Validation);
/// });
/// var final = new DigitsNet(seed: 1);
/// new Trainer&lt;float&gt;(final, new Adam&lt;float&gt;(0.003), batchSize: 32, seed: 1).Fit(data, cv.BestEpochCount);
/// </code>
/// </example>
public static class CrossValidation
{
    /// <summary>
    /// Splits <paramref name="sampleCount"/> samples into <paramref name="folds"/> folds of sizes that differ by at
    /// most one, and returns each fold's (validation) sample indices in ascending order. With
    /// <paramref name="labels"/> the folds are stratified: each class's samples, shuffled, are dealt to the folds in
    /// turn, continuing with the next fold where the previous class stopped, so every class's count also differs by
    /// at most one between folds.
    /// </summary>
    /// <param name="sampleCount">The number of samples; at least <paramref name="folds"/>.</param>
    /// <param name="folds">The number of folds k; at least 2.</param>
    /// <param name="seed">Seeds the shuffling: the same seed gives the same folds.</param>
    /// <param name="labels">Each sample's class for stratified folds (not negative), or empty for unstratified ones.</param>
    public static int[][] Folds(int sampleCount, int folds, int seed, ReadOnlySpan<int> labels = default)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "'folds' must be at least 2.");
        }

        if (sampleCount < folds)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, $"{sampleCount} samples cannot fill {folds} folds; use at most {sampleCount} folds.");
        }

        if (!labels.IsEmpty && labels.Length != sampleCount)
        {
            throw new ArgumentException($"'labels' has {labels.Length} values for {sampleCount} samples; give one label per sample, or none.", nameof(labels));
        }

        var random = new DeterministicRandom(seed);
        var groups = new List<int[]>();
        if (labels.IsEmpty)
        {
            groups.Add(Enumerable.Range(0, sampleCount).ToArray());
        }
        else
        {
            int classCount = 0;
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] < 0)
                {
                    throw new ArgumentException($"'labels' has the negative label {labels[i]} at sample {i}.", nameof(labels));
                }

                classCount = Math.Max(classCount, labels[i] + 1);
            }

            var members = new List<int>[classCount];
            for (int c = 0; c < classCount; c++)
            {
                members[c] = [];
            }

            for (int i = 0; i < labels.Length; i++)
            {
                members[labels[i]].Add(i);
            }

            groups.AddRange(members.Select(m => m.ToArray()));
        }

        var assigned = new List<int>[folds];
        for (int f = 0; f < folds; f++)
        {
            assigned[f] = [];
        }

        int next = 0;
        foreach (var group in groups)
        {
            random.Shuffle(group.AsSpan());
            foreach (int sample in group)
            {
                assigned[next].Add(sample);
                next = (next + 1) % folds;
            }
        }

        return [.. assigned.Select(fold => fold.Order().ToArray())];
    }

    /// <summary>
    /// Runs k-fold cross-validation: for each fold, <paramref name="trainFold"/> builds and trains a network on
    /// <see cref="CrossValidationFold{T}.Train"/>, validating on <see cref="CrossValidationFold{T}.Validation"/> (pass it
    /// to <c>Fit</c>), and returns the history. Folds are stratified when <paramref name="data"/> has labels.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">All the samples.</param>
    /// <param name="folds">The number of folds k; at least 2 and at most the sample count (the notes use 10).</param>
    /// <param name="trainFold">Builds and trains a network for one fold; must validate every epoch.</param>
    /// <param name="seed">Seeds the folds.</param>
    /// <returns>The per-epoch mean and spread of the validation metrics and the best epoch count.</returns>
    public static CrossValidationResult KFold<T>(Dataset<T> data, int folds, Func<CrossValidationFold<T>, TrainingHistory> trainFold, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trainFold);
        var validationSets = Folds(data.Count, folds, seed, data.HasLabels ? data.Labels : default);
        var histories = new List<TrainingHistory>();
        for (int f = 0; f < validationSets.Length; f++)
        {
            var inValidation = new bool[data.Count];
            foreach (int sample in validationSets[f])
            {
                inValidation[sample] = true;
            }

            int[] trainIndices = [.. Enumerable.Range(0, data.Count).Where(i => !inValidation[i])];
            var fold = new CrossValidationFold<T>(f, validationSets.Length, data.Subset(trainIndices), data.Subset(validationSets[f]));
            var history = trainFold(fold) ?? throw new InvalidOperationException($"The callback returned null for fold {f}; return the history Fit gave.");
            if (history.Epochs.Count == 0 || history.Epochs.Any(e => e.ValidationLoss is null))
            {
                throw new InvalidOperationException($"Fold {f}'s history has {(history.Epochs.Count == 0 ? "no epochs" : "epochs without a validation loss")}; pass fold.Validation to Fit as its validation set.");
            }

            histories.Add(history);
        }

        return new CrossValidationResult(histories);
    }
}

/// <summary>One fold of a cross-validation: the samples to train on and those to validate on.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="Index">The 0-based fold number (a natural seed for the fold's network).</param>
/// <param name="FoldCount">The number of folds.</param>
/// <param name="Train">The samples of the other folds.</param>
/// <param name="Validation">The samples of this fold.</param>
public sealed record CrossValidationFold<T>(int Index, int FoldCount, Dataset<T> Train, Dataset<T> Validation)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The validation metrics of one epoch across the folds that trained it.</summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="Folds">How many folds reached this epoch (fewer than all when some stopped early).</param>
/// <param name="MeanValidationLoss">The mean over those folds of the validation loss after the epoch.</param>
/// <param name="ValidationLossStandardDeviation">Its sample standard deviation (n - 1 in the denominator; 0 for one fold).</param>
/// <param name="MeanValidationAccuracy">The mean validation accuracy; null when the task is not classification.</param>
/// <param name="ValidationAccuracyStandardDeviation">Its sample standard deviation; null when the task is not classification.</param>
public sealed record CrossValidationEpoch(int Epoch, int Folds, double MeanValidationLoss, double ValidationLossStandardDeviation, double? MeanValidationAccuracy, double? ValidationAccuracyStandardDeviation)
{
    /// <summary>One line, e.g. <c>epoch 3: validation loss 0.2110 ± 0.0153, accuracy 93.71% ± 1.20% (10 folds)</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"epoch {Epoch}: validation loss {MeanValidationLoss:F4} ± {ValidationLossStandardDeviation:F4}");
        if (MeanValidationAccuracy is { } accuracy && ValidationAccuracyStandardDeviation is { } spread)
        {
            text.Append(CultureInfo.InvariantCulture, $", accuracy {accuracy * 100:F2}% ± {spread * 100:F2}%");
        }

        text.Append(CultureInfo.InvariantCulture, $" ({Folds} fold{(Folds == 1 ? "" : "s")})");
        return text.ToString();
    }
}

/// <summary>What a <see cref="CrossValidation.KFold{T}"/> run found.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(IReadOnlyList<TrainingHistory> folds)
    {
        Folds = folds;
        int epochs = folds.Max(h => h.Epochs.Count);
        var perEpoch = new List<CrossValidationEpoch>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var reports = folds.Where(h => h.Epochs.Count >= epoch).Select(h => h.Epochs[epoch - 1]).ToList();
            var (lossMean, lossSpread) = MeanAndSpread(reports.Select(r => r.ValidationLoss!.Value).ToList());
            double? accuracyMean = null, accuracySpread = null;
            if (reports.All(r => r.ValidationAccuracy is not null))
            {
                (accuracyMean, accuracySpread) = MeanAndSpread(reports.Select(r => r.ValidationAccuracy!.Value).ToList());
            }

            perEpoch.Add(new CrossValidationEpoch(epoch, reports.Count, lossMean, lossSpread, accuracyMean, accuracySpread));
        }

        Epochs = perEpoch;

        // Only epochs every fold reached compete, so the mean is over the same k networks.
        int commonEpochs = folds.Min(h => h.Epochs.Count);
        BestEpochCount = perEpoch.Take(commonEpochs).MinBy(e => e.MeanValidationLoss)!.Epoch;
    }

    /// <summary>Each fold's training history, in fold order.</summary>
    public IReadOnlyList<TrainingHistory> Folds { get; }

    /// <summary>The mean and spread of the validation metrics, per epoch.</summary>
    public IReadOnlyList<CrossValidationEpoch> Epochs { get; }

    /// <summary>
    /// The epoch count with the lowest mean validation loss, among the epochs every fold reached (the first on ties):
    /// the number of epochs to retrain on all the data for.
    /// </summary>
    public int BestEpochCount { get; }

    /// <summary>The best epoch's metrics.</summary>
    public CrossValidationEpoch Best => Epochs[BestEpochCount - 1];

    /// <summary>One line per epoch, then the best epoch count.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Epochs) + Environment.NewLine + string.Create(CultureInfo.InvariantCulture, $"best epoch count: {BestEpochCount}");

    private static (double Mean, double SampleStandardDeviation) MeanAndSpread(List<double> values)
    {
        double mean = values.Average();
        if (values.Count < 2)
        {
            return (mean, 0);
        }

        double squares = values.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(squares / (values.Count - 1)));
    }
}
