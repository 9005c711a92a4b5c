using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project NetGen.Benchmarks             -> short job (a few minutes)
// dotnet run -c Release --project NetGen.Benchmarks -- --full   -> BenchmarkDotNet's default job
bool full = args.Contains("--full");
var config = DefaultConfig.Instance.AddJob(full ? Job.Default : Job.ShortRun);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--full").ToArray(), config);
