using System.Globalization;
using System.Xml.Linq;
using NetGen.Sample;
using NetGen.Sample.Cli;
using NetGen.Sample.Reporting;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Sample;

/// <summary>The per-layer norms in the sample's report, and the vanishing-gradients figure.</summary>
public class NormPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static List<EpochRow> History() =>
    [
        new(1, 0.9, 0.70, 1.0, 0.65, 0.001, 1.5, 40_000) { LayerNorms = [new("W1", 0.002, 3.0), new("W2", 0.5, 2.0)] },
        new(2, 0.6, 0.80, 0.7, 0.78, 0.001, 1.4, 41_000) { LayerNorms = [new("W1", 0.001, 3.5), new("W2", 0.25, 2.5)] },
        new(3, 0.4, 0.86, 0.5, 0.84, 0.001, 1.4, 42_000) { LayerNorms = [new("W1", 0.0004, 4.0), new("W2", 0.125, 2.75)] },
    ];

    [Theory]
    [InlineData(0.0004, 0.5, 1e-4, 1.0, new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1.0 })]
    [InlineData(0.12, 0.75, 0.1, 1.0, new[] { 0.1, 0.2, 0.5, 1.0 })]
    [InlineData(3.0, 3.0, 1.0, 10.0, new[] { 1.0, 2.0, 5.0, 10.0 })]
    [InlineData(2e-12, 5.0, 1e-12, 100.0, new[] { 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1.0, 100.0 })]
    public void Log_axes_cover_the_data_with_powers_of_ten(double minimum, double maximum, double low, double high, double[] ticks)
    {
        var axis = AxisScale.ForLogValues(minimum, maximum);
        Assert.True(axis.Logarithmic);
        Assert.Equal(low, axis.Minimum, 12);
        Assert.Equal(high, axis.Maximum, 12);
        Assert.Equal(ticks.Length, axis.TickValues.Count);
        Assert.All(ticks.Zip(axis.TickValues), pair => Assert.Equal(pair.First, pair.Second, pair.First * 1e-12));
    }

    [Fact]
    public void Log_ticks_read_as_decimals_or_powers_of_ten_and_map_by_their_logarithm()
    {
        var axis = AxisScale.ForLogValues(1e-6, 1);
        Assert.Equal(["1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1"], axis.TickValues.Select(axis.Format));
        Assert.Equal("2e-5", axis.Format(2e-5));
        Assert.Equal("5000", axis.Format(5000));

        // 1e-3 is half way up an axis from 1e-6 to 1; 1e-5 one sixth.
        Assert.Equal(0.5, axis.Fraction(1e-3), 12);
        Assert.Equal(1.0 / 6, axis.Fraction(1e-5), 12);
        var chart = new LineChart("t", "x", "y", [], AxisScale.ForEpochs(3), axis);
        Assert.Equal(LineChart.MarginTop + ((chart.Height - LineChart.MarginTop - LineChart.MarginBottom) / 2), chart.MapY(1e-3), 9);
    }

    [Fact]
    public void The_report_plot_adds_the_gradient_norms_on_a_log_axis_and_the_weight_norms_of_every_layer()
    {
        var history = History();
        var document = XDocument.Parse(TrainingPlot.Svg(history, "run", heldOutName: "validation"));
        var lines = document.Descendants(Svg + "polyline").Select(l => l.Attribute("data-series")!.Value).ToList();
        Assert.Equal(["training loss", "validation loss", "training accuracy", "validation accuracy", "W1", "W2", "W1", "W2"], lines);
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Gradient norm per layer", texts);
        Assert.Contains("Weight norm per layer", texts);
        Assert.Contains("mean gradient norm (log scale)", texts);

        // The gradient chart's W1 line (chart-local coordinates): epoch 2's norm 0.001 sits a quarter of the way up
        // an axis from 1e-4 to 1.
        var norms = history.Select(e => (e.Epoch, e.LayerNorms)).ToList();
        var chart = NormPlot.GradientChart(norms, "g", 3);
        Assert.Equal(1e-4, chart.Y.Minimum, 12);
        Assert.Equal(1.0, chart.Y.Maximum, 12);
        var w1 = document.Descendants(Svg + "polyline").Where(l => l.Attribute("data-series")!.Value == "W1").First().Attribute("points")!.Value
            .Split(' ').Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        double plotHeight = chart.Height - LineChart.MarginTop - LineChart.MarginBottom;
        Assert.Equal(LineChart.MarginTop + (plotHeight * 3 / 4), w1[1], 1);
    }

    [Fact]
    public void A_plot_without_norms_keeps_its_two_charts()
    {
        var document = XDocument.Parse(TrainingPlot.Svg([new EpochRow(1, 0.5, 0.8, 0.6, 0.75, 0.01, 1, 1000)], "one"));
        Assert.Equal(4, document.Descendants(Svg + "polyline").Count());
        Assert.Equal("376", document.Root!.Attribute("height")!.Value);
    }

    [Fact]
    public void The_history_csv_has_a_gradient_and_a_weight_norm_column_per_layer()
    {
        string folder = Path.Combine(Path.GetTempPath(), "netgen-norms-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var summary = PlainReportTests.Summary() with { Epochs = History() };
            var files = ClassifierRun.WriteOutputs("digits", new DigitsNet(seed: 1), summary, folder);
            var lines = File.ReadAllLines(files.Single(f => f.EndsWith(".csv", StringComparison.Ordinal)));
            Assert.Equal("epoch,training_loss,training_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,samples_per_second,gradient_norm_W1,weight_norm_W1,gradient_norm_W2,weight_norm_W2", lines[0]);
            Assert.Equal("3,0.4,0.86,0.5,0.84,0.001,1.400,42000,0.0004,4,0.125,2.75", lines[3]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_deep_sigmoid_network_gets_gradients_decades_smaller_in_its_first_layer_and_the_ReLU_one_does_not()
    {
        var (trainingSet, _, _) = SampleData.LoadDigits();
        var (train, validation) = trainingSet.Split(0.1, seed: 42, stratify: true);
        var settings = new TrainSettings(2, 32, 1, "sgd", 0.1, 42, "unused");
        var sigmoid = VanishingGradientsRun.Train("sigmoid", new DeepSigmoidNet(42), settings, train, validation);
        var relu = VanishingGradientsRun.Train("ReLU", new DeepReLUNet(42), settings, train, validation);

        Assert.Equal(["W1", "W2", "W3", "W4", "W5", "W6", "W7"], sigmoid.NormsOf(1).Select(n => n.Name));
        Assert.Equal(2, relu.Epochs.Count);

        // Each sigmoid layer passes down at most a quarter of the gradient: W1's is more than 1,000 times below W7's,
        // and every layer's below the next. ReLU's layers stay within a factor of 10 of each other.
        var s = sigmoid.NormsOf(1);
        Assert.True(s[0].GradientNorm * 1000 < s[^1].GradientNorm, $"{s[0].GradientNorm} vs {s[^1].GradientNorm}");
        Assert.All(s.Zip(s.Skip(1)), pair => Assert.True(pair.First.GradientNorm < pair.Second.GradientNorm));
        var r = relu.NormsOf(1);
        Assert.InRange(r.Max(n => n.GradientNorm) / r.Min(n => n.GradientNorm), 1, 10);

        // One figure: both gradient charts on the same log axis, seven lines each, and the two accuracy curves.
        var document = XDocument.Parse(VanishingGradientsRun.Figure(sigmoid, relu, "title", "subtitle"));
        var series = document.Descendants(Svg + "polyline").Select(l => l.Attribute("data-series")!.Value).ToList();
        Assert.Equal([.. s.Select(n => n.Name), .. r.Select(n => n.Name), "sigmoid", "ReLU"], series);
        var tickSets = document.Descendants(Svg + "g").Where(g => g.Attribute("transform") is not null)
            .Select(g => string.Join(" ", g.Elements(Svg + "text").Where(t => t.Attribute("class")?.Value == "tick").Select(t => t.Value))).ToList();
        Assert.Equal(3, tickSets.Count);
        Assert.Equal(tickSets[0], tickSets[1]);
        Assert.Contains("1e-4", tickSets[0]);
    }

    [Fact]
    public void The_vanishing_command_takes_the_training_options_and_checks_them()
    {
        TrainSettings? received = null;
        var cli = new SampleCommandLine(vanishingGradients: settings => { received = settings; return 0; });
        Assert.Equal(0, cli.Invoke(["vanishing", "--epochs", "5", "--optimizer", "adam"]));
        Assert.Equal(new TrainSettings(5, 32, 1, "adam", 0.001, 42, "netgen-output"), received);
        Assert.Equal(new TrainSettings(30, 32, 1, "sgd", 0.1, 42, "netgen-output"), cli.Vanishing.Bind(cli.Root.Parse("vanishing")));
        Assert.Equal(["--epochs must be positive, not 0."], cli.Root.Parse("vanishing --epochs 0").Errors.Select(e => e.Message));
        Assert.Equal("64-32x6-10", VanishingGradientsRun.Shape(DeepReLUNet.NetworkDescription));
    }
}
