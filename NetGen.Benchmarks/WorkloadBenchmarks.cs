using BenchmarkDotNet.Attributes;
using NetGen;

namespace NetGen.Benchmarks;

/// <summary>
/// Training steps of W1-W4 (forward + backward + optimizer update), generated code against the dynamic graph,
/// on 1 and 2 threads. One operation is one step of the workload's batch; divide by the batch for per-sample cost.
/// </summary>
[MemoryDiagnoser]
public class TrainBenchmarks
{
    private WorkloadCase _w1 = null!, _w2b1 = null!, _w2b16 = null!, _w3 = null!, _w4 = null!;

    /// <summary>Generated code or the dynamic graph.</summary>
    [Params(Engine.Generated, Engine.Dynamic)]
    public Engine Engine { get; set; }

    /// <summary>Threads computing each batch's gradient.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _w1 = new WorkloadCase(new W1Xor(1), Engine, new Sgd<float>(0.5), 1, Threads);
        _w2b1 = new WorkloadCase(new W2Small(1), Engine, new Sgd<float>(0.1), 1, Threads);
        _w2b16 = new WorkloadCase(new W2Small(1), Engine, new Sgd<float>(0.1), 16, Threads);
        _w3 = new WorkloadCase(new W3Mnist(1), Engine, new Adam<float>(1e-3), 64, Threads);
        _w4 = new WorkloadCase(new W4Deep(1), Engine, new Adam<float>(1e-3), 256, Threads);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var c in new[] { _w1, _w2b1, _w2b16, _w3, _w4 })
        {
            c.Dispose();
        }
    }

    [Benchmark(Description = "W1 2-2-1 train, batch 1")]
    public float W1() => _w1.Train();

    [Benchmark(Description = "W2 4-16-3 train, batch 1")]
    public float W2Batch1() => _w2b1.Train();

    [Benchmark(Description = "W2 4-16-3 train, batch 16")]
    public float W2Batch16() => _w2b16.Train();

    [Benchmark(Description = "W3 784-128-10 train, batch 64")]
    public float W3() => _w3.Train();

    [Benchmark(Description = "W4 784-512x3-10 train, batch 256")]
    public float W4() => _w4.Train();
}

/// <summary>Inference of W1, W3 and W4, generated code against the dynamic graph (one thread: a single call).</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private WorkloadCase _w1 = null!, _w3b1 = null!, _w3b1Network = null!, _w3b256 = null!, _w4 = null!;

    /// <summary>Generated code or the dynamic graph.</summary>
    [Params(Engine.Generated, Engine.Dynamic)]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _w1 = new WorkloadCase(new W1Xor(1), Engine, new Sgd<float>(0.5), 1, 1);
        _w3b1 = new WorkloadCase(new W3Mnist(1), Engine, new Sgd<float>(0.1), 1, 1);
        _w3b1Network = new WorkloadCase(new W3Mnist(1), Engine, new Sgd<float>(0.1), 1, 1, packedPrediction: false);
        _w3b256 = new WorkloadCase(new W3Mnist(1), Engine, new Sgd<float>(0.1), 256, 1);
        _w4 = new WorkloadCase(new W4Deep(1), Engine, new Sgd<float>(0.1), 256, 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var c in new[] { _w1, _w3b1, _w3b1Network, _w3b256, _w4 })
        {
            c.Dispose();
        }
    }

    [Benchmark(Description = "W1 predict, one sample (Predictor)")]
    public float W1() => _w1.Infer();

    [Benchmark(Description = "W3 predict, one sample (Predictor)")]
    public float W3Batch1() => _w3b1.Infer();

    [Benchmark(Description = "W3 predict, one sample (network's Predict)")]
    public float W3Batch1Network() => _w3b1Network.Infer();

    [Benchmark(Description = "W3 forward, batch 256")]
    public float W3Batch256() => _w3b256.Infer();

    [Benchmark(Description = "W4 forward, batch 256")]
    public float W4Batch256() => _w4.Infer();
}
