using System.Diagnostics;
using System.Globalization;
using NetGen.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

// The TorchSharp peer of `compare` (NetGen.Benchmarks): the workloads of NetGen.Benchmarks/Workloads.cs and W4's
// matrix products, in TorchSharp eager mode, printed as CSV lines `workload,threads,samples_per_second` (GFLOP/s
// for the products), the same format as bench/peer_pytorch.py.
//   dotnet NetGen.Benchmarks.TorchSharp/bin/Release/net10.0/NetGen.Benchmarks.TorchSharp.dll [--seconds S] [--threads 1,2] [--kernels] [--only W4]
//   ... --fashion FOLDER --epochs E --threads T   (the Fashion-MNIST race of `race`)
// `compare` runs it when it has been built; on Debian 12 it needs the LD_PRELOAD that
// ../shared/tools/torchsharp-on-debian12.sh prints.
double seconds;
string only;
bool kernelsOnly = args.Contains("--kernels");
int[] threadCounts;
try
{
    if (BenchmarkOptions.Text(args, "--fashion") is { } folder)
    {
        // The Fashion-MNIST race (`race` in NetGen.Benchmarks): --fashion FOLDER --epochs E --threads T.
        return FashionRace.Run(
            folder,
            BenchmarkOptions.WholeNumber(args, "--epochs", "epochs", fallback: 10),
            BenchmarkOptions.WholeNumber(args, "--threads", "threads", fallback: Environment.ProcessorCount));
    }

    seconds = BenchmarkOptions.Seconds(args, "--seconds", 1.5);
    only = BenchmarkOptions.Text(args, "--only") ?? "";
    threadCounts = BenchmarkOptions.WholeNumberList(args, "--threads", "threads", [1, 2]);
}
catch (OptionException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

Console.WriteLine($"# TorchSharp {typeof(torch).Assembly.GetName().Version}, LibTorch {torch.__version__}, seconds per measurement {seconds.ToString(CultureInfo.InvariantCulture)}");
torch.random.manual_seed(0);
foreach (int threads in threadCounts)
{
    torch.set_num_threads(threads);
    if (!kernelsOnly)
    {
        foreach (var (name, step, samples) in Peer.Workloads())
        {
            if (name.StartsWith(only, StringComparison.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name},{threads},{Peer.Measure(step, samples, seconds):F1}"));
            }
        }
    }

    if (threads == 1 && only.Length == 0)
    {
        foreach (var (name, step, gflop) in Peer.Products())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name},{threads},{Peer.Measure(step, gflop, seconds):F2}"));
        }
    }
}

return 0;

/// <summary>The workloads and products, each as a step that leaves no tensor behind.</summary>
internal static class Peer
{
    /// <summary>Runs <paramref name="step"/> for about <paramref name="seconds"/> after the warm-up `compare` gives NetGen (<c>SteadyWarmup</c>); returns units per second.</summary>
    public static double Measure(Action step, double unitsPerStep, double seconds)
    {
        NetGen.Benchmarks.SteadyWarmup.Run(step);

        long steps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            step();
            steps++;
        }

        return steps * unitsPerStep / clock.Elapsed.TotalSeconds;
    }

    public static IEnumerable<(string Name, Action Step, double Samples)> Workloads()
    {
        var crossEntropy = nn.CrossEntropyLoss();

        var w1 = Mlp([2, 2, 1], Activation.Sigmoid, Activation.Sigmoid);
        yield return ("W1 train b1", Train(w1, optim.SGD(w1.parameters(), 0.5), (y, t) => 0.5 * (y - t).pow(2).sum(), rand(1, 2), rand(1, 1)), 1);

        var w2 = Mlp([4, 16, 3], Activation.Tanh, Activation.None);
        var sgd2 = optim.SGD(w2.parameters(), 0.1);
        yield return ("W2 train b1", Train(w2, sgd2, crossEntropy.forward, rand(1, 4), randint(0, 3, [1])), 1);
        yield return ("W2 train b16", Train(w2, sgd2, crossEntropy.forward, rand(16, 4), randint(0, 3, [16])), 16);

        var w3 = Mlp([784, 128, 10], Activation.ReLU, Activation.None);
        yield return ("W3 train b64", Train(w3, optim.Adam(w3.parameters(), 1e-3), crossEntropy.forward, rand(64, 784), randint(0, 10, [64])), 64);
        yield return ("W3 infer b1", Infer(w3, rand(1, 784)), 1);
        yield return ("W3 infer b256", Infer(w3, rand(256, 784)), 256);

        var w4 = Mlp([784, 512, 512, 512, 10], Activation.ReLU, Activation.None);
        yield return ("W4 train b256", Train(w4, optim.Adam(w4.parameters(), 1e-3), crossEntropy.forward, rand(256, 784), randint(0, 10, [256])), 256);
    }

    /// <summary>W4's products: forward Z = X · Wᵀ, dW = dZᵀ · X and dX = dZ · W; "samples" per step are GFLOP.</summary>
    public static IEnumerable<(string Name, Action Step, double Gflop)> Products()
    {
        foreach (var (m, k, n) in new[] { (256, 784, 512), (256, 512, 512) })
        {
            double gflop = 2.0 * m * n * k / 1e9;
            var x = rand(m, k);
            var w = rand(n, k);
            var dz = rand(m, n);
            yield return ($"gemm {m}x{k}x{n}", Scoped(() => mm(x, w.t())), gflop);
            yield return ($"gemm-dW {m}x{k}x{n}", Scoped(() => mm(dz.t(), x)), gflop);
            yield return ($"gemm-dX {m}x{k}x{n}", Scoped(() => mm(dz, w)), gflop);
        }
    }

    private enum Activation
    {
        None,
        ReLU,
        Sigmoid,
        Tanh,
    }

    private static nn.Module<Tensor, Tensor> Mlp(int[] sizes, Activation hidden, Activation output)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < sizes.Length - 1; i++)
        {
            layers.Add(nn.Linear(sizes[i], sizes[i + 1]));
            var activation = i == sizes.Length - 2 ? output : hidden;
            switch (activation)
            {
                case Activation.ReLU: layers.Add(nn.ReLU()); break;
                case Activation.Sigmoid: layers.Add(nn.Sigmoid()); break;
                case Activation.Tanh: layers.Add(nn.Tanh()); break;
            }
        }

        return nn.Sequential(layers);
    }

    private static Action Train(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, Tensor x, Tensor t) => () =>
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        loss(model.forward(x), t).backward();
        optimizer.step();
    };

    private static Action Infer(nn.Module<Tensor, Tensor> model, Tensor x) => () =>
    {
        using var scope = NewDisposeScope();
        using var noGradient = no_grad();
        model.forward(x);
    };

    private static Action Scoped(Func<Tensor> product) => () =>
    {
        using var scope = NewDisposeScope();
        product();
    };
}
