using System.Diagnostics;
using System.Globalization;
using NetGen.Mpi;

namespace NetGen.Benchmarks;

/// <summary>
/// `mpi`: W4 training throughput of <see cref="DistributedTrainer{T}"/> on this MPI job, for comparing process
/// counts side by side, e.g. `mpiexec -n 1 dotnet NetGen.Benchmarks.dll mpi --threads 2` against
/// `mpiexec -n 2 dotnet NetGen.Benchmarks.dll mpi --threads 1`. Global batch 256, Adam 1e-3, 4,096 random samples
/// per epoch; one warm-up epoch, then the mean of the timed ones.
/// </summary>
internal static class MpiScaling
{
    private const int GlobalBatch = 256;
    private const int Samples = 4096;

    public static int Run(string[] args)
    {
        int threads = BenchmarkOptions.WholeNumber(args, "--threads", "threads", fallback: 1);
        int epochs = BenchmarkOptions.WholeNumber(args, "--epochs", "epochs", fallback: 5);
        using var world = MpiCommunicator.InitializeWorld();
        var net = new W4Deep(1);
        var random = new DeterministicRandom(3);
        var features = new float[Samples * W4Deep.InputSize];
        var targets = new float[Samples * W4Deep.OutputSize];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        for (int s = 0; s < Samples; s++)
        {
            targets[s * W4Deep.OutputSize + random.NextInt32(W4Deep.OutputSize)] = 1;
        }

        var data = new Dataset<float>(features, W4Deep.InputSize, targets, W4Deep.OutputSize);
        using var trainer = new DistributedTrainer<float>(world, net, new Adam<float>(1e-3), GlobalBatch, seed: 1, threads);
        trainer.Fit(data, 1);
        world.Barrier();
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(data, epochs);
        world.Barrier();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (world.Rank == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"W4 train b{GlobalBatch}: {world.Size} process(es) x {threads} thread(s): {Samples * epochs / seconds:N0} samples/s ({seconds / epochs * 1000:F0} ms per epoch of {Samples})"));
        }

        return 0;
    }
}
