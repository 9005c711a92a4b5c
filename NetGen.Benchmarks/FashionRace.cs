using System.Diagnostics;
using System.Globalization;
using NetGen;

namespace NetGen.Benchmarks;

/// <summary>
/// `race`: the Fashion-MNIST race of issue 10. The sample's FashionNet setup (784-256-128-10 ReLU with dropout 0.2 and
/// 0.1, Adam 0.001 with a cosine schedule to 1e-5, batch 128, pixels / 255, all 60,000 training images) trained by
/// NetGen and by TorchSharp (NetGen.Benchmarks.TorchSharp --fashion) with the same threads; after every epoch both
/// measure the test accuracy outside the timed training. Prints each epoch's training seconds and test accuracy, the
/// mean seconds per epoch and the training seconds until the test accuracy first reaches 0.88.
/// </summary>
internal static class FashionRace
{
    /// <summary>The accuracy the race runs to.</summary>
    public const double TargetAccuracy = 0.88;

    public static int Run(string[] args)
    {
        string folder = BenchmarkOptions.Text(args, "--data") ?? "/usr/share/datasets/fashion-mnist";
        int epochs = BenchmarkOptions.WholeNumber(args, "--epochs", "epochs", fallback: 10);
        int threads = BenchmarkOptions.WholeNumber(args, "--threads", "threads", fallback: Environment.ProcessorCount);
        string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
        if (files.Any(f => !File.Exists(Path.Combine(folder, f))))
        {
            Console.Error.WriteLine($"Fashion-MNIST is not in {folder} (need {string.Join(", ", files)}): apt-get install dataset-fashion-mnist, or pass --data FOLDER.");
            return 2;
        }

        var repository = PeerRepository.Locate(args, out string notFound);
        if (repository is null)
        {
            Console.Error.WriteLine(notFound);
            return 2;
        }

        Console.WriteLine(repository.Description);
        var train = IdxReader.ReadDataset<float>(Path.Combine(folder, files[0]), Path.Combine(folder, files[1]), classCount: 10);
        var test = IdxReader.ReadDataset<float>(Path.Combine(folder, files[2]), Path.Combine(folder, files[3]), classCount: 10);
        Console.WriteLine($"Fashion-MNIST race: {train.Count:N0} training and {test.Count:N0} test images, {epochs} epochs, batch 128, Adam 0.001 with a cosine schedule to 1e-5, {threads} thread(s)");

        var netGen = RunNetGen(train, test, epochs, threads);
        var torchSharp = RunTorchSharp(repository.TorchSharpProgram, folder, epochs, threads);

        Console.WriteLine();
        Console.WriteLine("| epoch | NetGen s | NetGen test accuracy | TorchSharp s | TorchSharp test accuracy |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        for (int e = 0; e < epochs; e++)
        {
            string sharp = e < torchSharp.Count ? string.Create(CultureInfo.InvariantCulture, $"{torchSharp[e].Seconds:F2} | {torchSharp[e].Accuracy:F4}") : "n/a | n/a";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {e + 1} | {netGen[e].Seconds:F2} | {netGen[e].Accuracy:F4} | {sharp} |"));
        }

        Console.WriteLine();
        Summarize("NetGen", netGen);
        Summarize("TorchSharp", torchSharp);
        if (torchSharp.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds per epoch, TorchSharp / NetGen: {torchSharp.Average(r => r.Seconds) / netGen.Average(r => r.Seconds):F2}x"));
        }

        return 0;
    }

    private static List<(double Seconds, double Accuracy)> RunNetGen(Dataset<float> train, Dataset<float> test, int epochs, int threads)
    {
        var net = new FashionRaceNet(seed: 1);
        var options = new TrainerOptions { Threads = threads, Schedule = LearningRateSchedule.Cosine(epochs, 1e-5) };
        using var trainer = new Trainer<float>(net, new Adam<float>(1e-3), batchSize: 128, seed: 1, options);
        var results = new List<(double Seconds, double Accuracy)>();
        // The report's Elapsed is the epoch's training alone (no validation set is given); the test set is
        // evaluated inside the callback, after the epoch's clock stopped.
        trainer.Fit(train, epochs, progress: new Callback(report =>
        {
            double accuracy = Evaluation.Evaluate(net, test).Accuracy ?? 0;
            results.Add((report.Elapsed.TotalSeconds, accuracy));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"netgen epoch {report.Epoch}: {report.Elapsed.TotalSeconds:F2} s, test accuracy {accuracy:F4}"));
        }));
        return results;
    }

    private static List<(double Seconds, double Accuracy)> RunTorchSharp(string program, string folder, int epochs, int threads)
    {
        var results = new List<(double Seconds, double Accuracy)>();
        if (!File.Exists(program))
        {
            Console.WriteLine($"The TorchSharp peer is not built ({program} does not exist): dotnet build -c Release NetGen.Benchmarks.TorchSharp (on Debian 12 then ../shared/tools/torchsharp-on-debian12.sh and its LD_PRELOAD)");
            return results;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (string argument in new[] { program, "--fashion", folder, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            Console.WriteLine("torchsharp " + line);
            var parts = line.Split(',');
            if (parts.Length == 4 && parts[0] == "fashion")
            {
                results.Add((double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture)));
            }
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"The TorchSharp peer failed ({process.ExitCode}).");
        }

        return results;
    }

    private static void Summarize(string name, List<(double Seconds, double Accuracy)> epochs)
    {
        if (epochs.Count == 0)
        {
            return;
        }

        int reached = epochs.FindIndex(r => r.Accuracy >= TargetAccuracy);
        string toTarget = reached < 0 ? $"not reached in {epochs.Count} epochs (best {epochs.Max(r => r.Accuracy):F4})"
            : string.Create(CultureInfo.InvariantCulture, $"{epochs.Take(reached + 1).Sum(r => r.Seconds):F1} s of training (epoch {reached + 1})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {epochs.Average(r => r.Seconds):F2} s per epoch; test accuracy {TargetAccuracy:F2} after {toTarget}; final {epochs[^1].Accuracy:F4}"));
    }

    /// <summary>An <see cref="IProgress{T}"/> that runs on the trainer's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Callback(Action<EpochReport> action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => action(value);
    }
}
