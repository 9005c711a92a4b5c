using BenchmarkDotNet.Attributes;
using NetGen;

namespace NetGen.Benchmarks;

/// <summary>
/// One training step (forward + backward + optimizer update) and one prediction of each
/// generated workload network, single-threaded. Steady state must allocate nothing
/// (the memory diagnoser shows it).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private readonly Case<W1Xor> _w1 = new(new W1Xor(1), new Sgd<float>(0.5), batch: 1);
    private readonly Case<W2Small> _w2 = new(new W2Small(1), new Sgd<float>(0.1), batch: 16);
    private readonly Case<W3Mnist> _w3 = new(new W3Mnist(1), new Adam<float>(1e-3), batch: 64);

    [Benchmark(Description = "W1 XOR train step, batch 1 (SGD)")]
    public float W1Train() => _w1.Train();

    [Benchmark(Description = "W2 4-16-3 train step, batch 16 (SGD)")]
    public float W2Train() => _w2.Train();

    [Benchmark(Description = "W3 784-128-10 train step, batch 64 (Adam)")]
    public float W3Train() => _w3.Train();

    [Benchmark(Description = "W3 784-128-10 predict, one sample")]
    public float W3Predict() => _w3.Predict();

    /// <summary>A network with its optimizer, workspace and a fixed random batch.</summary>
    private sealed class Case<TNet>
        where TNet : INetwork<float>
    {
        private readonly TNet _net;
        private readonly Optimizer<float> _optimizer;
        private readonly NetworkWorkspace<float> _workspace;
        private readonly float[] _gradient;
        private readonly float[] _inputs;
        private readonly float[] _targets;
        private readonly float[] _output;

        public Case(TNet net, Optimizer<float> optimizer, int batch)
        {
            _net = net;
            _optimizer = optimizer;
            _workspace = net.CreateWorkspace(batch);
            _gradient = new float[net.ParameterCount];
            _inputs = new float[batch * net.InputSize];
            _targets = new float[batch * net.OutputSize];
            _output = new float[net.OutputSize];
            var random = new DeterministicRandom(7);
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = (float)random.NextDouble();
            }

            for (int s = 0; s < batch; s++)
            {
                _targets[(s * net.OutputSize) + random.NextInt32(net.OutputSize)] = 1;
            }
        }

        public float Train()
        {
            Array.Clear(_gradient);
            float loss = _net.ForwardBackward(_inputs, _targets, _gradient, _workspace);
            _optimizer.Step(_net.Parameters, _gradient);
            return loss;
        }

        public float Predict()
        {
            _net.Predict(_inputs.AsSpan(0, _net.InputSize), _output);
            return _output[0];
        }
    }
}
