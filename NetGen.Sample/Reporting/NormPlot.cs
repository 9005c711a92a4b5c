using System.Globalization;
using System.Text;

namespace NetGen.Sample.Reporting;

/// <summary>One weight layer's norms after an epoch, as the reports show them.</summary>
/// <param name="Name">The weight tensor, e.g. <c>W1</c>.</param>
/// <param name="GradientNorm">The L2 norm of the layer's weight gradient, averaged over the epoch's batches.</param>
/// <param name="WeightNorm">The L2 norm of the layer's weights after the epoch.</param>
internal sealed record LayerNormRow(string Name, double GradientNorm, double WeightNorm)
{
    /// <summary>The rows of an epoch report, first layer first.</summary>
    public static IReadOnlyList<LayerNormRow> From(EpochReport report) =>
        [.. report.LayerGradientNorms.Select(n => new LayerNormRow(n.Name, n.GradientNorm, n.WeightNorm))];
}

/// <summary>
/// Charts of the per-layer norms over the epochs: the gradient norms on a logarithmic axis (where vanishing
/// gradients show as lines decades apart) and the weight norms on a linear one.
/// </summary>
internal static class NormPlot
{
    /// <summary>Colors of the layers, first layer first: from light to dark, so depth reads as shade.</summary>
    private static readonly string[] Palette = ["#93c5fd", "#60a5fa", "#3b82f6", "#2563eb", "#1d4ed8", "#1e40af", "#1e3a8a", "#172554"];

    /// <summary>The color of layer <paramref name="index"/> of <paramref name="count"/>, spread over the palette.</summary>
    public static string LayerColor(int index, int count) =>
        count <= 1 ? Palette[^3] : Palette[(int)Math.Round((double)index * (Palette.Length - 1) / (count - 1))];

    /// <summary>One series per layer: (epoch, value) for every epoch that measured it; values that are not positive are left out of log charts.</summary>
    public static List<Series> LayerSeries(IReadOnlyList<(int Epoch, IReadOnlyList<LayerNormRow> Norms)> epochs, Func<LayerNormRow, double> value, bool positiveOnly)
    {
        var names = epochs.SelectMany(e => e.Norms.Select(n => n.Name)).Distinct().ToList();
        var series = new List<Series>();
        for (int layer = 0; layer < names.Count; layer++)
        {
            string name = names[layer];
            var points = epochs
                .SelectMany(e => e.Norms.Where(n => n.Name == name).Select(n => ((double)e.Epoch, value(n))))
                .Where(p => double.IsFinite(p.Item2) && (!positiveOnly || p.Item2 > 0))
                .ToList();
            series.Add(new Series(name, LayerColor(layer, names.Count), points));
        }

        return series;
    }

    /// <summary>The gradient norms per layer on a logarithmic axis.</summary>
    /// <param name="epochs">Each epoch's norms.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="epochCount">The epoch axis' length.</param>
    /// <param name="range">The axis' value range, to share one axis between charts; null for this chart's data.</param>
    public static LineChart GradientChart(IReadOnlyList<(int Epoch, IReadOnlyList<LayerNormRow> Norms)> epochs, string title, int epochCount, (double Minimum, double Maximum)? range = null)
    {
        var series = LayerSeries(epochs, n => n.GradientNorm, positiveOnly: true);
        var (minimum, maximum) = range ?? Range(series);
        return new LineChart(title, "epoch", "mean gradient norm (log scale)", series, AxisScale.ForEpochs(epochCount), AxisScale.ForLogValues(minimum, maximum), width: 470, legend: LegendCorner.OutsideRight);
    }

    /// <summary>The weight norms per layer on a linear axis.</summary>
    public static LineChart WeightChart(IReadOnlyList<(int Epoch, IReadOnlyList<LayerNormRow> Norms)> epochs, string title, int epochCount)
    {
        var series = LayerSeries(epochs, n => n.WeightNorm, positiveOnly: false);
        var (minimum, maximum) = Range(series);
        return new LineChart(title, "epoch", "weight norm", series, AxisScale.ForEpochs(epochCount), AxisScale.ForValues(Math.Min(0, minimum), maximum), width: 470, legend: LegendCorner.OutsideRight);
    }

    /// <summary>The smallest and largest value of the series' points; (1, 1) without points.</summary>
    public static (double Minimum, double Maximum) Range(IEnumerable<Series> series)
    {
        var values = series.SelectMany(s => s.Points).Select(p => p.Y).ToList();
        return values.Count == 0 ? (1, 1) : (values.Min(), values.Max());
    }
}
