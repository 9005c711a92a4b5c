using System.Numerics.Tensors;
using NetGen;
using NetGen.CompilerServices;
using NetGen.Graph;

namespace NetGen.Benchmarks;

/// <summary>Which implementation of a workload's network runs.</summary>
public enum Engine
{
    /// <summary>The class the NetGen generator emitted.</summary>
    Generated,

    /// <summary>The same network as a run-time computation graph (<see cref="DynamicNetwork{T}"/>), same parameters.</summary>
    Dynamic,
}

/// <summary>
/// One workload ready to run: the network, its optimizer, a fixed random batch and every buffer, so a
/// training step or an inference allocates nothing. Used by the BenchmarkDotNet classes and by `compare`.
/// </summary>
public sealed class WorkloadCase : IDisposable
{
    private readonly INetwork<float> _net;
    private readonly Optimizer<float> _optimizer;
    private readonly ParallelGradient<float> _gradientEngine;
    private readonly NetworkWorkspace<float> _workspace;
    // Line-aligned, as the library's Trainer keeps its batch and gradient.
    private readonly AlignedBuffer<float> _gradient;
    private readonly AlignedBuffer<float> _inputs;
    private readonly AlignedBuffer<float> _targets;
    private readonly float[] _outputs;
    private readonly float _batchSize;
    private readonly Predictor<float>? _predictor;

    /// <summary>Prepares <paramref name="network"/> (run as <paramref name="engine"/>) for batches of <paramref name="batch"/> on <paramref name="threads"/> threads.</summary>
    /// <param name="network">The network.</param>
    /// <param name="engine">Generated code or the dynamic graph.</param>
    /// <param name="optimizer">The optimizer of a training step.</param>
    /// <param name="batch">Samples per step.</param>
    /// <param name="threads">Threads of a training step.</param>
    /// <param name="packedPrediction">For inference of one sample with generated code: true to predict through a
    /// <see cref="Predictor{T}"/>, false through the network's <c>Predict</c> (the dynamic graph always takes the latter).</param>
    public WorkloadCase(INetwork<float> network, Engine engine, Optimizer<float> optimizer, int batch, int threads, bool packedPrediction = true)
    {
        _net = engine == Engine.Dynamic ? DynamicNetwork<float>.From(network) : network;
        _optimizer = optimizer;
        _optimizer.Initialize(_net.ParameterCount);
        _gradientEngine = new ParallelGradient<float>(_net, batch, threads);
        _workspace = _net.CreateWorkspace(batch);
        _gradient = new AlignedBuffer<float>(_net.ParameterCount);
        _outputs = new float[batch * _net.OutputSize];
        _batchSize = batch;
        Batch = batch;
        if (batch == 1 && packedPrediction && engine == Engine.Generated)
        {
            _predictor = new Predictor<float>(_net);
        }

        var random = new DeterministicRandom(7);
        _inputs = new AlignedBuffer<float>(batch * _net.InputSize);
        var inputs = _inputs.Span;
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        _targets = new AlignedBuffer<float>(batch * _net.OutputSize);
        var targets = _targets.Span;
        for (int s = 0; s < batch; s++)
        {
            targets[(s * _net.OutputSize) + random.NextInt32(_net.OutputSize)] = 1;
        }
    }

    /// <summary>Samples per step.</summary>
    public int Batch { get; }

    /// <summary>One training step: forward and backward over the batch, mean gradient, optimizer update.</summary>
    public float Train() => (float)_gradientEngine.ComputeAndStep(_inputs.Memory, _targets.Memory, _gradient.Memory, _batchSize, _optimizer, training: true, dropoutSeed: 0, out _);

    /// <summary><see cref="Train"/> in three phases, each on its own: <see cref="ComputeGradient"/>, <see cref="ScaleGradient"/>, <see cref="StepOptimizer"/>.</summary>
    public float TrainInPhases()
    {
        float loss = ComputeGradient();
        ScaleGradient();
        StepOptimizer();
        return loss;
    }

    /// <summary>The first phase of <see cref="Train"/>: forward and backward over the batch, chunk gradients summed.</summary>
    public float ComputeGradient() => (float)_gradientEngine.Compute(_inputs.Memory, _targets.Memory, _gradient.Memory, training: true, dropoutSeed: 0);

    /// <summary>The second phase of <see cref="Train"/>: the summed gradient becomes the mean (on the caller).</summary>
    public void ScaleGradient() => TensorPrimitives.Divide(_gradient.Span, _batchSize, _gradient.Span);

    /// <summary>The third phase of <see cref="Train"/>: the optimizer step.</summary>
    public void StepOptimizer() => _gradientEngine.Step(_optimizer, _gradient.Memory);

    /// <summary>
    /// Inference of the whole batch: for one sample the predictor's <c>Predict</c> (or the network's, see the constructor),
    /// <c>Forward</c> otherwise.
    /// </summary>
    public float Infer()
    {
        if (_predictor is not null)
        {
            _predictor.Predict(_inputs.Span, _outputs);
        }
        else if (Batch == 1)
        {
            _net.Predict(_inputs.Span, _outputs);
        }
        else
        {
            _net.Forward(_inputs.Span, _outputs, _workspace);
        }

        return _outputs[0];
    }

    /// <inheritdoc/>
    public void Dispose() => _gradientEngine.Dispose();
}
