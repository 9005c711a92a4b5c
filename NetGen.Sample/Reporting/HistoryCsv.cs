using System.Globalization;
using System.Text;

namespace NetGen.Sample.Reporting;

/// <summary>
/// The per-epoch rows as CSV: written beside every run (<c>&lt;name&gt;-history.csv</c>) and with a checkpoint, from
/// which a resumed run reads back the epochs it did not train itself. Numbers are written to round-trip.
/// </summary>
internal static class HistoryCsv
{
    private const string Header = "epoch,training_loss,training_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,samples_per_second";

    /// <summary>The rows as CSV, with a gradient and a weight norm column per layer (<c>gradient_norm_W1</c>, <c>weight_norm_W1</c>, ...).</summary>
    public static string Write(IReadOnlyList<EpochRow> rows)
    {
        var layers = rows.FirstOrDefault(e => e.LayerNorms.Count > 0)?.LayerNorms.Select(n => n.Name).ToList() ?? [];
        var csv = new StringBuilder(Header);
        foreach (string layer in layers)
        {
            csv.Append(CultureInfo.InvariantCulture, $",gradient_norm_{layer},weight_norm_{layer}");
        }

        csv.Append('\n');
        foreach (var e in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{e.TrainingLoss:R},{e.TrainingAccuracy:R},{e.TestLoss:R},{e.TestAccuracy:R},{e.LearningRate:R},{e.Seconds:F3},{e.SamplesPerSecond:F0}");
            for (int i = 0; i < layers.Count; i++)
            {
                if (i < e.LayerNorms.Count)
                {
                    csv.Append(CultureInfo.InvariantCulture, $",{e.LayerNorms[i].GradientNorm:R},{e.LayerNorms[i].WeightNorm:R}");
                }
                else
                {
                    csv.Append(",,");
                }
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; <paramref name="source"/> and <paramref name="firstLine"/> name the place in errors.</summary>
    /// <exception cref="InvalidDataException">A line is not such a row; the message names the file and the line.</exception>
    public static List<EpochRow> Read(IReadOnlyList<string> lines, string source, int firstLine = 1)
    {
        if (lines.Count == 0 || !lines[0].StartsWith(Header, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}, line {firstLine}: expected the header '{Header}...'.");
        }

        var layers = lines[0].Split(',').Skip(8).Where((_, i) => i % 2 == 0).Select(c => c["gradient_norm_".Length..]).ToList();
        var rows = new List<EpochRow>();
        for (int l = 1; l < lines.Count; l++)
        {
            if (lines[l].Length == 0)
            {
                continue;
            }

            var cells = lines[l].Split(',');
            if (cells.Length != 8 + (2 * layers.Count))
            {
                throw new InvalidDataException($"{source}, line {firstLine + l}: {cells.Length} values where the header has {8 + (2 * layers.Count)}.");
            }

            try
            {
                var norms = new List<LayerNormRow>();
                for (int i = 0; i < layers.Count && cells[8 + (2 * i)].Length > 0; i++)
                {
                    norms.Add(new LayerNormRow(layers[i], Number(cells[8 + (2 * i)]), Number(cells[9 + (2 * i)])));
                }

                rows.Add(new EpochRow(int.Parse(cells[0], CultureInfo.InvariantCulture), Number(cells[1]), Optional(cells[2]), Optional(cells[3]), Optional(cells[4]),
                    Number(cells[5]), Number(cells[6]), Number(cells[7]))
                {
                    LayerNorms = norms,
                });
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"{source}, line {firstLine + l}: '{lines[l]}' has a value that is not a number.");
            }
        }

        return rows;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? Optional(string text) => text.Length == 0 ? null : Number(text);
}
