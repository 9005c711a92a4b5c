using System.Buffers;
using System.Numerics;

namespace NetGen;

/// <summary>The loss and accuracy of a network on a data set.</summary>
/// <param name="Loss">The mean per-sample loss.</param>
/// <param name="Accuracy">
/// The share of samples whose predicted class is the true class, in [0, 1]; null when the task is not
/// classification.
/// </param>
/// <param name="Count">The number of samples evaluated.</param>
public readonly record struct EvaluationResult(double Loss, double? Accuracy, int Count);

/// <summary>Measures networks on data sets.</summary>
public static class Evaluation
{
    /// <summary>The largest batch <see cref="Evaluate{T}"/> runs at once when it creates its own workspace.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>
    /// Computes the mean loss of <paramref name="network"/> on <paramref name="dataset"/> and, for classification,
    /// its accuracy. The task counts as classification when the network's loss is a cross-entropy or the data set
    /// has labels. The true class of a sample is its label, or else the class of its target vector; classes are
    /// read as in <see cref="Class{T}"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="network">The network to measure.</param>
    /// <param name="dataset">Samples with <c>InputSize</c> features and <c>OutputSize</c> targets.</param>
    /// <param name="workspace">
    /// Scratch memory from <paramref name="network"/>; the data set is processed in batches of its capacity.
    /// Null to create one for up to <see cref="DefaultBatchSize"/> samples.
    /// </param>
    public static EvaluationResult Evaluate<T>(INetwork<T> network, Dataset<T> dataset, NetworkWorkspace<T>? workspace = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(dataset);
        CheckShape(network, dataset, nameof(dataset));
        workspace ??= network.CreateWorkspace(Math.Min(dataset.Count, DefaultBatchSize));

        bool classifies = network.Description.IsClassifier || dataset.HasLabels;
        int batchCapacity = workspace.BatchCapacity;
        T[]? outputs = classifies ? ArrayPool<T>.Shared.Rent(batchCapacity * network.OutputSize) : null;
        try
        {
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < dataset.Count; start += batchCapacity)
            {
                int count = Math.Min(batchCapacity, dataset.Count - start);
                var inputs = dataset.Features(start, count);
                var targets = dataset.Targets(start, count);
                lossSum += double.CreateTruncating(network.ComputeLoss(inputs, targets, workspace));
                if (outputs is null)
                {
                    continue;
                }

                var predictions = outputs.AsSpan(0, count * network.OutputSize);
                network.Forward(inputs, predictions, workspace);
                for (int i = 0; i < count; i++)
                {
                    int predicted = Class<T>(predictions.Slice(i * network.OutputSize, network.OutputSize));
                    int actual = dataset.HasLabels ? dataset.Label(start + i) : Class<T>(targets.Slice(i * network.OutputSize, network.OutputSize));
                    if (predicted == actual)
                    {
                        correct++;
                    }
                }
            }

            return new EvaluationResult(lossSum / dataset.Count, classifies ? (double)correct / dataset.Count : null, dataset.Count);
        }
        finally
        {
            if (outputs is not null)
            {
                ArrayPool<T>.Shared.Return(outputs);
            }
        }
    }

    /// <summary>
    /// The class a prediction or target vector stands for: the index of its largest value (the first one on ties),
    /// or, for a single value, 1 when it is at least 0.5 and 0 otherwise.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">The outputs or targets of one sample; not empty.</param>
    public static int Class<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("'values' is empty; a sample has at least one output.", nameof(values));
        }

        if (values.Length == 1)
        {
            return values[0] >= T.CreateTruncating(0.5) ? 1 : 0;
        }

        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Throws unless the data set's features and targets fit the network's input and output sizes.</summary>
    internal static void CheckShape<T>(INetwork<T> network, Dataset<T> dataset, string argumentName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dataset.FeatureCount != network.InputSize || dataset.TargetCount != network.OutputSize)
        {
            throw new ArgumentException(
                $"'{argumentName}' has {dataset.FeatureCount} features and {dataset.TargetCount} targets per sample; the network takes {network.InputSize} inputs and gives {network.OutputSize} outputs.",
                argumentName);
        }

        if (dataset.Count == 0)
        {
            throw new ArgumentException($"'{argumentName}' has no samples.", argumentName);
        }
    }
}
