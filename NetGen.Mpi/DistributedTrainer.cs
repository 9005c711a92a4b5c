using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using NetGen.CompilerServices;

namespace NetGen.Mpi;

/// <summary>
/// Data-parallel minibatch training across the processes of an MPI job: every process holds a replica of the
/// network, computes the gradient of its shard of each minibatch, and one Allreduce of the flat gradient buffer
/// sums the shards' gradients before every process takes the same optimizer step.
/// </summary>
/// <remarks>
/// <para>
/// Every process shuffles the sample indices with the same seeded <see cref="DeterministicRandom"/>, exactly as
/// <see cref="Trainer{T}"/> does, and cuts the shuffled order into global minibatches of <see cref="GlobalBatchSize"/>.
/// Rank <c>r</c> of <c>P</c> gathers samples <c>[n r / P, n (r + 1) / P)</c> of each batch of <c>n</c>: it reads only
/// its shard (the data set must be the same on every process), computes their summed gradient (on
/// <see cref="TrainerOptions.Threads"/>-style worker threads if asked), and the Allreduce adds the ranks' sums.
/// The parameters are broadcast from rank 0 when the trainer is created, so all replicas start equal and, since every
/// rank receives the same summed gradient, stay equal.
/// </para>
/// <para>
/// <b>Reproducibility.</b> With one process the result is bit-identical to <see cref="Trainer{T}"/> with the same
/// batch size, seed, optimizer and thread count. With <c>P</c> processes it is the same arithmetic except for the order
/// of additions in the gradient sum: <c>P</c> partial sums added by MPI instead of one sum, so the weights agree with
/// one process to float rounding, not bit for bit. A run is bit-reproducible for a given process count (with two
/// processes each sum is <c>a + b</c> on both ranks), and all processes always hold identical weights. With dropout,
/// each rank draws its masks from the batch's seed mixed with its rank.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type of the network.</typeparam>
public sealed class DistributedTrainer<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MpiCommunicator _communicator;
    private readonly DeterministicRandom _random;
    private readonly ParallelGradient<T> _engine;
    private readonly bool _hasDropout;
    // Line-aligned like the trainer's (see Trainer's fields).
    private readonly AlignedBuffer<T> _shardInputs;
    private readonly AlignedBuffer<T> _shardTargets;
    private readonly AlignedBuffer<T> _gradient;
    private readonly int _shardCapacity;

    /// <summary>Creates the trainer and broadcasts rank 0's parameters to every process.</summary>
    /// <param name="communicator">The MPI processes to train on.</param>
    /// <param name="network">This process's replica; its parameters are overwritten with rank 0's.</param>
    /// <param name="optimizer">The optimizer (each process has its own, in the same state).</param>
    /// <param name="globalBatchSize">Samples per minibatch over all processes; at least the number of processes.</param>
    /// <param name="seed">Seeds the shuffling (the same on every process).</param>
    /// <param name="threads">Threads per process computing its shard's gradient.</param>
    public DistributedTrainer(MpiCommunicator communicator, INetwork<T> network, Optimizer<T> optimizer, int globalBatchSize, int seed = 0, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (globalBatchSize < communicator.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(globalBatchSize), globalBatchSize, $"'globalBatchSize' must be at least the number of processes ({communicator.Size}), so every process has samples.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (optimizer.ParameterCount == 0)
        {
            optimizer.Initialize(network.ParameterCount);
        }
        else if (optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException($"The optimizer's state is sized for {optimizer.ParameterCount} parameters but the network has {network.ParameterCount}.", nameof(optimizer));
        }

        _communicator = communicator;
        Network = network;
        Optimizer = optimizer;
        GlobalBatchSize = globalBatchSize;
        _random = new DeterministicRandom(seed);
        _shardCapacity = (globalBatchSize + communicator.Size - 1) / communicator.Size;
        _shardInputs = WorkspaceLimits.BatchBuffer<T>(_shardCapacity, network.InputSize, "process's shard", "input", nameof(globalBatchSize), globalBatchSize);
        _shardTargets = WorkspaceLimits.BatchBuffer<T>(_shardCapacity, network.OutputSize, "process's shard", "target", nameof(globalBatchSize), globalBatchSize);
        _gradient = new AlignedBuffer<T>(network.ParameterCount);
        _engine = new ParallelGradient<T>(network, _shardCapacity, threads);
        _hasDropout = network.Description.Layers.Any(l => l.Kind == LayerKind.Dropout);
        communicator.Broadcast(network.Parameters, root: 0);
    }

    /// <summary>This process's replica of the network.</summary>
    public INetwork<T> Network { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>Samples per minibatch over all processes.</summary>
    public int GlobalBatchSize { get; }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _engine.Dispose();

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs; every process must call it with the same data set and arguments.
    /// The reports (mean training loss over all processes) are the same on every process.
    /// </summary>
    /// <param name="train">The training samples, the same on every process.</param>
    /// <param name="epochs">Passes over <paramref name="train"/>; positive.</param>
    /// <param name="progress">Receives a report after every epoch; null for none.</param>
    /// <exception cref="TrainingDivergedException">A batch's loss or gradient was not finite; its update was not applied.</exception>
    public TrainingHistory Fit(Dataset<T> train, int epochs, IProgress<EpochReport>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ObjectDisposedException.ThrowIf(_engine.IsDisposed, this);
        if (train.FeatureCount != Network.InputSize || train.TargetCount != Network.OutputSize)
        {
            throw new ArgumentException($"The data set has {train.FeatureCount} features and {train.TargetCount} targets per sample; the network takes {Network.InputSize} and gives {Network.OutputSize}.", nameof(train));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        var history = new TrainingHistory();
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            _random.Shuffle(order.AsSpan());
            double lossSum = 0;
            int batch = 0;
            for (int first = 0; first < order.Length; first += GlobalBatchSize)
            {
                int count = Math.Min(GlobalBatchSize, order.Length - first);
                lossSum += TrainBatch(train, order.AsSpan(first, count), epoch, ++batch, history);
            }

            var report = new EpochReport(epoch, epochs, lossSum / train.Count, null, null, Stopwatch.GetElapsedTime(start), Optimizer.LearningRate);
            history.Add(report);
            progress?.Report(report);
        }

        return history;
    }

    /// <summary>One global minibatch: this rank's shard, one Allreduce, one step. Returns the batch's summed loss over all ranks.</summary>
    private double TrainBatch(Dataset<T> train, ReadOnlySpan<int> samples, int epoch, int batch, TrainingHistory history)
    {
        int rank = _communicator.Rank, size = _communicator.Size;
        int from = (int)((long)samples.Length * rank / size);
        int to = (int)((long)samples.Length * (rank + 1) / size);
        var shard = samples[from..to];
        int inputSize = Network.InputSize, outputSize = Network.OutputSize;
        var inputs = _shardInputs.Memory.Slice(0, shard.Length * inputSize);
        var targets = _shardTargets.Memory.Slice(0, shard.Length * outputSize);
        Span<T> inputValues = inputs.Span, targetValues = targets.Span;
        for (int i = 0; i < shard.Length; i++)
        {
            train.Features(shard[i]).CopyTo(inputValues.Slice(i * inputSize, inputSize));
            train.Targets(shard[i]).CopyTo(targetValues.Slice(i * outputSize, outputSize));
        }

        // Drawn on every rank, so the shared random sequence stays in step; rank 0 keeps the trainer's seed.
        ulong dropoutSeed = _hasDropout ? _random.NextUInt64() ^ (0x9E3779B97F4A7C15UL * (ulong)rank) : 0;
        double loss = 0;
        if (shard.Length > 0)
        {
            loss = _engine.Compute(
                inputs,
                targets,
                _gradient.Memory,
                training: true,
                dropoutSeed);
        }
        else
        {
            _gradient.Span.Clear();
        }

        _communicator.AllreduceSum<T>(_gradient.Span);
        loss = _communicator.AllreduceSum(loss);
        if (!double.IsFinite(loss) || !T.IsFinite(TensorPrimitives.Sum<T>(_gradient.Span)))
        {
            throw new TrainingDivergedException(epoch, batch, loss, history);
        }

        TensorPrimitives.Divide(_gradient.Span, T.CreateTruncating(samples.Length), _gradient.Span);
        _engine.Step(Optimizer, _gradient.Memory);
        return loss;
    }
}
