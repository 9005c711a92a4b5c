using System.Text;

namespace NetGen.Sample.Reporting;

/// <summary>
/// The reports as plain text, for output that is not a terminal (pipes, files, CI logs): no colors, no cursor
/// movement, nothing but printable characters and newlines.
/// </summary>
internal static class PlainReport
{
    /// <summary>One line per epoch, e.g. <c>epoch  3/20  loss 0.3412  train acc 0.8790  val loss 0.3650  val acc 0.8712  lr 0.00095  41,000 samples/s  1.6 s</c>.</summary>
    public static string EpochLine(EpochRow row, int epochCount)
    {
        int width = epochCount.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var text = new StringBuilder();
        text.Append($"epoch {row.Epoch.ToString().PadLeft(width)}/{epochCount}  loss {row.TrainingLoss:F4}");
        if (row.TrainingAccuracy is { } trainingAccuracy)
        {
            text.Append($"  train acc {trainingAccuracy:F4}");
        }

        if (row.TestLoss is { } testLoss)
        {
            text.Append($"  val loss {testLoss:F4}");
        }

        if (row.TestAccuracy is { } testAccuracy)
        {
            text.Append($"  val acc {testAccuracy:F4}");
        }

        text.Append($"  lr {row.LearningRate:G3}  {row.SamplesPerSecond:N0} samples/s  {row.Seconds:F2} s");
        return text.ToString();
    }

    /// <summary>The summary table: keys left-aligned in one column, values in the next.</summary>
    public static string Summary(IReadOnlyList<(string Key, string Value)> rows)
    {
        int width = rows.Count == 0 ? 0 : rows.Max(r => r.Key.Length);
        var text = new StringBuilder();
        foreach (var (key, value) in rows)
        {
            text.Append("  ").Append(key.PadRight(width)).Append("  ").Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The confusion matrix as a text table: one row per actual class (with its name and recall), one column per
    /// predicted class (by label).
    /// </summary>
    public static string Confusion(ConfusionMatrix matrix, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int nameWidth = Math.Max("actual \\ predicted".Length, Enumerable.Range(0, matrix.ClassCount).Max(c => ConfusionMatrix.RowLabel(c, classNames).Length));
        int cellWidth = Math.Max(4, matrix.Total.ToString().Length + 1);
        var text = new StringBuilder();
        text.Append("  ").Append("actual \\ predicted".PadRight(nameWidth));
        for (int p = 0; p < matrix.ClassCount; p++)
        {
            text.Append(p.ToString().PadLeft(cellWidth));
        }

        text.Append("  recall\n");
        for (int a = 0; a < matrix.ClassCount; a++)
        {
            text.Append("  ").Append(ConfusionMatrix.RowLabel(a, classNames).PadRight(nameWidth));
            for (int p = 0; p < matrix.ClassCount; p++)
            {
                text.Append(matrix[a, p].ToString().PadLeft(cellWidth));
            }

            text.Append(matrix.Recall(a) is { } recall ? $"  {recall:F3}" : "  -").Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The whole end-of-run report: summary, confusion matrix, written files.</summary>
    public static string Final(RunSummary summary, IEnumerable<string> files)
    {
        var text = new StringBuilder();
        text.Append("summary\n").Append(Summary(summary.Rows()));
        text.Append("\nconfusion matrix (test set)\n").Append(Confusion(summary.Confusion, summary.ClassNames));
        text.Append("\nwritten\n");
        foreach (var file in files)
        {
            text.Append("  ").Append(file).Append('\n');
        }

        return text.ToString();
    }
}
