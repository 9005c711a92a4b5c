using System.Diagnostics;
using System.Globalization;
using NetGen;
using NetGen.CompilerServices;

namespace NetGen.Benchmarks;

/// <summary>
/// `compare`: measures the workloads W1-W4 with generated code and with the dynamic graph, runs the two peers
/// in the same session (PyTorch through bench/peer_pytorch.py, TorchSharp through NetGen.Benchmarks.TorchSharp
/// when it has been built), measures the machine's FMA ceilings, and prints one table of throughputs and ratios.
/// </summary>
internal static class Compare
{
    private static double s_seconds = 1.5;

    /// <summary>Where the peers are, found once the command line says a run needs them.</summary>
    private static PeerRepository? s_repository;

    private static readonly Workload[] Workloads =
    [
        new("W1 train b1", () => new W1Xor(1), () => new Sgd<float>(0.5), 1, true),
        new("W2 train b1", () => new W2Small(1), () => new Sgd<float>(0.1), 1, true),
        new("W2 train b16", () => new W2Small(1), () => new Sgd<float>(0.1), 16, true),
        new("W3 train b64", () => new W3Mnist(1), () => new Adam<float>(1e-3), 64, true),
        new("W3 infer b1", () => new W3Mnist(1), () => new Sgd<float>(0.1), 1, false),
        new("W3 infer b256", () => new W3Mnist(1), () => new Sgd<float>(0.1), 256, false),
        new("W4 train b256", () => new W4Deep(1), () => new Adam<float>(1e-3), 256, true),
    ];

    /// <summary>
    /// Workloads only `loop` runs (no peer has them): W3's one-sample inference through the network's own <c>Predict</c>
    /// (the compared "W3 infer b1" runs a <see cref="Predictor{T}"/>), W2's batch inference, small and larger than the caches (a
    /// sample-by-sample network's forward pass runs operation by operation over the batch), and the Fashion-MNIST race's
    /// training step, dropout on.
    /// </summary>
    private static readonly Workload[] LoopWorkloads =
    [
        new("W3 infer b1 Predict", () => new W3Mnist(1), () => new Sgd<float>(0.1), 1, false, ThroughNetworkPredict: true),
        new("W2 infer b256", () => new W2Small(1), () => new Sgd<float>(0.1), 256, false),
        new("W2 infer b65536", () => new W2Small(1), () => new Sgd<float>(0.1), 65536, false),
        new("Fashion train b128", () => new FashionRaceNet(1), () => new Adam<float>(1e-3), 128, true),
    ];

    public static int Run(string[] args)
    {
        s_seconds = BenchmarkOptions.Seconds(args, "--seconds", s_seconds);

        if (!CompareRounds.TryParse(args, out int roundCount, out string roundsError))
        {
            Console.Error.WriteLine(roundsError);
            return 2;
        }

        // A prefix of the workloads' names (several may start with it), refused when it starts none.
        string? only = WorkloadPrefix(args, "--only", Workloads);

        int[] threadCounts = [1, Environment.ProcessorCount];
        threadCounts = threadCounts.Distinct().ToArray();
        if (args.Contains("--phases"))
        {
            // Where a training step's time goes, per thread count: what limits the two-thread speed-up.
            foreach (var workload in Workloads.Where(w => w.Train && w.Batch > 1 && w.Name.StartsWith("W", StringComparison.Ordinal) && w.Name[1] >= '3'))
            {
                foreach (int threads in threadCounts)
                {
                    PrintPhases(workload, threads);
                }
            }

            return 0;
        }

        // Found before measuring, so a build outside the repository says so now, not after minutes of measuring.
        s_repository = PeerRepository.Locate(args, out string notFound);
        if (s_repository is null)
        {
            Console.Error.WriteLine(notFound);
            return 2;
        }

        Console.WriteLine(s_repository.Description);
        if (args.Contains("--kernels"))
        {
            // Only the matrix products against PyTorch's mm: the quick loop while tuning a kernel.
            var ceilings = FmaCeilings.Measure(s_seconds);
            var kernels = MeasureKernels();
            PrintKernels(kernels, RunPyTorch([1], kernelsOnly: true, only: null), RunTorchSharp([1], kernelsOnly: true, only: null), ceilings);
            return 0;
        }

        // Two-thread figures depend on where the host put the cores (one die or two): measured before and after.
        double? roundTripBefore = threadCounts.Max() > 1 ? CoreToCore.RoundTripNanoseconds() : null;
        var rounds = new List<Round>();
        for (int round = 0; round < roundCount; round++)
        {
            if (roundCount > 1)
            {
                Console.WriteLine($"Round {round + 1} of {roundCount}");
            }

            rounds.Add(MeasureRound(threadCounts, only, peersFirst: round % 2 == 1));
        }

        double? roundTripAfter = roundTripBefore is null ? null : CoreToCore.RoundTripNanoseconds();
        var kernel = only is null ? MeasureKernels() : [];
        var fmaCeilings = only is null ? FmaCeilings.Measure(s_seconds) : [];
        var generated = CompareRounds.Medians(rounds.Select(r => r.Generated));
        var dynamic = CompareRounds.Medians(rounds.Select(r => r.Dynamic));
        var peer = CompareRounds.Medians(rounds.Select(r => r.PyTorch));
        var torchSharp = CompareRounds.Medians(rounds.Select(r => r.TorchSharp));

        Console.WriteLine();
        string medians = roundCount > 1 ? $", medians of {roundCount} rounds" : string.Empty;
        Console.WriteLine($"Samples per second, {s_seconds} s per measurement{medians}, measured in one session on {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores; ratios: higher is better for NetGen.");
        Console.WriteLine();
        Console.WriteLine("| workload | threads | NetGen | dynamic graph | TorchSharp | PyTorch | NetGen / dynamic | NetGen / TorchSharp | NetGen / PyTorch |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((name, threads), rate) in generated)
        {
            double dyn = dynamic[(name, threads)];
            peer.TryGetValue((name, threads), out double torch);
            torchSharp.TryGetValue((name, threads), out double sharp);
            Console.WriteLine($"| {name} | {threads} | {rate:N0} | {dyn:N0} | {Figure(sharp, "N0")} | {Figure(torch, "N0")} | {rate / dyn:F1}x | {Ratio(rate, sharp)} | {Ratio(rate, torch)} |");
        }

        if (roundCount > 1)
        {
            PrintRoundRatios(rounds, generated.Keys);
        }

        if (generated.TryGetValue(("W3 infer b1", 1), out double single))
        {
            // One prediction reads every weight once: the rate it streams W3's first-layer weights (0.4 MB, held in
            // L2) against the rate one thread can read that much at all.
            const int weights = 784 * 128;
            double streamed = single * weights * sizeof(float) / 1e9;
            double readable = FmaCeilings.ReadRate(weights, s_seconds);
            Console.WriteLine();
            Console.WriteLine($"W3 infer b1 streams its {weights * sizeof(float) / 1e6:F2} MB of first-layer weights at {streamed:F1} GB/s; one thread reads that buffer (in L2) at {readable:F1} GB/s: {streamed / readable:P0}");
        }

        Console.WriteLine();
        foreach (var name in new[] { "W3 train b64", "W4 train b256" }.Where(n => generated.ContainsKey((n, 1))))
        {
            int most = threadCounts.Max();
            if (most > 1)
            {
                string each = roundCount > 1
                    ? " (rounds: " + string.Join(" · ", rounds.Select(r => (r.Generated[(name, most)] / r.Generated[(name, 1)]).ToString("F2", CultureInfo.InvariantCulture) + "x")) + ")"
                    : string.Empty;
                Console.WriteLine($"NetGen {name}: {most} threads / 1 thread = {generated[(name, most)] / generated[(name, 1)]:F2}x{each}");
            }
        }

        if (roundTripBefore is { } before && roundTripAfter is { } after)
        {
            Console.WriteLine($"A cache line's round trip between two threads: {before:F0} ns before the workloads, {after:F0} ns after (on the README's Zen 5 VM 100-170 ns with both threads on one die, 400-470 ns on two, where two-thread figures are lower)");
        }

        if (kernel.Count > 0)
        {
            // `--only` measures no products, so it prints no products table.
            PrintKernels(kernel, peer, torchSharp, fmaCeilings);
        }

        Console.WriteLine($"Generated source: W4 {GeneratorBenchmarks.GeneratedSize(GeneratorBenchmarks.W4Source):N0} characters, 10 layers {GeneratorBenchmarks.GeneratedSize(GeneratorBenchmarks.TenLayerSource):N0} characters");
        return 0;
    }

    /// <summary>One round's throughputs: NetGen's generated code and dynamic graph, then each peer, by (workload, threads).</summary>
    private sealed record Round(
        Dictionary<(string, int), double> Generated,
        Dictionary<(string, int), double> Dynamic,
        Dictionary<(string, int), double> PyTorch,
        Dictionary<(string, int), double> TorchSharp);

    /// <summary>
    /// Every workload with NetGen's generated code and its dynamic graph, and each peer once; odd rounds run the peers
    /// first, so neither side always meets the machine's first minutes.
    /// </summary>
    private static Round MeasureRound(int[] threadCounts, string? only, bool peersFirst)
    {
        Dictionary<(string, int), double> pyTorch = [], torchSharp = [];
        void MeasurePeers()
        {
            pyTorch = RunPyTorch(threadCounts, kernelsOnly: false, only);
            torchSharp = RunTorchSharp(threadCounts, kernelsOnly: false, only);
        }

        if (peersFirst)
        {
            MeasurePeers();
        }

        var generated = new Dictionary<(string, int), double>();
        var dynamic = new Dictionary<(string, int), double>();
        foreach (int threads in threadCounts)
        {
            foreach (var workload in Workloads.Where(w => (w.Train || threads == 1) && (only is null || StartsWith(w, only))))
            {
                generated[(workload.Name, threads)] = Measure(workload, Engine.Generated, threads);
                dynamic[(workload.Name, threads)] = Measure(workload, Engine.Dynamic, threads);
                Console.WriteLine($"{workload.Name,-14} threads {threads}: generated {generated[(workload.Name, threads)],14:N0}, dynamic {dynamic[(workload.Name, threads)],14:N0} samples/s");
            }
        }

        if (!peersFirst)
        {
            MeasurePeers();
        }

        return new Round(generated, dynamic, pyTorch, torchSharp);
    }

    /// <summary>NetGen against each peer round by round (each ratio from one round's side-by-side measurements).</summary>
    private static void PrintRoundRatios(List<Round> rounds, IEnumerable<(string, int)> keys)
    {
        static string Each(List<Round> rounds, (string, int) key, Func<Round, Dictionary<(string, int), double>> peer) =>
            string.Join(" · ", rounds.Select(r => peer(r).TryGetValue(key, out double theirs) ? Ratio(r.Generated[key], theirs) : "n/a"));

        Console.WriteLine();
        Console.WriteLine("| workload | threads | NetGen / TorchSharp, round by round | NetGen / PyTorch, round by round |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var key in keys)
        {
            Console.WriteLine($"| {key.Item1} | {key.Item2} | {Each(rounds, key, r => r.TorchSharp)} | {Each(rounds, key, r => r.PyTorch)} |");
        }
    }

    private static Dictionary<string, double> MeasureKernels() => new()
    {
        ["gemm 256x784x512"] = GemmGflops(256, 784, 512),
        ["gemm 256x512x512"] = GemmGflops(256, 512, 512),
        ["gemm-dW 256x784x512"] = BackwardGflops(256, 784, 512, weights: true),
        ["gemm-dX 256x784x512"] = BackwardGflops(256, 784, 512, weights: false),
        ["gemm-dW 256x512x512"] = BackwardGflops(256, 512, 512, weights: true),
        ["gemm-dX 256x512x512"] = BackwardGflops(256, 512, 512, weights: false),
    };

    private static void PrintKernels(Dictionary<string, double> kernel, Dictionary<(string, int), double> peer, Dictionary<(string, int), double> torchSharp, Dictionary<int, double> ceilings)
    {
        Console.WriteLine();
        foreach (var (bits, gflops) in ceilings)
        {
            Console.WriteLine($"FMA ceiling, {bits}-bit vectors, 1 thread, {FmaCeilings.Chains} independent chains: {gflops:F1} GFLOP/s");
        }

        // The kernels run at the width the runtime chose (NETGEN_MAX_VECTOR_BITS may cap it), so that width's ceiling
        // is the one they can reach: a 256-bit run on an AVX-512 machine is not measured against the 512-bit ceiling.
        int kernelBits = VectorWidth.Bits;
        double ceiling = ceilings.GetValueOrDefault(kernelBits);
        Console.WriteLine();
        Console.WriteLine($"| product (1 thread, GFLOP/s) | NetGen | % of {kernelBits}-bit FMA ceiling | TorchSharp mm | PyTorch mm | NetGen / TorchSharp | NetGen / PyTorch |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, gflops) in kernel)
        {
            peer.TryGetValue((name, 1), out double torch);
            torchSharp.TryGetValue((name, 1), out double sharp);
            string product = name.StartsWith("gemm-dW", StringComparison.Ordinal) ? "dW += dZᵀ·X"
                : name.StartsWith("gemm-dX", StringComparison.Ordinal) ? "dX = dZ·W" : "Z = X·Wᵀ + b";
            string shape = name[(name.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            string share = ceiling > 0 ? (gflops / ceiling).ToString("P0", CultureInfo.InvariantCulture) : "n/a";
            Console.WriteLine($"| {product} {shape} | {gflops:F1} | {share} | {Figure(sharp, "F1")} | {Figure(torch, "F1")} | {Ratio(gflops, sharp)} | {Ratio(gflops, torch)} |");
        }
    }

    private static string Figure(double value, string format) => value > 0 ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double ours, double theirs) => theirs > 0 ? (ours / theirs).ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a";

    private static void PrintPhases(Workload workload, int threads)
    {
        using var c = new WorkloadCase(workload.Network(), Engine.Generated, workload.Optimizer(), workload.Batch, threads);
        var phases = new double[3];
        long steps = 0;
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 0.5)
        {
            c.TrainInPhases();
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < s_seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            c.ComputeGradient();
            long t1 = Stopwatch.GetTimestamp();
            c.ScaleGradient();
            long t2 = Stopwatch.GetTimestamp();
            c.StepOptimizer();
            long t3 = Stopwatch.GetTimestamp();
            phases[0] += t1 - t0;
            phases[1] += t2 - t1;
            phases[2] += t3 - t2;
            steps++;
        }

        double Ms(double ticks) => ticks * 1000.0 / Stopwatch.Frequency / steps;
        double fused = Rate(() => c.Train(), 1);
        Console.WriteLine($"{workload.Name}, {threads} thread(s): gradient {Ms(phases[0]):F3} ms, mean {Ms(phases[1]):F3} ms, optimizer step {Ms(phases[2]):F3} ms per batch in three phases; {1000 / fused:F3} ms fused (ComputeAndStep)");
    }

    /// <summary>
    /// `loop --only NAME [--threads T] [--seconds S] [--inlining]`: runs one workload's step (generated code) in a loop and
    /// prints its rate, for a profiler to attach to (`perf record` with <c>DOTNET_PerfMapEnabled=1</c>); with
    /// `--inlining`, then the JIT's inlining failures in NetGen's methods (<see cref="InliningReport"/>).
    /// </summary>
    public static int Loop(string[] args)
    {
        Workload[] candidates = [.. Workloads, .. LoopWorkloads];
        var workload = NamedWorkload(args, "--only", candidates) ?? throw new OptionException($"loop needs --only and the start of one of: {Names(candidates)}");
        int threads = BenchmarkOptions.WholeNumber(args, "--threads", "threads", fallback: 1);
        var engine = BenchmarkOptions.OneOf(args, "--engine", "generated", "generated", "dynamic") == "dynamic" ? Engine.Dynamic : Engine.Generated;
        double seconds = BenchmarkOptions.Seconds(args, "--seconds", 10);
        if (NamedWorkload(args, "--after", candidates) is { } first)
        {
            // Another network trained first, as in `compare` (W1 before W2): the engine's shared code is then tiered up
            // and profiled on that network, and the workload runs with what the JIT made of it.
            s_seconds = 2;
            Console.WriteLine($"{first.Name} first: {Measure(first, engine, threads):N0} samples/s");
        }

        s_seconds = seconds;
        using var inlining = args.Contains("--inlining") ? new InliningReport() : null;
        double rate = Measure(workload, engine, threads);
        Console.WriteLine($"{workload.Name}, {engine}, {threads} thread(s): {rate:N0} samples/s");
        inlining?.Print(Console.Out);
        return 0;
    }

    private static string Names(IEnumerable<Workload> workloads) => string.Join(", ", workloads.Select(w => w.Name));

    /// <summary>
    /// The first of <paramref name="candidates"/> whose name starts with option <paramref name="name"/>'s value; null when
    /// the option is absent.
    /// </summary>
    /// <exception cref="OptionException">The value starts no candidate's name.</exception>
    private static Workload? NamedWorkload(string[] args, string name, Workload[] candidates) =>
        WorkloadPrefix(args, name, candidates) is { } start ? candidates.First(w => StartsWith(w, start)) : null;

    /// <summary>Option <paramref name="name"/>'s value, the start of at least one of <paramref name="candidates"/>' names; null when the option is absent.</summary>
    /// <exception cref="OptionException">The value starts no candidate's name.</exception>
    private static string? WorkloadPrefix(string[] args, string name, Workload[] candidates)
    {
        string? start = BenchmarkOptions.Text(args, name);
        return start is null || candidates.Any(w => StartsWith(w, start)) ? start
            : throw new OptionException($"{name} '{start}' starts no workload's name; give the start of one of: {Names(candidates)}");
    }

    private static bool StartsWith(Workload workload, string start) => workload.Name.StartsWith(start, StringComparison.Ordinal);

    private static double Measure(Workload workload, Engine engine, int threads)
    {
        using var c = new WorkloadCase(workload.Network(), engine, workload.Optimizer(), workload.Batch, threads, packedPrediction: !workload.ThroughNetworkPredict);
        return workload.Train ? Rate(() => c.Train(), workload.Batch) : Rate(() => c.Infer(), workload.Batch);
    }

    private static double GemmGflops(int m, int k, int n)
    {
        var random = new DeterministicRandom(1);
        var x = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        var w = Enumerable.Range(0, n * k).Select(_ => (float)random.NextDouble()).ToArray();
        var b = new float[n];
        var z = new float[m * n];
        double stepsPerSecond = Rate(() => { DenseKernels.Forward<float>(x, k, w, b, z, n, m, n, k); return z[0]; }, 1);
        return stepsPerSecond * 2.0 * m * n * k / 1e9;
    }

    private static double BackwardGflops(int m, int k, int n, bool weights)
    {
        var random = new DeterministicRandom(2);
        var dz = Enumerable.Range(0, m * n).Select(_ => (float)random.NextDouble()).ToArray();
        var x = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        var w = Enumerable.Range(0, n * k).Select(_ => (float)random.NextDouble()).ToArray();
        var db = new float[n];
        var dx = new float[m * k];
        double stepsPerSecond = weights
            ? Rate(() => { DenseKernels.AccumulateWeightGradient<float>(dz, n, x, k, w, db, m, n, k); return w[0]; }, 1)
            : Rate(() => { DenseKernels.InputGradient<float>(dz, n, w, dx, k, m, n, k); return dx[0]; }, 1);
        return stepsPerSecond * 2.0 * m * n * k / 1e9;
    }

    private static double Rate(Func<float> step, int samplesPerStep)
    {
        SteadyWarmup.Run(() => step());

        long steps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < s_seconds)
        {
            for (int i = 0; i < 8; i++)
            {
                step();
            }

            steps += 8;
        }

        return steps * samplesPerStep / clock.Elapsed.TotalSeconds;
    }

    private static Dictionary<(string, int), double> RunPyTorch(int[] threadCounts, bool kernelsOnly, string? only)
    {
        var start = new ProcessStartInfo("/usr/bin/python3");
        start.ArgumentList.Add(s_repository!.PyTorchScript);
        return RunPeer("pytorch", start, threadCounts, kernelsOnly, only, "Install it with: apt-get install python3-torch python3-threadpoolctl libopenblas0-pthread");
    }

    private static Dictionary<(string, int), double> RunTorchSharp(int[] threadCounts, bool kernelsOnly, string? only)
    {
        // A separate program, so neither this project nor NetGen.sln restores LibTorch; it runs only once built.
        string program = s_repository!.TorchSharpProgram;
        const string build = "Build it with: dotnet build -c Release NetGen.Benchmarks.TorchSharp (on Debian 12 then run ../shared/tools/torchsharp-on-debian12.sh and start compare with the LD_PRELOAD it prints)";
        if (!File.Exists(program))
        {
            Console.WriteLine($"The TorchSharp peer is not built ({program} does not exist). " + build);
            return [];
        }

        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(program);
        return RunPeer("torchsharp", start, threadCounts, kernelsOnly, only, build);
    }

    /// <summary>Runs a peer that prints `workload,threads,rate` lines (and `#` comments); returns the rates.</summary>
    private static Dictionary<(string, int), double> RunPeer(string label, ProcessStartInfo start, int[] threadCounts, bool kernelsOnly, string? only, string help)
    {
        var result = new Dictionary<(string, int), double>();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.ArgumentList.Add("--seconds");
        start.ArgumentList.Add(s_seconds.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(string.Join(",", threadCounts));
        if (kernelsOnly)
        {
            start.ArgumentList.Add("--kernels");
        }

        if (only is not null)
        {
            start.ArgumentList.Add("--only");
            start.ArgumentList.Add(only);
        }

        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"The {label} peer failed ({process.ExitCode}): {errors.Result.Trim()}");
                Console.WriteLine(help);
                return result;
            }

            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Console.WriteLine(label + " " + line);
                var parts = line.Split(',');
                if (parts.Length == 3 && !line.StartsWith('#'))
                {
                    result[(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture))] = double.Parse(parts[2], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            Console.WriteLine($"Cannot start {start.FileName} for the {label} peer: {error.Message}");
        }

        return result;
    }
}

/// <summary>One workload of `compare` and `loop`.</summary>
/// <param name="Name">How the tables and the peers name it.</param>
/// <param name="Network">Creates its network.</param>
/// <param name="Optimizer">Creates its optimizer.</param>
/// <param name="Batch">Samples per step.</param>
/// <param name="Train">True for a training step, false for inference.</param>
/// <param name="ThroughNetworkPredict">For inference of one sample: true to call the network's <c>Predict</c>, false to run a
/// <see cref="Predictor{T}"/> (the packed copy a served model would use).</param>
internal sealed record Workload(string Name, Func<INetwork<float>> Network, Func<Optimizer<float>> Optimizer, int Batch, bool Train, bool ThroughNetworkPredict = false);
