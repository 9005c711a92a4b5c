using System.Diagnostics;
using System.Globalization;
using NetGen.Sample.Reporting;

namespace NetGen.Sample.Runs;

/// <summary>A classifier the sample trains: its network, data and names.</summary>
/// <param name="Name">The command and file name: <c>digits</c>, <c>fashion</c>.</param>
/// <param name="Title">The title of the reports.</param>
/// <param name="Architecture">The network as a person reads it.</param>
/// <param name="Create">Creates the network from a seed.</param>
/// <param name="ClassNames">The class names by label.</param>
/// <param name="CosineSchedule">Whether the learning rate follows a cosine schedule over the run.</param>
internal sealed record ClassifierSpec(string Name, string Title, string Architecture, Func<int, INetwork<float>> Create, IReadOnlyList<string> ClassNames, bool CosineSchedule)
{
    /// <summary>The <c>digits</c> command's classifier.</summary>
    public static ClassifierSpec Digits { get; } = new("digits", "Handwritten digits (UCI, 8x8)", "64-64-10 MLP (ReLU)", seed => new DigitsNet(seed), SampleData.DigitClasses, CosineSchedule: false);

    /// <summary>The <c>fashion</c> command's classifier.</summary>
    public static ClassifierSpec Fashion { get; } = new("fashion", "Fashion-MNIST", "784-256-128-10 MLP (ReLU, dropout 0.2/0.1)", seed => new FashionNet(seed), SampleData.FashionClasses, CosineSchedule: true);
}

/// <summary>Trains a classifier with live progress, then reports, plots and saves it.</summary>
internal static class ClassifierRun
{
    /// <summary>The share of the training set held out for validation.</summary>
    public const double ValidationFraction = 0.1;

    /// <summary>Epochs without a better validation loss after which training stops (and the best epoch's weights return).</summary>
    public const int EarlyStoppingPatience = 5;

    /// <summary>The most training samples whose accuracy is measured after each epoch.</summary>
    public const int TrainingAccuracySamples = 10_000;

    /// <summary>
    /// Runs the whole thing; returns the process exit code. Ctrl+C (or <paramref name="cancellationToken"/>) stops
    /// training between two batches and saves a checkpoint; <see cref="TrainSettings.Resume"/> continues from one
    /// with the settings saved beside it (only the threads and the output folder come from <paramref name="settings"/>),
    /// and ends with the same weights as a run that was never interrupted.
    /// </summary>
    public static int Run(ClassifierSpec spec, TrainSettings settings, Dataset<float> trainingSet, Dataset<float> test, TrainingDisplay display,
        TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        error ??= Console.Error;
        var rows = new List<EpochRow>();
        TrainingCheckpoint<float>? checkpoint = null;
        INetwork<float> network;
        if (settings.Resume is { } resumePath)
        {
            try
            {
                var saved = RunCheckpoint.Read(resumePath);
                if (saved.Command != spec.Name)
                {
                    error.WriteLine($"error: {resumePath} is a checkpoint of the {saved.Command} command; resume it with `{saved.Command} --resume`.");
                    return ExitCodeBadInput;
                }

                settings = saved.Settings with { Threads = settings.Threads, OutputFolder = settings.OutputFolder, Resume = resumePath };
                network = spec.Create(settings.Seed);
                checkpoint = ModelFile.LoadCheckpoint(network, resumePath);
                if (checkpoint is null)
                {
                    error.WriteLine($"error: {resumePath} holds parameters only, no training state to resume; use a <name>-checkpoint.ngm file saved by Ctrl+C.");
                    return ExitCodeBadInput;
                }

                rows.AddRange(saved.Epochs.Where(e => e.Epoch < checkpoint.Epoch));
            }
            catch (Exception e) when (e is InvalidDataException or ModelFileException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: cannot resume from {resumePath}: {e.Message}");
                return ExitCodeBadInput;
            }
        }
        else
        {
            network = spec.Create(settings.Seed);
        }

        // As the notes do: curves and early stopping on a validation split of the training set; the test set is
        // touched once, by the final network.
        var (train, validation) = trainingSet.Split(ValidationFraction, seed: settings.Seed, stratify: trainingSet.HasLabels);
        int batches = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
        display.Line($"{spec.Title}: {spec.Architecture}, {network.ParameterCount:N0} parameters");
        display.Line($"{train.Count:N0} training, {validation.Count:N0} validation (for the curves and early stopping) and {test.Count:N0} test samples; {settings.DescribeOptimizer()}{(spec.CosineSchedule ? " (cosine schedule)" : "")}, batch {settings.BatchSize}, {settings.Threads} thread{(settings.Threads == 1 ? "" : "s")}, seed {settings.Seed}");

        if (checkpoint is not null)
        {
            display.Line($"resuming from {settings.Resume}: epoch {checkpoint.Epoch} of {settings.Epochs}, after {checkpoint.StepCount:N0} optimizer steps");
        }

        var trainingSample = train.Count <= TrainingAccuracySamples ? train : train.Subset(Enumerable.Range(0, TrainingAccuracySamples).ToArray());
        double samplesPerSecond = 0;

        // Ctrl+C stops training between two batches and saves a checkpoint; what was trained so far is still reported and saved.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool stopped = false;
        string? checkpointPath = null;
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
            if (checkpoint is not null)
            {
                trainer.RestoreCheckpoint(checkpoint);
            }

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
                checkpointPath = RunCheckpoint.Save(spec.Name, settings, network, trainer.CaptureCheckpoint(), rows);
                return canceled.History;
            }
        });
        stopwatch.Stop();
        Console.CancelKeyPress -= onCancel;
        if (stopped)
        {
            display.Line(rows.Count == 0
                ? "stopped (Ctrl+C) before the first epoch ended: nothing to report."
                : $"stopped (Ctrl+C) during epoch {rows.Count + 1}: reporting and saving the network as trained so far ({rows.Count} full epochs and part of the next).");
            display.Line($"checkpoint saved to {checkpointPath}; continue the run (same result as if never stopped) with: dotnet run -c Release --project NetGen.Sample -- {spec.Name} --resume {checkpointPath}");
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
                ("epochs", EpochsNote(rows.Count, checkpoint?.Epoch, history)),
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

    /// <summary>The summary's epochs, e.g. <c>20 (resumed in epoch 3; weights of epoch 18, the best validation loss)</c>.</summary>
    private static string EpochsNote(int epochs, int? resumedIn, TrainingHistory history)
    {
        var notes = new List<string>();
        if (resumedIn is { } epoch)
        {
            notes.Add($"resumed in epoch {epoch}");
        }

        if (history.BestEpoch is { } best)
        {
            notes.Add($"weights of epoch {best}, the best validation loss{(history.StopReason is { } reason ? $"; stopped: {reason}" : "")}");
        }

        return epochs.ToString(CultureInfo.InvariantCulture) + (notes.Count == 0 ? "" : $" ({string.Join("; ", notes)})");
    }

    /// <summary>The exit code after Ctrl+C, as shells report an interrupted program (128 + SIGINT).</summary>
    public const int ExitCodeCanceled = 130;

    /// <summary>The exit code when a file the run needs is missing or invalid.</summary>
    public const int ExitCodeBadInput = 2;

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
        File.WriteAllText(csvPath, HistoryCsv.Write(summary.Epochs));
        return [model, onnxPath, svgPath, htmlPath, csvPath];
    }
}
