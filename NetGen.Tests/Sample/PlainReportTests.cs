using NetGen.Sample.Reporting;

namespace NetGen.Tests.Sample;

public class PlainReportTests
{
    internal static RunSummary Summary() => new()
    {
        Name = "toy",
        Title = "Toy",
        ClassNames = ["cat", "dog"],
        Settings = [("network", "2-2 MLP"), ("batch size", "4")],
        Epochs = [new EpochRow(1, 0.5, 0.7, 0.6, 0.65, 0.001, 1.5, 12_345), new EpochRow(2, 0.25, 0.9, 0.3, 0.875, 0.0005, 1.0, 13_000)],
        Confusion = ConfusionMatrix.FromPredictions(2, [(0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 0)]),
        TestLoss = 0.3,
        TestAccuracy = 0.75,
        WallTime = TimeSpan.FromSeconds(2.5),
        Threads = 2,
    };

    [Fact]
    public void Epoch_lines_name_every_measurement()
    {
        string line = PlainReport.EpochLine(Summary().Epochs[0], epochCount: 20);
        Assert.Equal("epoch  1/20  loss 0.5000  train acc 0.7000  val loss 0.6000  val acc 0.6500  lr 0.001  12,345 samples/s  1.50 s", line);
    }

    [Fact]
    public void The_summary_aligns_values_in_one_column()
    {
        string text = PlainReport.Summary([("network", "2-2 MLP"), ("batch size", "4")]);
        Assert.Equal("  network     2-2 MLP\n  batch size  4\n", text);
    }

    [Fact]
    public void The_confusion_matrix_is_a_text_table_with_names_and_recall()
    {
        string[] lines = PlainReport.Confusion(Summary().Confusion, ["cat", "dog"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("  actual \\ predicted   0   1  recall", lines[0]);
        Assert.Equal("  0 cat                2   1  0.667", lines[1]);
        Assert.Equal("  1 dog                1   4  0.800", lines[2]);
    }

    [Fact]
    public void The_final_report_has_no_control_codes_and_ends_with_the_result_lines()
    {
        var writer = new StringWriter();
        var display = new PlainDisplay(writer);
        display.Final(Summary(), ["out/toy.ngm"]);
        string text = writer.ToString();

        Assert.DoesNotContain(text, c => char.IsControl(c) && c is not '\n' and not '\r');
        Assert.Matches(@"\n  test accuracy +0\.7500 \(6 of 8\)\n", text);
        Assert.Matches(@"\n  wall time +2\.5 s on 2 threads\n", text);
        Assert.Contains("  out/toy.ngm", text);
        string[] last = text.TrimEnd().Split(Environment.NewLine)[^2..];
        Assert.Equal("wall time: 2.5 s (2 epochs, 2 threads)", last[0]);
        Assert.Equal("test accuracy: 0.7500", last[1]);
    }

    [Fact]
    public void Training_through_the_plain_display_prints_one_line_per_epoch()
    {
        var writer = new StringWriter();
        var display = new PlainDisplay(writer);
        int result = display.Train("training toy", 2, 10, callbacks =>
        {
            callbacks.OnBatch(new BatchReport(1, 2, 1, 10, 0.5, 4, TimeSpan.FromMilliseconds(1)));
            foreach (var row in Summary().Epochs)
            {
                callbacks.OnEpoch(row);
            }

            return 7;
        });

        Assert.Equal(7, result);
        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["training toy", "  " + PlainReport.EpochLine(Summary().Epochs[0], 2), "  " + PlainReport.EpochLine(Summary().Epochs[1], 2)], lines);
    }

    [Fact]
    public void The_html_report_embeds_the_plot_and_the_tables()
    {
        var summary = Summary();
        string svg = TrainingPlot.Svg(summary.Epochs, summary.Title);
        string html = HtmlReport.Build(summary, svg);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains(svg, html);
        Assert.Contains("<table class=\"confusion\">", html);
        Assert.Contains("<th class=\"actual\">1 dog</th>", html);
        Assert.Contains("test accuracy <b>0.7500</b>", html);
    }
}
