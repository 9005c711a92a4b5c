using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>What one epoch of training achieved.</summary>
/// <param name="Epoch">The 1-based epoch number within the <c>Fit</c> call.</param>
/// <param name="EpochCount">The number of epochs the <c>Fit</c> call was asked for.</param>
/// <param name="TrainingLoss">
/// The mean per-sample loss over the epoch's batches, each measured just before its own update (so it lags
/// the end-of-epoch weights slightly, as in most training loops).
/// </param>
/// <param name="ValidationLoss">The mean per-sample validation loss after the epoch; null without a validation set.</param>
/// <param name="ValidationAccuracy">
/// The share of validation samples classified correctly after the epoch; null without a validation set or
/// when the task is not classification (see <see cref="Evaluation.Evaluate{T}"/>).
/// </param>
/// <param name="Elapsed">The time the epoch took, validation included.</param>
/// <param name="LearningRate">
/// The optimizer's learning rate during the epoch (set by the trainer's schedule, if it has one); null when not
/// known (reports not created by a <see cref="Trainer{T}"/>).
/// </param>
public sealed record EpochReport(int Epoch, int EpochCount, double TrainingLoss, double? ValidationLoss, double? ValidationAccuracy, TimeSpan Elapsed, double? LearningRate = null)
{
    /// <summary>
    /// The gradient and weight norms of every layer with weights, first layer first (see <see cref="LayerGradientNorm"/>);
    /// empty when <see cref="TrainerOptions.NormTracking"/> is <see cref="NormTracking.Off"/>.
    /// </summary>
    public IReadOnlyList<LayerGradientNorm> LayerGradientNorms { get; init; } = [];

    /// <summary>One line such as <c>epoch 3/10: loss 0.4123, validation loss 0.4410, accuracy 84.20%, lr 0.001, 1.25 s</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"epoch {Epoch}/{EpochCount}: loss {TrainingLoss:G6}");
        if (ValidationLoss is { } validationLoss)
        {
            text.Append(CultureInfo.InvariantCulture, $", validation loss {validationLoss:G6}");
        }

        if (ValidationAccuracy is { } accuracy)
        {
            text.Append(CultureInfo.InvariantCulture, $", accuracy {accuracy * 100:F2}%");
        }

        if (LearningRate is { } learningRate)
        {
            text.Append(CultureInfo.InvariantCulture, $", lr {learningRate:G6}");
        }

        text.Append(CultureInfo.InvariantCulture, $", {Elapsed.TotalSeconds:F2} s");
        return text.ToString();
    }
}

/// <summary>Progress within an epoch, after a minibatch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="EpochCount">Epochs requested.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="BatchCount">Batches per epoch.</param>
/// <param name="Loss">The batch's mean loss.</param>
/// <param name="SamplesDone">Training samples processed so far in this epoch.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public sealed record BatchReport(int Epoch, int EpochCount, int Batch, int BatchCount, double Loss, int SamplesDone, TimeSpan Elapsed)
{
    /// <summary>
    /// This batch's gradient and weight norms per layer with <see cref="NormTracking.PerBatch"/>; empty otherwise.
    /// </summary>
    public IReadOnlyList<LayerGradientNorm> LayerGradientNorms { get; init; } = [];

    /// <summary>Training throughput of the epoch so far.</summary>
    public double SamplesPerSecond => Elapsed > TimeSpan.Zero ? SamplesDone / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The size of one layer's weights and of their gradient, as the notes use them to show vanishing gradients
/// ("earlier layers have exponentially smaller sum of gradient norms").
/// </summary>
/// <param name="Layer">The layer's <see cref="LayerDescription.Index"/>.</param>
/// <param name="Name">The name of the layer's weight tensor, e.g. <c>W1</c>.</param>
/// <param name="GradientNorm">
/// The L2 norm of the layer's weight gradient (the gradient of the batch's mean loss, before clipping), averaged
/// over the epoch's batches; for a <see cref="BatchReport"/>, that batch's norm.
/// </param>
/// <param name="WeightNorm">The L2 norm of the layer's weights after the epoch (or batch).</param>
public readonly record struct LayerGradientNorm(int Layer, string Name, double GradientNorm, double WeightNorm)
{
    /// <summary>The layer as text, e.g. <c>W1: gradient 0.0123, weights 4.56</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: gradient {GradientNorm:G4}, weights {WeightNorm:G4}");
}

/// <summary>How often a <see cref="Trainer{T}"/> measures the per-layer norms of <see cref="LayerGradientNorm"/>.</summary>
public enum NormTracking
{
    /// <summary>Not at all: <see cref="EpochReport.LayerGradientNorms"/> is empty.</summary>
    Off,

    /// <summary>Every batch, reported per epoch in <see cref="EpochReport.LayerGradientNorms"/> (the default; costs one pass over the gradient per batch).</summary>
    PerEpoch,

    /// <summary>As <see cref="PerEpoch"/>, and each <see cref="BatchReport"/> also carries its batch's norms.</summary>
    PerBatch,
}
