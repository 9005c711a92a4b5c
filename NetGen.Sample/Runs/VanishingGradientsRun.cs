using System.Globalization;
using System.Net;
using System.Text;
using NetGen.Sample.Reporting;

namespace NetGen.Sample.Runs;

/// <summary>One network's side of the vanishing-gradients comparison: its per-epoch norms and validation accuracy.</summary>
/// <param name="Name">The activation, as the figure names it (<c>sigmoid</c>, <c>ReLU</c>).</param>
/// <param name="Epochs">Each epoch's per-layer norms and validation accuracy.</param>
/// <param name="Seconds">The training time.</param>
internal sealed record DepthRun(string Name, IReadOnlyList<(int Epoch, IReadOnlyList<LayerNormRow> Norms, double ValidationAccuracy)> Epochs, double Seconds)
{
    /// <summary>The mean gradient norm of every layer in epoch <paramref name="epoch"/> (1-based).</summary>
    public IReadOnlyList<LayerNormRow> NormsOf(int epoch) => Epochs[epoch - 1].Norms;
}

/// <summary>
/// The notes' explanation of vanishing gradients, measured: <see cref="DeepSigmoidNet"/> and <see cref="DeepReLUNet"/>
/// (the same 64-32x6-10 shape) train side by side on the digits, and one figure shows each layer's mean gradient
/// norm per epoch on a log scale ("earlier layers have exponentially smaller sum of gradient norms" with sigmoid).
/// </summary>
internal static class VanishingGradientsRun
{
    /// <summary>The file name (without extension) of the figure and the page.</summary>
    public const string FileName = "vanishing-gradients";

    /// <summary>Trains both networks, prints the per-layer table and writes the figure (SVG) and a page (HTML); returns the exit code.</summary>
    public static int Run(TrainSettings settings, TextWriter output)
    {
        var (trainingSet, _, _) = SampleData.LoadDigits();
        var (train, validation) = trainingSet.Split(ClassifierRun.ValidationFraction, seed: settings.Seed, stratify: true);
        var description = DeepSigmoidNet.NetworkDescription;
        string shape = Shape(description);
        int layers = description.Layers.Count(l => l.Weights is not null);
        output.WriteLine($"vanishing gradients: two {shape} MLPs on the digits ({layers} weight layers, {DeepSigmoidNet.ParameterCount:N0} parameters each), one with sigmoid and one with ReLU hidden units");
        output.WriteLine($"{train.Count:N0} training and {validation.Count:N0} validation images; {settings.DescribeOptimizer()}, batch {settings.BatchSize}, {settings.Epochs} epochs, seed {settings.Seed}");

        var sigmoid = Train("sigmoid", new DeepSigmoidNet(settings.Seed), settings, train, validation);
        var relu = Train("ReLU", new DeepReLUNet(settings.Seed), settings, train, validation);
        foreach (var run in new[] { sigmoid, relu })
        {
            output.WriteLine($"  {run.Name + ":",-8} {run.Seconds:F1} s, validation accuracy {run.Epochs[^1].ValidationAccuracy:F4} after {run.Epochs.Count} epochs");
        }

        output.Write(Table(sigmoid, relu));
        string title = $"Vanishing gradients: {shape} MLP on the digits, sigmoid against ReLU";
        string subtitle = $"{settings.DescribeOptimizer()}, batch {settings.BatchSize}, seed {settings.Seed}; each layer's weight-gradient norm averaged over the epoch's batches";
        string svg = Figure(sigmoid, relu, title, subtitle);
        Directory.CreateDirectory(settings.OutputFolder);
        string svgPath = Path.Combine(settings.OutputFolder, FileName + ".svg");
        string htmlPath = Path.Combine(settings.OutputFolder, FileName + ".html");
        File.WriteAllText(svgPath, svg);
        File.WriteAllText(htmlPath, Page(title, svg, Table(sigmoid, relu)));
        output.WriteLine($"written: {svgPath}, {htmlPath}");
        return 0;
    }

    /// <summary>Trains one network with per-epoch norm tracking and collects what the figure needs.</summary>
    public static DepthRun Train(string name, INetwork<float> network, TrainSettings settings, Dataset<float> train, Dataset<float> validation)
    {
        var epochs = new List<(int, IReadOnlyList<LayerNormRow>, double)>();
        using var trainer = new Trainer<float>(network, settings.CreateOptimizer(), settings.BatchSize, settings.Seed,
            new TrainerOptions { Threads = settings.Threads, NormTracking = NormTracking.PerEpoch });
        var history = trainer.Fit(train, settings.Epochs, validation, new CallbackProgress<EpochReport>(report =>
            epochs.Add((report.Epoch, LayerNormRow.From(report), report.ValidationAccuracy ?? 0))));
        return new DepthRun(name, epochs, history.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The figure: the two networks' gradient norms per layer on one shared log axis, side by side, and their
    /// validation accuracy.
    /// </summary>
    public static string Figure(DepthRun sigmoid, DepthRun relu, string title, string subtitle)
    {
        int epochCount = Math.Max(sigmoid.Epochs.Count, relu.Epochs.Count);
        var left = NormPlot.GradientChart(Norms(sigmoid), $"{sigmoid.Name}: gradient norm per layer", epochCount);
        var right = NormPlot.GradientChart(Norms(relu), $"{relu.Name}: gradient norm per layer", epochCount);
        var (minimum, maximum) = NormPlot.Range(left.Series.Concat(right.Series));
        left = NormPlot.GradientChart(Norms(sigmoid), left.Title, epochCount, (minimum, maximum));
        right = NormPlot.GradientChart(Norms(relu), right.Title, epochCount, (minimum, maximum));
        var accuracySeries = new List<Series>
        {
            new(sigmoid.Name, "#ea580c", [.. sigmoid.Epochs.Select(e => ((double)e.Epoch, e.ValidationAccuracy))]),
            new(relu.Name, "#2563eb", [.. relu.Epochs.Select(e => ((double)e.Epoch, e.ValidationAccuracy))], Dashed: true),
        };
        var accuracy = new LineChart("Validation accuracy", "epoch", "accuracy", accuracySeries, AxisScale.ForEpochs(epochCount), AxisScale.ForValues(0, 1), legend: LegendCorner.BottomRight);

        double width = left.Width + right.Width + accuracy.Width + 20, height = left.Height + 58;
        var svg = new StringBuilder();
        svg.Append($"""<svg xmlns="http://www.w3.org/2000/svg" width="{LineChart.Number(width)}" height="{LineChart.Number(height)}" viewBox="0 0 {LineChart.Number(width)} {LineChart.Number(height)}" font-family="Segoe UI, Helvetica, Arial, sans-serif">""").Append('\n');
        svg.Append($"""<title>{LineChart.Escape(title)}</title>""").Append('\n');
        svg.Append($"""<rect width="{LineChart.Number(width)}" height="{LineChart.Number(height)}" fill="#f9fafb"/>""").Append('\n');
        svg.Append($"""<text x="{LineChart.Number(width / 2)}" y="24" text-anchor="middle" font-size="17" font-weight="700" fill="#111827">{LineChart.Escape(title)}</text>""").Append('\n');
        svg.Append($"""<text x="{LineChart.Number(width / 2)}" y="44" text-anchor="middle" font-size="13" fill="#4b5563">{LineChart.Escape(subtitle)}</text>""").Append('\n');
        left.Render(svg, 10, 54);
        right.Render(svg, 10 + left.Width, 54);
        accuracy.Render(svg, 10 + left.Width + right.Width, 54);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Per layer: the mean gradient norm in the first and the last epoch of both networks, and the first layer's share of the last's.</summary>
    public static string Table(DepthRun sigmoid, DepthRun relu)
    {
        int first = 1, lastSigmoid = sigmoid.Epochs.Count, lastReLU = relu.Epochs.Count;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"mean gradient norm per layer in epoch {first} (and in epoch {lastSigmoid}):\n");
        text.Append(CultureInfo.InvariantCulture, $"  {"layer",-7} {sigmoid.Name,-22} {relu.Name}\n");
        var s1 = sigmoid.NormsOf(first);
        var sN = sigmoid.NormsOf(lastSigmoid);
        var r1 = relu.NormsOf(first);
        var rN = relu.NormsOf(lastReLU);
        for (int i = 0; i < s1.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {s1[i].Name,-7} {$"{s1[i].GradientNorm:0.00E+00} ({sN[i].GradientNorm:0.00E+00})",-22} {r1[i].GradientNorm:0.00E+00} ({rN[i].GradientNorm:0.00E+00})\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  {$"{s1[0].Name}/{s1[^1].Name}",-7} {$"{s1[0].GradientNorm / s1[^1].GradientNorm:G3} ({sN[0].GradientNorm / sN[^1].GradientNorm:G3})",-22} {r1[0].GradientNorm / r1[^1].GradientNorm:G3} ({rN[0].GradientNorm / rN[^1].GradientNorm:G3})\n");
        return text.ToString();
    }

    /// <summary>The network's shape as <c>64-32x6-10</c>.</summary>
    public static string Shape(NetworkDescription description)
    {
        var sizes = description.Layers.Where(l => l.Weights is not null).Select(l => l.OutputSize).ToList();
        var hidden = sizes.Take(sizes.Count - 1).ToList();
        string middle = hidden.Count > 1 && hidden.All(s => s == hidden[0]) ? $"{hidden[0]}x{hidden.Count}" : string.Join("-", hidden);
        return $"{description.InputSize}-{middle}-{sizes[^1]}";
    }

    private static List<(int Epoch, IReadOnlyList<LayerNormRow> Norms)> Norms(DepthRun run) => [.. run.Epochs.Select(e => (e.Epoch, e.Norms))];

    private static string Page(string title, string svg, string table) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>NetGen sample: {{WebUtility.HtmlEncode(title)}}</title>
        <style>
          body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 16px 20px; color: #111827; background: #ffffff; }
          pre { font-size: 13px; color: #374151; }
        </style>
        </head>
        <body>
        {{svg}}
        <pre>{{WebUtility.HtmlEncode(table)}}</pre>
        </body>
        </html>

        """;
}
