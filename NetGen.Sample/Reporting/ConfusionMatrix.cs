namespace NetGen.Sample.Reporting;

/// <summary>
/// Counts of (actual class, predicted class) pairs: row <c>a</c>, column <c>p</c> is the number of samples of class
/// <c>a</c> the network classified as <c>p</c>, so the diagonal holds the correct answers.
/// </summary>
internal sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Creates an empty matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ClassCount = classCount;
        _counts = new int[classCount, classCount];
    }

    /// <summary>The number of classes (rows and columns).</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; private set; }

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>The number of correctly classified samples (the diagonal).</summary>
    public int Correct => Enumerable.Range(0, ClassCount).Sum(c => _counts[c, c]);

    /// <summary>The fraction of samples classified correctly; 0 for an empty matrix.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actual);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actual, ClassCount);
        ArgumentOutOfRangeException.ThrowIfNegative(predicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, ClassCount);
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>The samples of class <paramref name="actual"/> (a row sum).</summary>
    public int ActualCount(int actual) => Enumerable.Range(0, ClassCount).Sum(p => _counts[actual, p]);

    /// <summary>The samples predicted as <paramref name="predicted"/> (a column sum).</summary>
    public int PredictedCount(int predicted) => Enumerable.Range(0, ClassCount).Sum(a => _counts[a, predicted]);

    /// <summary>Of the samples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>; null when there are none.</summary>
    public double? Recall(int c) => ActualCount(c) is var n && n == 0 ? null : (double)_counts[c, c] / n;

    /// <summary>Of the samples predicted as <paramref name="c"/>, the fraction that are of class <paramref name="c"/>; null when there are none.</summary>
    public double? Precision(int c) => PredictedCount(c) is var n && n == 0 ? null : (double)_counts[c, c] / n;

    /// <summary>The label of a class's row: its index and name (<c>6 Shirt</c>), or only the index when the name is the index.</summary>
    public static string RowLabel(int c, IReadOnlyList<string> names)
    {
        string index = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return c >= names.Count || names[c] == index ? index : $"{index} {names[c]}";
    }

    /// <summary>Builds a matrix from (actual, predicted) pairs.</summary>
    public static ConfusionMatrix FromPredictions(int classCount, IEnumerable<(int Actual, int Predicted)> pairs)
    {
        var matrix = new ConfusionMatrix(classCount);
        foreach (var (actual, predicted) in pairs)
        {
            matrix.Add(actual, predicted);
        }

        return matrix;
    }

    /// <summary>Classifies every sample of a labelled data set with <paramref name="network"/> and counts the results.</summary>
    public static ConfusionMatrix Compute(INetwork<float> network, Dataset<float> data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        int classCount = Math.Max(2, network.OutputSize);
        var matrix = new ConfusionMatrix(classCount);
        const int batch = 256;
        var workspace = network.CreateWorkspace(batch);
        var outputs = new float[batch * network.OutputSize];
        for (int start = 0; start < data.Count; start += batch)
        {
            int count = Math.Min(batch, data.Count - start);
            var predictions = outputs.AsSpan(0, count * network.OutputSize);
            network.Forward(data.Features(start, count), predictions, workspace);
            for (int i = 0; i < count; i++)
            {
                int predicted = Evaluation.Class<float>(predictions.Slice(i * network.OutputSize, network.OutputSize));
                int actual = data.HasLabels ? data.Label(start + i) : Evaluation.Class<float>(data.Targets(start + i));
                matrix.Add(actual, predicted);
            }
        }

        return matrix;
    }
}
