using Spectre.Console;

namespace NetGen.Sample.Reporting;

/// <summary>What the display hands to training: where to send batch and epoch progress.</summary>
internal sealed class TrainingCallbacks
{
    /// <summary>Called on the training thread every few batches.</summary>
    public Action<BatchReport> OnBatch { get; set; } = _ => { };

    /// <summary>Called on the training thread after every epoch.</summary>
    public Action<EpochRow> OnEpoch { get; set; } = _ => { };
}

/// <summary>A synchronous <see cref="IProgress{T}"/>: reports run on the reporting thread, at once.</summary>
internal sealed class CallbackProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}

/// <summary>How a training run shows itself: live in a terminal, or as plain lines.</summary>
internal abstract class TrainingDisplay
{
    /// <summary>
    /// The display for this process: plain when the output is redirected (a pipe, a file, CI) or the terminal
    /// cannot take ANSI control codes; live otherwise.
    /// </summary>
    public static TrainingDisplay ForConsole() =>
        Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Ansi || !AnsiConsole.Profile.Capabilities.Interactive
            ? new PlainDisplay(Console.Out)
            : new LiveDisplay();

    /// <summary>Writes an informational line.</summary>
    public abstract void Line(string text);

    /// <summary>Runs <paramref name="train"/>, showing its progress.</summary>
    public abstract T Train<T>(string title, int epochs, int batchesPerEpoch, Func<TrainingCallbacks, T> train);

    /// <summary>Shows the end-of-run report.</summary>
    public abstract void Final(RunSummary summary, IReadOnlyList<string> files);

    /// <summary>The last lines of every run, plain in both displays so scripts can read them.</summary>
    protected static IEnumerable<string> ResultLines(RunSummary summary) =>
    [
        $"wall time: {summary.WallTime.TotalSeconds:F1} s ({summary.Epochs.Count} epoch{(summary.Epochs.Count == 1 ? "" : "s")}, {summary.Threads} thread{(summary.Threads == 1 ? "" : "s")})",
        $"test accuracy: {summary.TestAccuracy:F4}",
    ];
}

/// <summary>Plain lines only: one per epoch, then the text report. No control codes.</summary>
internal sealed class PlainDisplay(TextWriter output) : TrainingDisplay
{
    /// <inheritdoc />
    public override void Line(string text) => output.WriteLine(text);

    /// <inheritdoc />
    public override T Train<T>(string title, int epochs, int batchesPerEpoch, Func<TrainingCallbacks, T> train)
    {
        output.WriteLine(title);
        var callbacks = new TrainingCallbacks { OnEpoch = row => output.WriteLine("  " + PlainReport.EpochLine(row, epochs)) };
        return train(callbacks);
    }

    /// <inheritdoc />
    public override void Final(RunSummary summary, IReadOnlyList<string> files)
    {
        output.WriteLine();
        output.Write(PlainReport.Final(summary, files));
        output.WriteLine();
        foreach (var line in ResultLines(summary))
        {
            output.WriteLine(line);
        }
    }
}

/// <summary>A Spectre.Console progress bar while training, then tables.</summary>
internal sealed class LiveDisplay : TrainingDisplay
{
    /// <inheritdoc />
    public override void Line(string text) => AnsiConsole.WriteLine(text);

    /// <inheritdoc />
    public override T Train<T>(string title, int epochs, int batchesPerEpoch, Func<TrainingCallbacks, T> train)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: (double)epochs * batchesPerEpoch);
                double smoothedLoss = double.NaN;
                string accuracy = "-";
                var callbacks = new TrainingCallbacks
                {
                    OnBatch = batch =>
                    {
                        smoothedLoss = double.IsNaN(smoothedLoss) ? batch.Loss : (0.9 * smoothedLoss) + (0.1 * batch.Loss);
                        task.Value = ((double)(batch.Epoch - 1) * batchesPerEpoch) + batch.Batch;
                        task.Description = Markup.Escape($"epoch {batch.Epoch}/{batch.EpochCount}  loss {smoothedLoss:F3}  acc {accuracy}  {batch.SamplesPerSecond,7:N0}/s");
                    },
                    OnEpoch = row =>
                    {
                        accuracy = row.TestAccuracy is { } a ? $"{a:F3}" : "-";
                        AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(PlainReport.EpochLine(row, epochs))}[/]");
                    },
                };
                var result = train(callbacks);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <inheritdoc />
    public override void Final(RunSummary summary, IReadOnlyList<string> files)
    {
        AnsiConsole.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]summary[/]");
        table.AddColumn("");
        table.AddColumn("");
        table.HideHeaders();
        foreach (var (key, value) in summary.Rows())
        {
            table.AddRow(new Markup($"[grey]{Markup.Escape(key)}[/]"), new Markup(key == "test accuracy" ? $"[bold green]{Markup.Escape(value)}[/]" : Markup.Escape(value)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.Write(ConfusionTable(summary.Confusion, summary.ClassNames));
        AnsiConsole.MarkupLine("[grey]written:[/]");
        foreach (var file in files)
        {
            AnsiConsole.MarkupLine($"  [link]{Markup.Escape(file)}[/]");
        }

        AnsiConsole.WriteLine();
        foreach (var line in ResultLines(summary))
        {
            AnsiConsole.WriteLine(line);
        }
    }

    private static Table ConfusionTable(ConfusionMatrix matrix, IReadOnlyList<string> names)
    {
        // Tight columns so ten classes with names fit an 80-column terminal.
        var table = new Table().Border(TableBorder.Simple).Title("[bold]confusion matrix (test set)[/]");
        table.AddColumn(new TableColumn("actual").NoWrap().PadLeft(0).PadRight(1));
        for (int p = 0; p < matrix.ClassCount; p++)
        {
            table.AddColumn(new TableColumn(p.ToString()).RightAligned().PadLeft(1).PadRight(0));
        }

        table.AddColumn(new TableColumn("recall").RightAligned().PadLeft(2).PadRight(0));
        for (int a = 0; a < matrix.ClassCount; a++)
        {
            var cells = new List<Markup> { new(Markup.Escape(ConfusionMatrix.RowLabel(a, names))) };
            int rowTotal = Math.Max(1, matrix.ActualCount(a));
            for (int p = 0; p < matrix.ClassCount; p++)
            {
                int count = matrix[a, p];
                double share = (double)count / rowTotal;
                string style = count == 0 ? "grey" : a == p ? "bold green" : share >= 0.05 ? "bold red" : share >= 0.01 ? "yellow" : "default";
                cells.Add(new Markup($"[{style}]{count}[/]"));
            }

            cells.Add(new Markup(matrix.Recall(a) is { } recall ? $"{recall:F3}" : "-"));
            table.AddRow(cells);
        }

        return table;
    }
}
