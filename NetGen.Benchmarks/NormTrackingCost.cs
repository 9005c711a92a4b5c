using System.Diagnostics;
using NetGen;

namespace NetGen.Benchmarks;

/// <summary>
/// `norm-cost`: what measuring the per-layer gradient and weight norms (<see cref="TrainerOptions.NormTracking"/>,
/// on by default) costs in training throughput. Each workload trains one epoch with the norms off, then one with
/// them on, alternating, on the same data, after a warm-up round; the ratio of the medians is printed.
/// </summary>
internal static class NormTrackingCost
{
    private static readonly (string Name, Func<INetwork<float>> Network, Func<Optimizer<float>> Optimizer, int Batch, int Samples)[] Workloads =
    [
        ("W1 train b1", () => new W1Xor(1), () => new Sgd<float>(0.5), 1, 200_000),
        ("W2 train b16", () => new W2Small(1), () => new Sgd<float>(0.1), 16, 1_000_000),
        ("W3 train b64", () => new W3Mnist(1), () => new Adam<float>(1e-3), 64, 10_000),
        ("W4 train b256", () => new W4Deep(1), () => new Adam<float>(1e-3), 256, 4_096),
    ];

    public static int Run(int rounds = 7)
    {
        Console.WriteLine($"samples/s over one epoch, median of {rounds} alternating rounds, 1 thread");
        Console.WriteLine($"{"workload",-14} {"norms off",14} {"norms on",14} {"on/off",8}");
        foreach (var workload in Workloads)
        {
            var network = workload.Network();
            var data = RandomData(network, workload.Samples);
            // A warm-up round of each, so tiered compilation has finished before measuring.
            Throughput(network, workload.Optimizer(), workload.Batch, data, NormTracking.Off);
            Throughput(network, workload.Optimizer(), workload.Batch, data, NormTracking.PerEpoch);
            var off = new List<double>();
            var on = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                off.Add(Throughput(network, workload.Optimizer(), workload.Batch, data, NormTracking.Off));
                on.Add(Throughput(network, workload.Optimizer(), workload.Batch, data, NormTracking.PerEpoch));
            }

            double offMedian = Median(off), onMedian = Median(on);
            Console.WriteLine($"{workload.Name,-14} {offMedian,14:N0} {onMedian,14:N0} {onMedian / offMedian,8:F3}");
        }

        return 0;
    }

    private static double Throughput(INetwork<float> network, Optimizer<float> optimizer, int batch, Dataset<float> data, NormTracking tracking)
    {
        using var trainer = new Trainer<float>(network, optimizer, batch, seed: 1, new TrainerOptions { NormTracking = tracking });
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(data, epochs: 1);
        return data.Count / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Uniform inputs in [0, 1) and one-hot (or 0/1) targets from a fixed seed.</summary>
    private static Dataset<float> RandomData(INetwork<float> network, int samples)
    {
        var random = new DeterministicRandom(3);
        var features = new float[samples * network.InputSize];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        var targets = new float[samples * network.OutputSize];
        for (int i = 0; i < samples; i++)
        {
            targets[(i * network.OutputSize) + random.NextInt32(network.OutputSize)] = 1;
        }

        return new Dataset<float>(features, network.InputSize, targets, network.OutputSize);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
