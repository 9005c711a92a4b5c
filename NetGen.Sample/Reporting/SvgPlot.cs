using System.Globalization;
using System.Security;
using System.Text;

namespace NetGen.Sample.Reporting;

/// <summary>A line of a chart: a name for the legend, a color and its points in data coordinates.</summary>
internal sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>Where a chart draws its legend, inside the plot area.</summary>
internal enum LegendCorner
{
    TopRight,
    BottomRight,

    /// <summary>Right of the plot area, top-aligned: for charts with many lines, which a legend inside would hide.</summary>
    OutsideRight,
}

/// <summary>
/// An axis range with "nice" ticks (steps of 1, 2 or 5 times a power of ten) that cover the data.
/// </summary>
/// <param name="Minimum">The low end of the axis, a multiple of <paramref name="Step"/> (or the data minimum for integer axes).</param>
/// <param name="Maximum">The high end of the axis.</param>
/// <param name="TickValues">The tick values, ascending, within [Minimum, Maximum].</param>
/// <param name="Decimals">Decimals that tell the ticks apart.</param>
/// <param name="Logarithmic">True when values map to positions by their logarithm (ticks at powers of ten).</param>
internal sealed record AxisScale(double Minimum, double Maximum, IReadOnlyList<double> TickValues, int Decimals, bool Logarithmic = false)
{
    /// <summary>A nice step of about <paramref name="range"/> / <paramref name="targetTicks"/>.</summary>
    public static double NiceStep(double range, int targetTicks)
    {
        double rough = range / Math.Max(1, targetTicks);
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    /// <summary>A value axis from the data's range, widened to whole steps; a flat range is widened around its value.</summary>
    public static AxisScale ForValues(double minimum, double maximum, int targetTicks = 5)
    {
        if (!double.IsFinite(minimum) || !double.IsFinite(maximum))
        {
            (minimum, maximum) = (0, 1);
        }

        if (maximum - minimum < 1e-12)
        {
            double pad = Math.Abs(minimum) > 1e-12 ? Math.Abs(minimum) * 0.1 : 1;
            (minimum, maximum) = (minimum - pad, maximum + pad);
        }

        double step = NiceStep(maximum - minimum, targetTicks);
        double low = Math.Floor((minimum / step) + 1e-9) * step;
        double high = Math.Ceiling((maximum / step) - 1e-9) * step;
        var ticks = new List<double>();
        for (int i = 0; low + (i * step) <= high + (step * 1e-9); i++)
        {
            ticks.Add(Math.Round(low + (i * step), 12));
        }

        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return new AxisScale(low, high, ticks, decimals);
    }

    /// <summary>
    /// A logarithmic axis from the power of ten at or below <paramref name="minimum"/> to the one at or above
    /// <paramref name="maximum"/>, with a tick at every power of ten (every second or more beyond 8 decades), and at
    /// 2 and 5 times them when the axis spans at most two decades. Values that are not positive give the decade above 1.
    /// </summary>
    public static AxisScale ForLogValues(double minimum, double maximum)
    {
        if (!(minimum > 0) || !double.IsFinite(minimum) || !(maximum >= minimum) || !double.IsFinite(maximum))
        {
            (minimum, maximum) = (1, 1);
        }

        int low = (int)Math.Floor(Math.Log10(minimum) + 1e-9);
        int high = (int)Math.Ceiling(Math.Log10(maximum) - 1e-9);
        int step = Math.Max(1, (int)Math.Ceiling((high - low) / 8.0));
        high = Math.Max(low + step, low + (step * (int)Math.Ceiling((double)(high - low) / step)));
        var ticks = new List<double>();
        for (int exponent = low; exponent <= high; exponent += step)
        {
            ticks.Add(Math.Pow(10, exponent));
            if (high - low <= 2 && exponent < high)
            {
                ticks.Add(2 * Math.Pow(10, exponent));
                ticks.Add(5 * Math.Pow(10, exponent));
            }
        }

        return new AxisScale(Math.Pow(10, low), Math.Pow(10, high), ticks, 0, Logarithmic: true);
    }

    /// <summary>An epoch axis from 1 to <paramref name="count"/>, ticks at 1 and at whole multiples of a nice step.</summary>
    public static AxisScale ForEpochs(int count)
    {
        if (count <= 1)
        {
            return new AxisScale(0, 2, [0, 1, 2], 0);
        }

        double step = Math.Max(1, NiceStep(count - 1, 8));
        var ticks = new List<double> { 1 };
        for (double t = step; t <= count; t += step)
        {
            if (t > 1)
            {
                ticks.Add(t);
            }
        }

        return new AxisScale(1, count, ticks, 0);
    }

    /// <summary>Formats a tick value.</summary>
    public string Format(double value)
    {
        if (!Logarithmic)
        {
            return value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        // 0.001 to 5000 as decimals, the others as 1e-5 or 2e-5.
        int exponent = (int)Math.Floor(Math.Log10(value) + 1e-9);
        double mantissa = Math.Round(value / Math.Pow(10, exponent), 3);
        return exponent is >= -3 and <= 3
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : $"{mantissa.ToString(CultureInfo.InvariantCulture)}e{exponent.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The value's position along the axis, 0 at <see cref="Minimum"/> and 1 at <see cref="Maximum"/>.</summary>
    public double Fraction(double value) => Logarithmic
        ? (Math.Log10(value) - Math.Log10(Minimum)) / (Math.Log10(Maximum) - Math.Log10(Minimum))
        : (value - Minimum) / (Maximum - Minimum);
}

/// <summary>
/// A line chart drawn as SVG elements: frame, grid, ticks and tick labels, axis titles, a title, the series as
/// polylines (with point markers when there are few points) and a legend. Coordinates are local to the chart; the
/// caller places it with a translation.
/// </summary>
internal sealed class LineChart
{
    /// <summary>Space for the tick labels and the y-axis title.</summary>
    public const double MarginLeft = 70;

    /// <summary>Space right of the plot.</summary>
    public const double MarginRight = 20;

    /// <summary>Space for the title.</summary>
    public const double MarginTop = 40;

    /// <summary>Space for the tick labels and the x-axis title.</summary>
    public const double MarginBottom = 52;

    /// <summary>Creates a chart of <paramref name="width"/> x <paramref name="height"/> pixels (margins included).</summary>
    public LineChart(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, AxisScale x, AxisScale y, double width = 470, double height = 340, LegendCorner legend = LegendCorner.TopRight)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        Series = series;
        X = x;
        Y = y;
        Width = width;
        Height = height;
        Legend = legend;
    }

    /// <summary>The chart's title.</summary>
    public string Title { get; }

    /// <summary>The x-axis title.</summary>
    public string XLabel { get; }

    /// <summary>The y-axis title.</summary>
    public string YLabel { get; }

    /// <summary>The lines.</summary>
    public IReadOnlyList<Series> Series { get; }

    /// <summary>The x axis.</summary>
    public AxisScale X { get; }

    /// <summary>The y axis.</summary>
    public AxisScale Y { get; }

    /// <summary>The chart's width in pixels.</summary>
    public double Width { get; }

    /// <summary>The chart's height in pixels.</summary>
    public double Height { get; }

    /// <summary>Where the legend goes.</summary>
    public LegendCorner Legend { get; }

    private double PlotWidth => Width - MarginLeft - RightMargin;

    /// <summary>The space right of the plot: <see cref="MarginRight"/>, or room for the legend when it is outside.</summary>
    private double RightMargin => Legend == LegendCorner.OutsideRight ? LegendWidth() + 20 : MarginRight;

    private const double LegendLineHeight = 20, LegendPadding = 8, LegendSwatch = 22;

    /// <summary>The legend box's width, sized for the longest series name.</summary>
    private double LegendWidth() => (LegendPadding * 3) + LegendSwatch + (Series.Where(s => s.Points.Count > 0).Select(s => s.Name.Length).DefaultIfEmpty(0).Max() * 7.2);

    private double PlotHeight => Height - MarginTop - MarginBottom;

    /// <summary>The chart-local x pixel of a data value.</summary>
    public double MapX(double value) => MarginLeft + (X.Fraction(value) * PlotWidth);

    /// <summary>The chart-local y pixel of a data value (up is larger values).</summary>
    public double MapY(double value) => MarginTop + ((1 - Y.Fraction(value)) * PlotHeight);

    /// <summary>The <c>points</c> attribute of a series' polyline.</summary>
    public string PolylinePoints(Series series) =>
        string.Join(" ", series.Points.Select(p => $"{Number(MapX(p.X))},{Number(MapY(p.Y))}"));

    /// <summary>Appends the chart's SVG elements, translated by (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public void Render(StringBuilder svg, double left, double top)
    {
        double plotLeft = MarginLeft, plotTop = MarginTop, plotRight = Width - RightMargin, plotBottom = Height - MarginBottom;
        svg.Append($"""<g transform="translate({Number(left)},{Number(top)})">""").Append('\n');
        svg.Append($"""  <text x="{Number((plotLeft + plotRight) / 2)}" y="24" text-anchor="middle" font-size="16" font-weight="600" fill="#111827">{Escape(Title)}</text>""").Append('\n');
        svg.Append($"""  <rect x="{Number(plotLeft)}" y="{Number(plotTop)}" width="{Number(PlotWidth)}" height="{Number(PlotHeight)}" fill="#ffffff" stroke="none"/>""").Append('\n');

        foreach (double tick in Y.TickValues)
        {
            double y = MapY(tick);
            svg.Append($"""  <line class="grid" x1="{Number(plotLeft)}" y1="{Number(y)}" x2="{Number(plotRight)}" y2="{Number(y)}" stroke="#e5e7eb" stroke-width="1"/>""").Append('\n');
            svg.Append($"""  <line x1="{Number(plotLeft - 5)}" y1="{Number(y)}" x2="{Number(plotLeft)}" y2="{Number(y)}" stroke="#374151" stroke-width="1"/>""").Append('\n');
            svg.Append($"""  <text class="tick" x="{Number(plotLeft - 8)}" y="{Number(y + 4)}" text-anchor="end" font-size="12" fill="#374151">{Y.Format(tick)}</text>""").Append('\n');
        }

        foreach (double tick in X.TickValues)
        {
            double x = MapX(tick);
            svg.Append($"""  <line class="grid" x1="{Number(x)}" y1="{Number(plotTop)}" x2="{Number(x)}" y2="{Number(plotBottom)}" stroke="#f3f4f6" stroke-width="1"/>""").Append('\n');
            svg.Append($"""  <line x1="{Number(x)}" y1="{Number(plotBottom)}" x2="{Number(x)}" y2="{Number(plotBottom + 5)}" stroke="#374151" stroke-width="1"/>""").Append('\n');
            svg.Append($"""  <text class="tick" x="{Number(x)}" y="{Number(plotBottom + 19)}" text-anchor="middle" font-size="12" fill="#374151">{X.Format(tick)}</text>""").Append('\n');
        }

        svg.Append($"""  <rect x="{Number(plotLeft)}" y="{Number(plotTop)}" width="{Number(PlotWidth)}" height="{Number(PlotHeight)}" fill="none" stroke="#374151" stroke-width="1"/>""").Append('\n');
        svg.Append($"""  <text class="axis-label" x="{Number((plotLeft + plotRight) / 2)}" y="{Number(Height - 12)}" text-anchor="middle" font-size="13" fill="#111827">{Escape(XLabel)}</text>""").Append('\n');
        double yMiddle = (plotTop + plotBottom) / 2;
        svg.Append($"""  <text class="axis-label" x="18" y="{Number(yMiddle)}" text-anchor="middle" font-size="13" fill="#111827" transform="rotate(-90 18 {Number(yMiddle)})">{Escape(YLabel)}</text>""").Append('\n');

        bool markers = Series.All(s => s.Points.Count <= 40);
        foreach (var series in Series.Where(s => s.Points.Count > 0))
        {
            string dash = series.Dashed ? """ stroke-dasharray="6 4" """ : " ";
            svg.Append($"""  <polyline class="series" data-series="{Escape(series.Name)}" fill="none" stroke="{series.Color}" stroke-width="2.2"{dash}stroke-linejoin="round" stroke-linecap="round" points="{PolylinePoints(series)}"/>""").Append('\n');
            if (markers)
            {
                foreach (var (px, py) in series.Points)
                {
                    svg.Append($"""  <circle cx="{Number(MapX(px))}" cy="{Number(MapY(py))}" r="2.8" fill="{series.Color}"/>""").Append('\n');
                }
            }
        }

        RenderLegend(svg, plotRight, plotTop, plotBottom);
        svg.Append("</g>\n");
    }

    private void RenderLegend(StringBuilder svg, double plotRight, double plotTop, double plotBottom)
    {
        var named = Series.Where(s => s.Points.Count > 0).ToList();
        if (named.Count == 0)
        {
            return;
        }

        const double lineHeight = LegendLineHeight, padding = LegendPadding, swatch = LegendSwatch;
        double boxWidth = LegendWidth();
        double boxHeight = (padding * 2) + (named.Count * lineHeight) - 4;
        double boxLeft = Legend == LegendCorner.OutsideRight ? plotRight + 10 : plotRight - boxWidth - 10;
        double boxTop = Legend == LegendCorner.BottomRight ? plotBottom - boxHeight - 10 : Legend == LegendCorner.TopRight ? plotTop + 10 : plotTop;
        svg.Append($"""  <g class="legend"><rect x="{Number(boxLeft)}" y="{Number(boxTop)}" width="{Number(boxWidth)}" height="{Number(boxHeight)}" rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#d1d5db"/>""").Append('\n');
        for (int i = 0; i < named.Count; i++)
        {
            var series = named[i];
            double y = boxTop + padding + 8 + (i * lineHeight);
            string dash = series.Dashed ? """ stroke-dasharray="6 4" """ : " ";
            svg.Append($"""    <line x1="{Number(boxLeft + padding)}" y1="{Number(y)}" x2="{Number(boxLeft + padding + swatch)}" y2="{Number(y)}" stroke="{series.Color}" stroke-width="2.5"{dash}/>""").Append('\n');
            svg.Append($"""    <text x="{Number(boxLeft + (padding * 2) + swatch)}" y="{Number(y + 4)}" font-size="12" fill="#111827">{Escape(series.Name)}</text>""").Append('\n');
        }

        svg.Append("  </g>\n");
    }

    /// <summary>A coordinate with at most one decimal, in the invariant culture.</summary>
    public static string Number(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Escapes text for XML.</summary>
    public static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}

/// <summary>The training curves of a run: loss and accuracy per epoch, side by side, as one self-contained SVG.</summary>
internal static class TrainingPlot
{
    /// <summary>The color of the training curves.</summary>
    public const string TrainingColor = "#2563eb";

    /// <summary>The color of the held-out curves.</summary>
    public const string TestColor = "#ea580c";

    /// <summary>The loss chart (left).</summary>
    public static LineChart LossChart(IReadOnlyList<EpochRow> epochs, string heldOutName = "test")
    {
        var series = new List<Series>
        {
            new("training loss", TrainingColor, epochs.Select(e => ((double)e.Epoch, e.TrainingLoss)).ToList()),
            new($"{heldOutName} loss", TestColor, epochs.Where(e => e.TestLoss is not null).Select(e => ((double)e.Epoch, e.TestLoss!.Value)).ToList(), Dashed: true),
        };
        return Chart("Loss per epoch", "cross-entropy loss", series, epochs.Count, LegendCorner.TopRight);
    }

    /// <summary>The accuracy chart (right).</summary>
    public static LineChart AccuracyChart(IReadOnlyList<EpochRow> epochs, string heldOutName = "test")
    {
        var series = new List<Series>
        {
            new("training accuracy", TrainingColor, epochs.Where(e => e.TrainingAccuracy is not null).Select(e => ((double)e.Epoch, e.TrainingAccuracy!.Value)).ToList()),
            new($"{heldOutName} accuracy", TestColor, epochs.Where(e => e.TestAccuracy is not null).Select(e => ((double)e.Epoch, e.TestAccuracy!.Value)).ToList(), Dashed: true),
        };
        return Chart("Accuracy per epoch", "accuracy", series, epochs.Count, LegendCorner.BottomRight);
    }

    /// <summary>
    /// The whole SVG document: a title and the two charts; when the epochs carry per-layer norms, a second row with
    /// the gradient norm of every layer (log scale) and the weight norms.
    /// </summary>
    public static string Svg(IReadOnlyList<EpochRow> epochs, string title, string heldOutName = "test")
    {
        var loss = LossChart(epochs, heldOutName);
        var accuracy = AccuracyChart(epochs, heldOutName);
        var norms = epochs.Where(e => e.LayerNorms.Count > 0).Select(e => (e.Epoch, e.LayerNorms)).ToList();
        var gradients = norms.Count == 0 ? null : NormPlot.GradientChart(norms, "Gradient norm per layer", epochs.Count);
        var weights = norms.Count == 0 ? null : NormPlot.WeightChart(norms, "Weight norm per layer", epochs.Count);
        double width = loss.Width + accuracy.Width + 20, height = loss.Height + 36 + (gradients?.Height ?? 0);
        var svg = new StringBuilder();
        svg.Append($"""<svg xmlns="http://www.w3.org/2000/svg" width="{LineChart.Number(width)}" height="{LineChart.Number(height)}" viewBox="0 0 {LineChart.Number(width)} {LineChart.Number(height)}" font-family="Segoe UI, Helvetica, Arial, sans-serif">""").Append('\n');
        svg.Append($"""<title>{LineChart.Escape(title)}</title>""").Append('\n');
        svg.Append($"""<rect width="{LineChart.Number(width)}" height="{LineChart.Number(height)}" fill="#f9fafb"/>""").Append('\n');
        svg.Append($"""<text x="{LineChart.Number(width / 2)}" y="24" text-anchor="middle" font-size="17" font-weight="700" fill="#111827">{LineChart.Escape(title)}</text>""").Append('\n');
        loss.Render(svg, 10, 32);
        accuracy.Render(svg, 10 + loss.Width, 32);
        gradients?.Render(svg, 10, 32 + loss.Height);
        weights?.Render(svg, 10 + loss.Width, 32 + loss.Height);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static LineChart Chart(string title, string yLabel, List<Series> series, int epochCount, LegendCorner legend)
    {
        var values = series.SelectMany(s => s.Points).Select(p => p.Y).ToList();
        var y = values.Count == 0 ? AxisScale.ForValues(0, 1) : AxisScale.ForValues(values.Min(), values.Max());
        return new LineChart(title, "epoch", yLabel, series, AxisScale.ForEpochs(epochCount), y, legend: legend);
    }
}
