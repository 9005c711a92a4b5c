using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetGen.Sample.Reporting;

namespace NetGen.Sample.Runs;

/// <summary>A classifier the sample trains: its network, data and names.</summary>
/// <param name="Name">The command and file name: <c>digits</c>, <c>fashion</c>.</param>
/// <param name="Title">The title of the reports.</param>
/// <param name="Architecture">The network as a person reads it.</param>
/// <param name="Create">Creates the network from a seed.</param>
/// <param name="ClassNames">The class names by label.</param>
/// <param name="CosineSchedule">Whether the learning rate follows a cosine schedule over the run.</param>
internal sealed record ClassifierSpec(string Name, string Title, string Architecture, Func<int, INetwork<float>> Create, IReadOnlyList<string> ClassNames, bool CosineSchedule);

/// <summary>Trains a classifier with live progress, then reports, plots and saves it.</summary>
internal static class ClassifierRun
{
    /// <summary>The share of the training set held out for validation.</summary>
    public const double ValidationFraction = 0.1;

    /// <summary>Epochs without a better validation loss after which training stops (and the best epoch's weights return).</summary>
    public const int EarlyStoppingPatience = 5;

    /// <summary>The most training samples whose accuracy is measured after each epoch.</summary>
    public const int TrainingAccuracySamples = 10_000;

    /// <summary>Runs the whole thing; returns the process exit code.</summary>
    public static int Run(ClassifierSpec spec, TrainSettings settings, Dataset<float> trainingSet, Dataset<float> test, TrainingDisplay display)
    {
        // As the notes do: curves and early stopping on a validation split of the training set; the test set is
        // touched once, by the final network.
        var (train, validation) = trainingSet.Split(ValidationFraction, seed: settings.Seed, stratify: trainingSet.HasLabels);
        var network = spec.Create(settings.Seed);
        int batches = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
        display.Line($"{spec.Title}: {spec.Architecture}, {network.ParameterCount:N0} parameters");
        display.Line($"{train.Count:N0} training, {validation.Count:N0} validation (for the curves and early stopping) and {test.Count:N0} test samples; {settings.DescribeOptimizer()}{(spec.CosineSchedule ? " (cosine schedule)" : "")}, batch {settings.BatchSize}, {settings.Threads} thread{(settings.Threads == 1 ? "" : "s")}, seed {settings.Seed}");

        var trainingSample = train.Count <= TrainingAccuracySamples ? train : train.Subset(Enumerable.Range(0, TrainingAccuracySamples).ToArray());
        var rows = new List<EpochRow>();
        double samplesPerSecond = 0;

        // Ctrl+C stops training between two batches; what was trained so far is still reported and saved.
        using var stop = new CancellationTokenSource();
        bool stopped = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var stopwatch = Stopwatch.StartNew();
        var history = display.Train($"training {spec.Name} for {settings.Epochs} epochs", settings.Epochs, batches, callbacks =>
        {
            var options = new TrainerOptions
            {
                Threads = settings.Threads,
                EarlyStopping = new EarlyStopping(EarlyStoppingPatience),
                Schedule = spec.CosineSchedule ? LearningRateSchedule.Cosine(settings.Epochs, settings.LearningRate * 0.01) : null,
                BatchProgressInterval = Math.Max(1, batches / 200),
                BatchProgress = new CallbackProgress<BatchReport>(batch =>
                {
                    samplesPerSecond = batch.SamplesPerSecond;
                    callbacks.OnBatch(batch);
                }),
            };
            using var trainer = new Trainer<float>(network, settings.CreateOptimizer(), settings.BatchSize, settings.Seed, options);
            var epochProgress = new CallbackProgress<EpochReport>(report =>
            {
                var trainingAccuracy = Evaluation.Evaluate(network, trainingSample).Accuracy;
                var row = new EpochRow(report.Epoch, report.TrainingLoss, trainingAccuracy, report.ValidationLoss, report.ValidationAccuracy,
                    report.LearningRate ?? settings.LearningRate, report.Elapsed.TotalSeconds, samplesPerSecond)
                {
                    LayerNorms = LayerNormRow.From(report),
                };
                rows.Add(row);
                callbacks.OnEpoch(row);
            });
            try
            {
                return trainer.Fit(train, settings.Epochs, validation: validation, progress: epochProgress, cancellationToken: stop.Token);
            }
            catch (TrainingCanceledException canceled)
            {
                stopped = true;
                return canceled.History;
            }
        });
        stopwatch.Stop();
        Console.CancelKeyPress -= onCancel;
        if (stopped)
        {
            display.Line(rows.Count == 0
                ? "stopped (Ctrl+C) before the first epoch ended: nothing to report or save."
                : $"stopped (Ctrl+C) during epoch {rows.Count + 1}: reporting and saving the network as trained so far ({rows.Count} full epochs and part of the next).");
            if (rows.Count == 0)
            {
                return ExitCodeCanceled;
            }
        }

        var result = Evaluation.Evaluate(network, test);
        var confusion = ConfusionMatrix.Compute(network, test);
        var summary = new RunSummary
        {
            Name = spec.Name,
            Title = spec.Title,
            ClassNames = spec.ClassNames,
            Settings =
            [
                ("network", $"{spec.Architecture}, {network.ParameterCount:N0} parameters"),
                ("data", $"{train.Count:N0} training, {validation.Count:N0} validation, {test.Count:N0} test samples"),
                ("optimizer", settings.DescribeOptimizer() + (spec.CosineSchedule ? ", cosine schedule" : "")),
                ("batch size", settings.BatchSize.ToString(CultureInfo.InvariantCulture)),
                ("epochs", history.Epochs.Count.ToString(CultureInfo.InvariantCulture) + (history.BestEpoch is { } best ? $" (weights of epoch {best}, the best validation loss{(history.StopReason is { } reason ? $"; stopped: {reason}" : "")})" : "")),
                ("seed", settings.Seed.ToString(CultureInfo.InvariantCulture)),
            ],
            Epochs = rows,
            Confusion = confusion,
            TestLoss = result.Loss,
            TestAccuracy = result.Accuracy ?? confusion.Accuracy,
            WallTime = stopwatch.Elapsed,
            Threads = settings.Threads,
        };

        var files = WriteOutputs(spec.Name, network, summary, settings.OutputFolder);
        display.Final(summary, files);
        return stopped ? ExitCodeCanceled : 0;
    }

    /// <summary>The exit code after Ctrl+C, as shells report an interrupted program (128 + SIGINT).</summary>
    public const int ExitCodeCanceled = 130;

    /// <summary>Writes the model (NetGen's file and ONNX, for serving stacks), the plot, the HTML report and the history as CSV; returns their paths.</summary>
    public static IReadOnlyList<string> WriteOutputs(string name, INetwork<float> network, RunSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        string model = Path.Combine(folder, $"{name}.ngm");
        string onnxPath = Path.Combine(folder, $"{name}.onnx");
        string svgPath = Path.Combine(folder, $"{name}-training.svg");
        string htmlPath = Path.Combine(folder, $"{name}-report.html");
        string csvPath = Path.Combine(folder, $"{name}-history.csv");
        ModelFile.Save(network, model);
        OnnxExport.Save(network, onnxPath);
        string svg = TrainingPlot.Svg(summary.Epochs, summary.Title, heldOutName: "validation");
        File.WriteAllText(svgPath, svg);
        File.WriteAllText(htmlPath, HtmlReport.Build(summary, svg));
        // Per weight layer, its mean gradient norm and its weight norm (columns gradient_norm_W1, weight_norm_W1, ...).
        var layers = summary.Epochs.FirstOrDefault(e => e.LayerNorms.Count > 0)?.LayerNorms.Select(n => n.Name).ToList() ?? [];
        var csv = new StringBuilder("epoch,training_loss,training_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,samples_per_second");
        foreach (string layer in layers)
        {
            csv.Append(CultureInfo.InvariantCulture, $",gradient_norm_{layer},weight_norm_{layer}");
        }

        csv.Append('\n');
        foreach (var e in summary.Epochs)
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

        File.WriteAllText(csvPath, csv.ToString());
        return [model, onnxPath, svgPath, htmlPath, csvPath];
    }
}
