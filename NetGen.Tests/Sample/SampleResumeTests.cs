using NetGen.Sample;
using NetGen.Sample.Cli;
using NetGen.Sample.Reporting;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Sample;

/// <summary>
/// The sample's Ctrl+C and <c>--resume</c>, through <see cref="ClassifierRun.Run"/> as the <c>digits</c> command
/// calls it: a run stopped at a chosen batch and resumed ends with the bits of a run that was never stopped.
/// </summary>
public sealed class SampleResumeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "netgen-sample-resume-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A plain display whose training stops (as Ctrl+C does) after batch <c>batch</c> of epoch <c>epoch</c>.</summary>
    private sealed class StoppingDisplay(TextWriter output, int epoch, int batch, CancellationTokenSource stop) : TrainingDisplay
    {
        public override void Line(string text) => output.WriteLine(text);

        public override T Train<T>(string title, int epochs, int batchesPerEpoch, Func<TrainingCallbacks, T> train) => train(new TrainingCallbacks
        {
            OnBatch = report =>
            {
                if (report.Epoch == epoch && report.Batch == batch)
                {
                    stop.Cancel();
                }
            },
        });

        public override void Final(RunSummary summary, IReadOnlyList<string> files) => output.WriteLine($"test accuracy: {summary.TestAccuracy:F4}");
    }

    private static float[] Parameters(string modelPath)
    {
        var network = new DigitsNet(seed: 1000);
        ModelFile.Load(network, modelPath);
        return network.Parameters.ToArray();
    }

    /// <summary>The history CSV without the two timing columns (seconds, samples/s), which differ between runs.</summary>
    private static string[] HistoryWithoutTimes(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "digits-history.csv")).Select(line => string.Join(",", line.Split(',').Where((_, i) => i is not 6 and not 7)))];

    [Theory]
    [InlineData(3, 10, 1)] // in the middle of epoch 3, resumed on one thread
    [InlineData(2, 41, 2)] // after the last batch of epoch 2 (1,294 images in batches of 32), resumed on two threads
    [InlineData(1, 1, 2)] // after the first batch: no epoch finished yet
    public void A_digits_run_stopped_and_resumed_ends_bit_identical_to_an_uninterrupted_one(int stopEpoch, int stopBatch, int resumeThreads)
    {
        var (train, test, _) = SampleData.LoadDigits();
        var settings = new TrainSettings(Epochs: 5, BatchSize: 32, Threads: 1, "adam", 0.003, Seed: 42, Path.Combine(_folder, "whole"));
        var output = new StringWriter();
        Assert.Equal(0, ClassifierRun.Run(ClassifierSpec.Digits, settings, train, test, new PlainDisplay(output)));

        using var stop = new CancellationTokenSource();
        var stoppedOutput = new StringWriter();
        var stopped = settings with { OutputFolder = Path.Combine(_folder, "stopped") };
        Assert.Equal(ClassifierRun.ExitCodeCanceled,
            ClassifierRun.Run(ClassifierSpec.Digits, stopped, train, test, new StoppingDisplay(stoppedOutput, stopEpoch, stopBatch, stop), cancellationToken: stop.Token));
        string checkpoint = RunCheckpoint.ModelPath(stopped.OutputFolder, "digits");
        Assert.Contains($"checkpoint saved to {checkpoint}", stoppedOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, ModelFile.ReadInfo(checkpoint).Version);

        // Settings other than the threads and the output folder come from the checkpoint, whatever the caller passes.
        var resumedOutput = new StringWriter();
        var resumed = new TrainSettings(99, 7, resumeThreads, "sgd", 1, 0, Path.Combine(_folder, "resumed"), checkpoint);
        Assert.Equal(0, ClassifierRun.Run(ClassifierSpec.Digits, resumed, train, test, new PlainDisplay(resumedOutput)));
        int resumeEpoch = stopBatch == 41 ? stopEpoch + 1 : stopEpoch;
        Assert.Contains($"resuming from {checkpoint}: epoch {resumeEpoch} of 5, after {((stopEpoch - 1) * 41) + stopBatch} optimizer steps", resumedOutput.ToString(), StringComparison.Ordinal);

        Assert.Equal(Parameters(Path.Combine(settings.OutputFolder, "digits.ngm")), Parameters(Path.Combine(resumed.OutputFolder, "digits.ngm")));
        Assert.Equal(HistoryWithoutTimes(settings.OutputFolder), HistoryWithoutTimes(resumed.OutputFolder));
        Assert.Equal(output.ToString().Split('\n').Single(l => l.StartsWith("test accuracy", StringComparison.Ordinal)),
            resumedOutput.ToString().Split('\n').Single(l => l.StartsWith("test accuracy", StringComparison.Ordinal)));
    }

    [Fact]
    public void Resuming_names_what_is_wrong_with_the_checkpoint()
    {
        var (train, test, _) = SampleData.LoadDigits();
        Directory.CreateDirectory(_folder);
        string plain = Path.Combine(_folder, "plain.ngm");
        ModelFile.Save(new DigitsNet(seed: 1), plain);

        var error = new StringWriter();
        var settings = new TrainSettings(5, 32, 1, "adam", 0.003, 42, _folder, plain);
        Assert.Equal(ClassifierRun.ExitCodeBadInput, ClassifierRun.Run(ClassifierSpec.Digits, settings, train, test, new PlainDisplay(new StringWriter()), error));
        Assert.Equal($"error: cannot resume from {plain}: {Path.Combine(_folder, "plain.txt")} is missing: --resume needs the settings file the sample writes beside plain.ngm when Ctrl+C stops a run.", error.ToString().TrimEnd());

        File.WriteAllText(Path.Combine(_folder, "plain.txt"), "command=digits\nepochs=5\nbatch-size=32\noptimizer=adam\nlearning-rate=0.003\nseed=42\n");
        error = new StringWriter();
        Assert.Equal(ClassifierRun.ExitCodeBadInput, ClassifierRun.Run(ClassifierSpec.Digits, settings, train, test, new PlainDisplay(new StringWriter()), error));
        Assert.StartsWith($"error: {plain} holds parameters only, no training state to resume", error.ToString(), StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_folder, "plain.txt"), "command=fashion\nepochs=5\nbatch-size=32\noptimizer=adam\nlearning-rate=0.003\nseed=42\n");
        error = new StringWriter();
        Assert.Equal(ClassifierRun.ExitCodeBadInput, ClassifierRun.Run(ClassifierSpec.Digits, settings, train, test, new PlainDisplay(new StringWriter()), error));
        Assert.Equal($"error: {plain} is a checkpoint of the fashion command; resume it with `fashion --resume`.", error.ToString().TrimEnd());

        File.WriteAllText(Path.Combine(_folder, "plain.txt"), "command=digits\nepochs=five\nbatch-size=32\noptimizer=adam\nlearning-rate=0.003\nseed=42\n");
        error = new StringWriter();
        Assert.Equal(ClassifierRun.ExitCodeBadInput, ClassifierRun.Run(ClassifierSpec.Digits, settings, train, test, new PlainDisplay(new StringWriter()), error));
        Assert.Equal($"error: cannot resume from {plain}: {Path.Combine(_folder, "plain.txt")}: 'epochs=five' is not a whole number above 0.", error.ToString().TrimEnd());
    }

    [Fact]
    public void Resume_is_an_option_of_digits_and_fashion_that_keeps_the_saved_settings()
    {
        Directory.CreateDirectory(_folder);
        string checkpoint = Path.Combine(_folder, "digits-checkpoint.ngm");
        File.WriteAllText(checkpoint, "x");
        TrainSettings? received = null;
        var cli = new SampleCommandLine(train: (_, settings, _) => { received = settings; return 0; });

        Assert.Equal(0, cli.Invoke(["digits", "--resume", checkpoint, "--threads", "2", "--output", "o"]));
        Assert.Equal(new TrainSettings(30, 32, 2, "adam", 0.003, 42, "o", checkpoint), received);

        string missing = Path.Combine(_folder, "nothing.ngm");
        Assert.Equal([$"--resume: the checkpoint '{missing}' does not exist (Ctrl+C saves <output>/<command>-checkpoint.ngm)."],
            cli.Root.Parse(["fashion", "--resume", missing]).Errors.Select(e => e.Message));
        Assert.Equal(["--resume continues with the settings saved beside the checkpoint, so --epochs, --seed cannot be given with it (only --threads and --output can change)."],
            cli.Root.Parse(["digits", "--resume", checkpoint, "--epochs", "3", "--seed", "1"]).Errors.Select(e => e.Message));
        Assert.NotEmpty(cli.Root.Parse(["xor", "--resume", checkpoint]).Errors);
    }
}
