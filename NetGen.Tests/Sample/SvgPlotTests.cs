using System.Globalization;
using System.Xml.Linq;
using NetGen.Sample.Reporting;

namespace NetGen.Tests.Sample;

public class SvgPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static List<EpochRow> History() =>
    [
        new(1, 0.9, 0.70, 1.0, 0.65, 0.001, 1.5, 40_000),
        new(2, 0.6, 0.80, 0.7, 0.78, 0.0009, 1.4, 41_000),
        new(3, 0.4, 0.86, 0.5, 0.84, 0.0005, 1.4, 42_000),
        new(4, 0.3, 0.90, 0.45, 0.86, 0.0001, 1.4, 42_000),
    ];

    [Fact]
    public void The_plot_is_valid_svg_with_two_charts_and_four_lines()
    {
        var document = XDocument.Parse(TrainingPlot.Svg(History(), "Test & <run>"));

        Assert.Equal(Svg + "svg", document.Root!.Name);
        Assert.Equal("Test & <run>", document.Root.Element(Svg + "title")!.Value);
        var lines = document.Descendants(Svg + "polyline").ToList();
        Assert.Equal(
            ["training loss", "test loss", "training accuracy", "test accuracy"],
            lines.Select(l => l.Attribute("data-series")!.Value));
        Assert.All(lines, l => Assert.Equal(4, l.Attribute("points")!.Value.Split(' ').Length));
    }

    [Fact]
    public void Polyline_points_are_the_epochs_mapped_through_the_axes()
    {
        var history = History();
        var chart = TrainingPlot.LossChart(history);
        var document = XDocument.Parse(TrainingPlot.Svg(history, "run"));
        string points = document.Descendants(Svg + "polyline").First(l => l.Attribute("data-series")!.Value == "training loss").Attribute("points")!.Value;

        var parsed = points.Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        for (int i = 0; i < history.Count; i++)
        {
            Assert.Equal(chart.MapX(history[i].Epoch), parsed[i][0], 1);
            Assert.Equal(chart.MapY(history[i].TrainingLoss), parsed[i][1], 1);
        }

        // Epoch 1 at the left edge of the plot, the last epoch at the right; larger losses higher up (smaller y).
        Assert.Equal(LineChart.MarginLeft, parsed[0][0], 1);
        Assert.Equal(chart.Width - LineChart.MarginRight, parsed[^1][0], 1);
        Assert.True(parsed.Zip(parsed.Skip(1)).All(pair => pair.First[1] < pair.Second[1]));

        // The loss axis covers 0.3 to 1.0 with nice ticks.
        Assert.Equal(0.2, chart.Y.Minimum, 9);
        Assert.Equal(1.0, chart.Y.Maximum, 9);
        Assert.Equal("1.0", chart.Y.Format(1.0));
    }

    [Fact]
    public void Axes_have_titles_and_tick_labels()
    {
        var document = XDocument.Parse(TrainingPlot.Svg(History(), "run"));
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();

        Assert.Contains("Loss per epoch", texts);
        Assert.Contains("Accuracy per epoch", texts);
        Assert.Equal(2, texts.Count(t => t == "epoch"));
        Assert.Contains("cross-entropy loss", texts);
        Assert.Contains("accuracy", texts);
        var ticks = document.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == "tick").Select(t => t.Value).ToList();
        Assert.Contains("1", ticks);
        Assert.Contains("4", ticks);
        Assert.Contains("0.2", ticks);
        Assert.Contains("0.90", ticks);
        Assert.Contains("test accuracy", texts);
    }

    [Theory]
    [InlineData(0.31, 0.97, 0.2, 1.0)]
    [InlineData(0.8512, 0.8934, 0.85, 0.9)]
    [InlineData(2.0, 2.0, 1.8, 2.2)]
    public void Value_axes_round_outwards_to_nice_steps(double min, double max, double low, double high)
    {
        var axis = AxisScale.ForValues(min, max);
        Assert.Equal(low, axis.Minimum, 9);
        Assert.Equal(high, axis.Maximum, 9);
        Assert.InRange(axis.TickValues.Count, 3, 12);
        Assert.Equal(axis.Minimum, axis.TickValues[0], 9);
        Assert.Equal(axis.Maximum, axis.TickValues[^1], 9);
    }

    [Fact]
    public void A_single_epoch_still_gives_a_valid_plot()
    {
        var document = XDocument.Parse(TrainingPlot.Svg([new EpochRow(1, 0.5, 0.8, 0.6, 0.75, 0.01, 1, 1000)], "one"));
        Assert.All(document.Descendants(Svg + "polyline"), l => Assert.DoesNotContain("NaN", l.Attribute("points")!.Value));
    }
}
