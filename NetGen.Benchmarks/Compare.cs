using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using NetGen;

namespace NetGen.Benchmarks;

/// <summary>
/// `compare`: measures NetGen on the workloads W1-W4 and runs the PyTorch peer (bench/peer_pytorch.py) in
/// the same session, then prints one table of throughputs and ratios (NetGen / PyTorch, higher is better).
/// </summary>
internal static class Compare
{
    private static double s_seconds = 1.5;

    public static int Run(string[] args)
    {
        int index = Array.IndexOf(args, "--seconds");
        if (index >= 0 && index + 1 < args.Length)
        {
            s_seconds = double.Parse(args[index + 1], CultureInfo.InvariantCulture);
        }

        int[] threadCounts = [1, 2];
        var netgen = new Dictionary<(string, int), double>();
        foreach (int threads in threadCounts)
        {
            foreach (var (name, rate) in MeasureNetGen(threads))
            {
                netgen[(name, threads)] = rate;
                Console.WriteLine($"netgen  {name,-14} threads {threads}: {rate,14:N0} samples/s");
            }
        }

        var peer = RunPeer(threadCounts);
        Console.WriteLine();
        Console.WriteLine($"NetGen vs PyTorch eager, samples per second, {s_seconds} s per measurement, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"| workload | threads | NetGen | PyTorch | NetGen / PyTorch |");
        Console.WriteLine($"| --- | --- | ---: | ---: | ---: |");
        foreach (var ((name, threads), rate) in netgen)
        {
            string peerText = peer.TryGetValue((name, threads), out double peerRate) ? peerRate.ToString("N0", CultureInfo.InvariantCulture) : "n/a";
            string ratio = peerRate > 0 ? (rate / peerRate).ToString("F1", CultureInfo.InvariantCulture) + "x" : "n/a";
            Console.WriteLine($"| {name} | {threads} | {rate:N0} | {peerText} | {ratio} |");
        }

        foreach (var name in new[] { "W3 train b64", "W4 train b256" })
        {
            if (netgen.TryGetValue((name, 1), out double one) && netgen.TryGetValue((name, 2), out double two))
            {
                Console.WriteLine($"NetGen {name}: 2 threads / 1 thread = {two / one:F2}x");
            }
        }

        return 0;
    }

    private static IEnumerable<(string Name, double SamplesPerSecond)> MeasureNetGen(int threads)
    {
        yield return ("W1 train b1", Train(new W1Xor(1), new Sgd<float>(0.5), 1, threads));
        yield return ("W2 train b1", Train(new W2Small(1), new Sgd<float>(0.1), 1, threads));
        yield return ("W2 train b16", Train(new W2Small(1), new Sgd<float>(0.1), 16, threads));
        yield return ("W3 train b64", Train(new W3Mnist(1), new Adam<float>(1e-3), 64, threads));
        if (threads == 1)
        {
            // Inference is one call on the caller's thread.
            yield return ("W3 infer b1", Infer(new W3Mnist(1), 1));
            yield return ("W3 infer b256", Infer(new W3Mnist(1), 256));
        }

        yield return ("W4 train b256", Train(new W4Deep(1), new Adam<float>(1e-3), 256, threads));
    }

    /// <summary>Training throughput: forward + backward (on <paramref name="threads"/> threads) + update, per sample.</summary>
    private static double Train(INetwork<float> net, Optimizer<float> optimizer, int batch, int threads)
    {
        optimizer.Initialize(net.ParameterCount);
        var (inputs, targets) = RandomBatch(net, batch);
        var gradient = new float[net.ParameterCount];
        using var engine = new ParallelGradient<float>(net, batch, threads);
        float scale = 1f / batch;
        return Measure(() =>
        {
            engine.Compute(inputs, targets, gradient, training: true, dropoutSeed: 0);
            TensorPrimitives.Multiply(gradient, scale, gradient);
            optimizer.Step(net.Parameters, gradient);
        }, batch);
    }

    private static double Infer(INetwork<float> net, int batch)
    {
        var (inputs, _) = RandomBatch(net, batch);
        var outputs = new float[batch * net.OutputSize];
        var workspace = net.CreateWorkspace(batch);
        return batch == 1
            ? Measure(() => net.Predict(inputs, outputs), 1)
            : Measure(() => net.Forward(inputs, outputs, workspace), batch);
    }

    private static double Measure(Action step, int samplesPerStep)
    {
        for (int i = 0; i < 20; i++)
        {
            step();
        }

        long steps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < s_seconds)
        {
            for (int i = 0; i < 16; i++)
            {
                step();
            }

            steps += 16;
        }

        return steps * samplesPerStep / clock.Elapsed.TotalSeconds;
    }

    private static (float[] Inputs, float[] Targets) RandomBatch(INetwork<float> net, int batch)
    {
        var random = new DeterministicRandom(7);
        var inputs = new float[batch * net.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        var targets = new float[batch * net.OutputSize];
        for (int s = 0; s < batch; s++)
        {
            targets[(s * net.OutputSize) + random.NextInt32(net.OutputSize)] = 1;
        }

        return (inputs, targets);
    }

    private static Dictionary<(string, int), double> RunPeer(int[] threadCounts)
    {
        var result = new Dictionary<(string, int), double>();
        string script = Path.Combine(FindRepositoryRoot(), "bench", "peer_pytorch.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--seconds");
        start.ArgumentList.Add(s_seconds.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(string.Join(",", threadCounts));
        try
        {
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"The PyTorch peer failed ({process.ExitCode}): {errors.Trim()}");
                Console.WriteLine("Install it with: apt-get install python3-torch python3-threadpoolctl libopenblas0-pthread");
                return result;
            }

            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Console.WriteLine("pytorch " + line);
                var parts = line.Split(',');
                if (parts.Length == 3 && !line.StartsWith('#'))
                {
                    result[(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture))] = double.Parse(parts[2], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            Console.WriteLine($"Cannot start /usr/bin/python3 for the PyTorch peer: {error.Message}");
        }

        return result;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
