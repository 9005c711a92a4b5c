using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks;

// dotnet run -c Release --project NetGen.Benchmarks -- compare [--seconds S]   -> NetGen vs PyTorch, one table of ratios
// dotnet run -c Release --project NetGen.Benchmarks -- compare --rounds 3     -> every measurement three times, interleaved; medians and each round's ratios
// dotnet run -c Release --project NetGen.Benchmarks -- compare --kernels       -> only the matrix products vs PyTorch mm
// dotnet run -c Release --project NetGen.Benchmarks -- compare --only W4       -> only the workloads whose name starts with W4
// dotnet run -c Release --project NetGen.Benchmarks -- compare --phases        -> W3/W4 training split into gradient, mean and optimizer step
// dotnet run -c Release --project NetGen.Benchmarks -- race [--epochs 10] [--threads 2] -> Fashion-MNIST, NetGen against TorchSharp
// compare and race run their peers from the NetGen checkout above the build (or working) directory; a build elsewhere
// (dotnet build -o /tmp/x) takes --repository DIR, the checkout that holds NetGen.sln
// dotnet run -c Release --project NetGen.Benchmarks -- loop --only W4 --threads 1 --seconds 10 [--engine dynamic] -> one workload in a loop, for perf
// dotnet run -c Release --project NetGen.Benchmarks -- loop --only "W2 train b1" --seconds 3 --inlining -> then the JIT's inlining failures in NetGen's methods
// dotnet run -c Release --project NetGen.Benchmarks -- loop --only "W2 train b1" --seconds 3 --after W1 -> measured after W1 (its warm-up and 2 s), as in compare
// dotnet run -c Release --project NetGen.Benchmarks -- --filter '*'            -> BenchmarkDotNet, short job (minutes)
// dotnet run -c Release --project NetGen.Benchmarks -- --filter '*' --full     -> BenchmarkDotNet's default job
// dotnet run -c Release --project NetGen.Benchmarks -- norm-cost               -> training with per-layer norms vs without
// dotnet run -c Release --project NetGen.Benchmarks -- tanh-cost               -> the float tanh kernel vs the formula it replaced, ns per element
// dotnet run -c Release --project NetGen.Benchmarks -- tanh-accuracy [--stride S] -> the float tanh kernel on all 2^32 floats vs double tanh, in ulp
// mpiexec -n 2 dotnet NetGen.Benchmarks/bin/Release/net10.0/NetGen.Benchmarks.dll mpi [--threads T]  -> W4 over MPI processes
// A bad option value (a count that is not a number, an unknown workload) stops the command with what was wrong.
try
{
    return Run(args);
}
catch (OptionException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

static int Run(string[] args) => args.FirstOrDefault() switch
{
    "norm-cost" => NormTrackingCost.Run(),
    "tanh-cost" => TanhCost.Run(),
    "tanh-accuracy" => TanhAccuracy.Run(args),
    "compare" => Compare.Run(args),
    "race" => FashionRace.Run(args),
    "loop" => Compare.Loop(args),
    "mpi" => MpiScaling.Run(args),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    bool full = args.Contains("--full");
    var config = DefaultConfig.Instance.AddJob(full ? Job.Default : Job.ShortRun);
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--full").ToArray(), config);
    return 0;
}
