using System.Numerics;
using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// The loss functions of <see cref="Loss"/>, usable on their own: for one sample or for a batch stored
/// sample after sample, each returning the loss (the <b>sum</b> over the samples of a batch) and, when a
/// gradient span is given, <b>writing</b> the derivative of that sum with respect to every output into it.
/// </summary>
/// <remarks>
/// <para>
/// The cross-entropy losses take <b>logits</b> (the values before the sigmoid or softmax) so they can be
/// computed without overflow or <c>log 0</c>; <see cref="ToPredictions{T}"/> turns logits into probabilities.
/// </para>
/// <para>
/// Sums, exponentials and logarithms are evaluated in <see cref="double"/> whatever the element type
/// is, so a <see cref="float"/> batch loses no precision in the accumulation. A gradient span that is empty
/// (the default) means "no gradient wanted". None of the methods allocates.
/// </para>
/// <para>
/// Each loss is computed by the same code generated networks and the dynamic graph run
/// (<see cref="SampleLoss"/>), so a value from here equals the network's <c>ComputeLoss</c> to the bit when
/// given the same outputs. Softmax cross-entropy skips zero targets (an absent class's -inf logit costs 0,
/// not NaN) and binary cross-entropy evaluates <c>ln(1 + e^-|z|)</c> so that tiny terms survive.
/// </para>
/// </remarks>
public static class Losses
{
    /// <summary>
    /// Squared error of one sample, <c>L = 1/2 sum_i (y_i - t_i)^2</c>; gradient <c>dL/dy_i = y_i - t_i</c>.
    /// </summary>
    /// <param name="outputs">The network's outputs <c>y</c>.</param>
    /// <param name="targets">The targets <c>t</c>, as many as <paramref name="outputs"/>.</param>
    /// <param name="gradient">Receives <c>dL/dy</c>; empty for none, otherwise as long as <paramref name="outputs"/>.</param>
    /// <returns>The loss.</returns>
    public static T SquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SquaredError(outputs, targets, SampleSize(outputs, nameof(outputs)), gradient);

    /// <summary>Squared error of a batch: the sum of <see cref="SquaredError{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> over its samples.</summary>
    /// <param name="outputs">The outputs of every sample, sample after sample.</param>
    /// <param name="targets">The targets, laid out like <paramref name="outputs"/>.</param>
    /// <param name="outputSize">Outputs per sample.</param>
    /// <param name="gradient">Receives the derivative of the summed loss; empty for none.</param>
    /// <returns>The summed loss.</returns>
    public static T SquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int outputSize, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatch(outputs, targets, outputSize, gradient);
        double sum = 0;
        for (int start = 0; start < outputs.Length; start += outputSize)
        {
            sum += SampleLoss.SquaredError(outputs.Slice(start, outputSize), targets.Slice(start, outputSize), gradient.IsEmpty ? default : gradient.Slice(start, outputSize));
        }

        return T.CreateTruncating(sum);
    }

    /// <summary>
    /// Mean squared error of one sample, <c>L = 1/n sum_i (y_i - t_i)^2</c> over its <c>n</c> outputs;
    /// gradient <c>dL/dy_i = 2 (y_i - t_i) / n</c>.
    /// </summary>
    /// <param name="outputs">The network's outputs <c>y</c>.</param>
    /// <param name="targets">The targets <c>t</c>, as many as <paramref name="outputs"/>.</param>
    /// <param name="gradient">Receives <c>dL/dy</c>; empty for none, otherwise as long as <paramref name="outputs"/>.</param>
    /// <returns>The loss.</returns>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MeanSquaredError(outputs, targets, SampleSize(outputs, nameof(outputs)), gradient);

    /// <summary>
    /// Mean squared error of a batch: the sum over its samples of each sample's mean over its
    /// <paramref name="outputSize"/> outputs.
    /// </summary>
    /// <param name="outputs">The outputs of every sample, sample after sample.</param>
    /// <param name="targets">The targets, laid out like <paramref name="outputs"/>.</param>
    /// <param name="outputSize">Outputs per sample (the <c>n</c> of the mean).</param>
    /// <param name="gradient">Receives the derivative of the summed loss; empty for none.</param>
    /// <returns>The summed loss.</returns>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int outputSize, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatch(outputs, targets, outputSize, gradient);
        double sum = 0;
        for (int start = 0; start < outputs.Length; start += outputSize)
        {
            sum += SampleLoss.MeanSquaredError(outputs.Slice(start, outputSize), targets.Slice(start, outputSize), gradient.IsEmpty ? default : gradient.Slice(start, outputSize));
        }

        return T.CreateTruncating(sum);
    }

    /// <summary>
    /// Binary cross-entropy of one sample on logits <c>z</c>: for every output, the log loss of
    /// <c>sigmoid(z)</c> against target <c>t</c> (0 or 1, or a probability), summed over the outputs.
    /// Evaluated as <c>max(z, 0) - z t + ln(1 + e^-|z|)</c>, which neither overflows nor takes <c>ln 0</c>;
    /// gradient <c>dL/dz = sigmoid(z) - t</c>.
    /// </summary>
    /// <param name="logits">The logits <c>z</c> (the outputs before the sigmoid).</param>
    /// <param name="targets">The targets, as many as <paramref name="logits"/>.</param>
    /// <param name="gradient">Receives <c>dL/dz</c>; empty for none, otherwise as long as <paramref name="logits"/>.</param>
    /// <returns>The loss.</returns>
    public static T BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogits(logits, targets, SampleSize(logits, nameof(logits)), gradient);

    /// <summary>Binary cross-entropy of a batch on logits: the sum over all samples and outputs.</summary>
    /// <param name="logits">The logits of every sample, sample after sample.</param>
    /// <param name="targets">The targets, laid out like <paramref name="logits"/>.</param>
    /// <param name="outputSize">Outputs per sample.</param>
    /// <param name="gradient">Receives the derivative of the summed loss with respect to the logits; empty for none.</param>
    /// <returns>The summed loss.</returns>
    public static T BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, int outputSize, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatch(logits, targets, outputSize, gradient, nameof(logits));
        double sum = 0;
        for (int start = 0; start < logits.Length; start += outputSize)
        {
            sum += SampleLoss.BinaryCrossEntropyWithLogits(logits.Slice(start, outputSize), targets.Slice(start, outputSize), gradient.IsEmpty ? default : gradient.Slice(start, outputSize));
        }

        return T.CreateTruncating(sum);
    }

    /// <summary>
    /// Softmax cross-entropy of one sample on logits <c>z</c>: <c>L = -sum_i t_i ln p_i</c> with
    /// <c>p = softmax(z)</c>, evaluated as <c>sum_i t_i (lse(z) - z_i)</c> with a max-shifted log-sum-exp so no
    /// exponential overflows. Gradient <c>dL/dz_i = p_i sum_j t_j - t_i</c>, which is <c>p - t</c> for targets
    /// that sum to 1 (one-hot or a distribution).
    /// </summary>
    /// <param name="logits">The logits <c>z</c>.</param>
    /// <param name="targets">The targets, as many as <paramref name="logits"/>.</param>
    /// <param name="gradient">Receives <c>dL/dz</c>; empty for none, otherwise as long as <paramref name="logits"/>.</param>
    /// <returns>The loss.</returns>
    public static T SoftmaxCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SoftmaxCrossEntropyWithLogits(logits, targets, SampleSize(logits, nameof(logits)), gradient);

    /// <summary>Softmax cross-entropy of a batch on logits: the sum of the per-sample losses, each over <paramref name="outputSize"/> classes.</summary>
    /// <param name="logits">The logits of every sample, sample after sample.</param>
    /// <param name="targets">The targets, laid out like <paramref name="logits"/>.</param>
    /// <param name="outputSize">Classes (outputs) per sample.</param>
    /// <param name="gradient">Receives the derivative of the summed loss with respect to the logits; empty for none.</param>
    /// <returns>The summed loss.</returns>
    public static T SoftmaxCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, int outputSize, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatch(logits, targets, outputSize, gradient, nameof(logits));
        double sum = 0;
        for (int start = 0; start < logits.Length; start += outputSize)
        {
            sum += SampleLoss.SoftmaxCrossEntropyWithLogits(logits.Slice(start, outputSize), targets.Slice(start, outputSize), gradient.IsEmpty ? default : gradient.Slice(start, outputSize));
        }

        return T.CreateTruncating(sum);
    }

    /// <summary>
    /// Evaluates <paramref name="loss"/> on a batch: dispatches to <see cref="SquaredError{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T})"/>,
    /// <see cref="MeanSquaredError{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T})"/>,
    /// <see cref="BinaryCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T})"/> or
    /// <see cref="SoftmaxCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T})"/>.
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The outputs of every sample: predictions for the squared errors, logits for the cross-entropies.</param>
    /// <param name="targets">The targets, laid out like <paramref name="outputs"/>.</param>
    /// <param name="outputSize">Outputs per sample.</param>
    /// <param name="gradient">Receives the derivative of the summed loss with respect to <paramref name="outputs"/>; empty for none.</param>
    /// <returns>The summed loss.</returns>
    public static T Compute<T>(Loss loss, ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int outputSize, Span<T> gradient = default)
        where T : unmanaged, IFloatingPointIeee754<T>
        => loss switch
        {
            Loss.SquaredError => SquaredError(outputs, targets, outputSize, gradient),
            Loss.MeanSquaredError => MeanSquaredError(outputs, targets, outputSize, gradient),
            Loss.BinaryCrossEntropy => BinaryCrossEntropyWithLogits(outputs, targets, outputSize, gradient),
            Loss.SoftmaxCrossEntropy => SoftmaxCrossEntropyWithLogits(outputs, targets, outputSize, gradient),
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, $"'{loss}' is not a known loss."),
        };

    /// <summary>
    /// Turns a batch of raw outputs into the predictions a network trained with <paramref name="loss"/> reports:
    /// a softmax per sample for <see cref="Loss.SoftmaxCrossEntropy"/>, a sigmoid per output for
    /// <see cref="Loss.BinaryCrossEntropy"/>, and a copy for the squared errors.
    /// </summary>
    /// <param name="loss">The loss the outputs are trained with.</param>
    /// <param name="outputs">The raw outputs (logits for the cross-entropies), sample after sample.</param>
    /// <param name="predictions">Receives the predictions; as long as <paramref name="outputs"/>. May be the same memory.</param>
    /// <param name="outputSize">Outputs per sample.</param>
    public static void ToPredictions<T>(Loss loss, ReadOnlySpan<T> outputs, Span<T> predictions, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (loss)
        {
            case Loss.SoftmaxCrossEntropy:
                Softmax(outputs, predictions, outputSize);
                break;
            case Loss.BinaryCrossEntropy:
                CheckBatchShape(outputs.Length, outputSize, nameof(outputs));
                CheckSameLength(outputs.Length, predictions.Length, nameof(predictions));
                Sigmoid(outputs, predictions);
                break;
            case Loss.SquaredError or Loss.MeanSquaredError:
                CheckBatchShape(outputs.Length, outputSize, nameof(outputs));
                CheckSameLength(outputs.Length, predictions.Length, nameof(predictions));
                outputs.CopyTo(predictions);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(loss), loss, $"'{loss}' is not a known loss.");
        }
    }

    /// <summary>
    /// Softmax of one vector, <c>p_i = e^(z_i - max z) / sum_j e^(z_j - max z)</c>: the max shift keeps every
    /// exponential at most 1, so large logits do not overflow.
    /// </summary>
    /// <param name="logits">The logits; not empty.</param>
    /// <param name="probabilities">Receives the probabilities; as long as <paramref name="logits"/>. May be the same memory.</param>
    public static void Softmax<T>(ReadOnlySpan<T> logits, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Softmax(logits, probabilities, SampleSize(logits, nameof(logits)));
    }

    /// <summary>Softmax of every sample of a batch, each over <paramref name="outputSize"/> values.</summary>
    /// <param name="logits">The logits, sample after sample.</param>
    /// <param name="probabilities">Receives the probabilities; as long as <paramref name="logits"/>. May be the same memory.</param>
    /// <param name="outputSize">Values per sample.</param>
    public static void Softmax<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBatchShape(logits.Length, outputSize, nameof(logits));
        CheckSameLength(logits.Length, probabilities.Length, nameof(probabilities));
        for (int start = 0; start < logits.Length; start += outputSize)
        {
            var z = logits.Slice(start, outputSize);
            var p = probabilities.Slice(start, outputSize);
            double max = SampleLoss.ShiftFor(z);
            double sum = 0;
            for (int i = 0; i < z.Length; i++)
            {
                sum += Math.Exp(double.CreateTruncating(z[i]) - max);
            }

            // Recomputing the exponentials (rather than storing them in p) keeps full double precision for float.
            for (int i = 0; i < z.Length; i++)
            {
                p[i] = T.CreateTruncating(Math.Exp(double.CreateTruncating(z[i]) - max) / sum);
            }
        }
    }

    /// <summary>The logistic sigmoid <c>1 / (1 + e^-z)</c>, evaluated without overflow for any <paramref name="z"/>.</summary>
    public static T Sigmoid<T>(T z)
        where T : unmanaged, IFloatingPointIeee754<T>
        => T.CreateTruncating(SampleLoss.Sigmoid(double.CreateTruncating(z)));

    /// <summary>Applies the logistic sigmoid to every element.</summary>
    /// <param name="values">The inputs.</param>
    /// <param name="destination">Receives the sigmoids; as long as <paramref name="values"/>. May be the same memory.</param>
    public static void Sigmoid<T>(ReadOnlySpan<T> values, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(values.Length, destination.Length, nameof(destination));
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = Sigmoid(values[i]);
        }
    }

    /// <summary>The output size of a single sample: all of it, which must not be empty.</summary>
    private static int SampleSize<T>(ReadOnlySpan<T> values, string name)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException($"'{name}' is empty; a sample has at least one output.", name);
        }

        return values.Length;
    }

    private static void CheckBatch<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int outputSize, Span<T> gradient, string outputsName = "outputs")
    {
        CheckBatchShape(outputs.Length, outputSize, outputsName);
        if (targets.Length != outputs.Length)
        {
            throw new ArgumentException($"'targets' has {targets.Length} values but '{outputsName}' has {outputs.Length}; they must have the same length.", nameof(targets));
        }

        if (!gradient.IsEmpty && gradient.Length != outputs.Length)
        {
            throw new ArgumentException($"'gradient' has {gradient.Length} values but '{outputsName}' has {outputs.Length}; pass an empty span for no gradient or one of the same length.", nameof(gradient));
        }
    }

    private static void CheckBatchShape(int length, int outputSize, string name)
    {
        if (outputSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "'outputSize' must be positive.");
        }

        if (length == 0 || length % outputSize != 0)
        {
            throw new ArgumentException($"'{name}' has {length} values, which is not a positive multiple of the {outputSize} outputs per sample.", name);
        }
    }

    private static void CheckSameLength(int sourceLength, int destinationLength, string destinationName)
    {
        if (destinationLength != sourceLength)
        {
            throw new ArgumentException($"'{destinationName}' has {destinationLength} values; it must have {sourceLength}, as many as the input.", destinationName);
        }
    }
}
