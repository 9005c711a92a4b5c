using System.Security.Cryptography;
using System.Runtime.InteropServices;
using NetGen.Mpi;

namespace NetGen.Sample.Runs;

/// <summary>
/// <c>distributed</c>: trains the digits classifier data-parallel over the processes of an MPI job, e.g.
/// <c>mpiexec -n 2 dotnet NetGen.Sample.dll distributed</c>. Rank 0 reports and saves the model; every rank prints a
/// fingerprint of its weights, so a run shows that the replicas stayed identical.
/// </summary>
internal static class DistributedRun
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(TrainSettings settings, TextWriter output, TextWriter error)
    {
        if (!MpiCommunicator.IsLibraryAvailable)
        {
            error.WriteLine("distributed needs Open MPI: apt-get install openmpi-bin libopenmpi-dev, then run it with mpiexec -n 2.");
            return 2;
        }

        using var world = MpiCommunicator.InitializeWorld();
        var (train, test, _) = SampleData.LoadDigits();
        var net = new DigitsNet(settings.Seed);
        IProgress<EpochReport>? progress = world.Rank == 0
            ? new SynchronousProgress<EpochReport>(r => output.WriteLine($"epoch {r.Epoch,3}/{r.EpochCount}  loss {r.TrainingLoss:F4}  {r.Elapsed.TotalMilliseconds:F0} ms"))
            : null;
        if (world.Rank == 0)
        {
            output.WriteLine($"digits on {world.Size} processes x {settings.Threads} threads: global batch {settings.BatchSize}, {settings.DescribeOptimizer()}, seed {settings.Seed}");
        }

        using (var trainer = new DistributedTrainer<float>(world, net, settings.CreateOptimizer(), settings.BatchSize, settings.Seed, settings.Threads))
        {
            trainer.Fit(train, settings.Epochs, progress);
        }

        output.WriteLine($"rank {world.Rank}/{world.Size} weights sha256 {Fingerprint(net.Parameters)}");
        if (world.Rank == 0)
        {
            output.WriteLine($"test accuracy: {Evaluation.Evaluate(net, test).Accuracy:F4}");
            Directory.CreateDirectory(settings.OutputFolder);
            string path = Path.Combine(settings.OutputFolder, "digits-distributed.ngm");
            ModelFile.Save(net, path);
            output.WriteLine($"model saved to {path}");
        }

        return 0;
    }

    /// <summary>SHA-256 of the parameters' bytes: equal on two processes only if every weight is bit-identical.</summary>
    public static string Fingerprint(ReadOnlySpan<float> parameters) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(parameters)));

    /// <summary>Reports on the caller's thread, in order (Progress would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
