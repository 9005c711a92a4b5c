using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>
/// Trains a network by minibatch gradient descent: every epoch visits the training samples in a fresh
/// shuffled order, batch by batch, and lets the optimizer step along the batch's mean gradient.
/// </summary>
/// <remarks>
/// <para>
/// The shuffle comes from one <see cref="DeterministicRandom"/> seeded when the trainer is created, so the same
/// initial weights, data, optimizer settings and seed always give the same trained weights. Consecutive
/// <see cref="Fit"/> calls continue the random sequence.
/// </para>
/// <para>
/// All buffers (the gathered batch, the gradient, the network workspace) are allocated by the constructor; a
/// training step allocates nothing. The trainer runs on the calling thread; it is not thread-safe.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer&lt;float&gt;(net, new Adam&lt;float&gt;(1e-3), batchSize: 64, seed: 1);
/// var history = trainer.Fit(train, epochs: 10, validation: test, progress: new Progress&lt;EpochReport&gt;(Console.WriteLine));
/// </code>
/// </example>
/// <typeparam name="T">The element type of the network.</typeparam>
public sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DeterministicRandom _random;
    private readonly T[] _batchInputs;
    private readonly T[] _batchTargets;
    private readonly T[] _gradient;
    private readonly NetworkWorkspace<T> _workspace;

    /// <summary>Creates a trainer and its buffers.</summary>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="optimizer">
    /// The optimizer. If it has not been used yet it is initialized for the network's parameters; if it has, it
    /// must be sized for them (its state carries over).
    /// </param>
    /// <param name="batchSize">Samples per minibatch; positive. The last batch of an epoch may be smaller.</param>
    /// <param name="seed">Seeds the shuffling of the samples.</param>
    public Trainer(INetwork<T> network, Optimizer<T> optimizer, int batchSize = 32, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "'batchSize' must be positive.");
        }

        if (optimizer.ParameterCount == 0)
        {
            optimizer.Initialize(network.ParameterCount);
        }
        else if (optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException($"The optimizer's state is sized for {optimizer.ParameterCount} parameters but the network has {network.ParameterCount}; use a new optimizer or call Initialize.", nameof(optimizer));
        }

        Network = network;
        Optimizer = optimizer;
        BatchSize = batchSize;
        Seed = seed;
        _random = new DeterministicRandom(seed);
        _batchInputs = new T[(long)batchSize * network.InputSize];
        _batchTargets = new T[(long)batchSize * network.OutputSize];
        _gradient = new T[network.ParameterCount];
        _workspace = network.CreateWorkspace(batchSize);
    }

    /// <summary>The network being trained.</summary>
    public INetwork<T> Network { get; }

    /// <summary>The optimizer that updates the network's parameters.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>Samples per minibatch.</summary>
    public int BatchSize { get; }

    /// <summary>The seed of the sample shuffling.</summary>
    public int Seed { get; }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs. Each batch: gather its samples into contiguous buffers, zero
    /// the gradient, run <see cref="INetwork{T}.ForwardBackward"/>, divide the gradient by the batch size (so the
    /// optimizer sees the gradient of the mean loss) and take an optimizer step.
    /// </summary>
    /// <param name="train">The training samples, with the network's input and output sizes.</param>
    /// <param name="epochs">The number of passes over <paramref name="train"/>; positive.</param>
    /// <param name="validation">Samples to evaluate after every epoch (see <see cref="Evaluation.Evaluate{T}"/>); null for none.</param>
    /// <param name="progress">Receives a report after every epoch; null for none.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The report of every epoch.</returns>
    /// <exception cref="TrainingDivergedException">A batch's loss or gradient was not finite; that batch's update was not applied.</exception>
    /// <exception cref="TrainingCanceledException">
    /// <paramref name="cancellationToken"/> was canceled; the network holds the weights after the last completed batch.
    /// </exception>
    public TrainingHistory Fit(Dataset<T> train, int epochs, Dataset<T>? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        Evaluation.CheckShape(Network, train, nameof(train));
        if (validation is not null)
        {
            Evaluation.CheckShape(Network, validation, nameof(validation));
        }

        if (epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "'epochs' must be positive.");
        }

        var history = new TrainingHistory();
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            long startTimestamp = Stopwatch.GetTimestamp();
            _random.Shuffle(order.AsSpan());
            double lossSum = 0;
            int batch = 0;
            for (int first = 0; first < order.Length; first += BatchSize)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new TrainingCanceledException(epoch, history, cancellationToken);
                }

                batch++;
                int count = Math.Min(BatchSize, order.Length - first);
                lossSum += TrainBatch(train, order.AsSpan(first, count), epoch, batch, history);
            }

            double? validationLoss = null;
            double? validationAccuracy = null;
            if (validation is not null)
            {
                var result = Evaluation.Evaluate(Network, validation, _workspace);
                validationLoss = result.Loss;
                validationAccuracy = result.Accuracy;
            }

            var report = new EpochReport(epoch, epochs, lossSum / train.Count, validationLoss, validationAccuracy, Stopwatch.GetElapsedTime(startTimestamp));
            history.Add(report);
            progress?.Report(report);
        }

        return history;
    }

    /// <summary>Runs one minibatch and applies its update; returns the batch's summed loss.</summary>
    private double TrainBatch(Dataset<T> train, ReadOnlySpan<int> samples, int epoch, int batch, TrainingHistory history)
    {
        int inputSize = Network.InputSize;
        int outputSize = Network.OutputSize;
        var inputs = _batchInputs.AsSpan(0, samples.Length * inputSize);
        var targets = _batchTargets.AsSpan(0, samples.Length * outputSize);
        for (int i = 0; i < samples.Length; i++)
        {
            train.Features(samples[i]).CopyTo(inputs.Slice(i * inputSize, inputSize));
            train.Targets(samples[i]).CopyTo(targets.Slice(i * outputSize, outputSize));
        }

        Array.Clear(_gradient);
        double loss = double.CreateTruncating(Network.ForwardBackward(inputs, targets, _gradient, _workspace));

        // One NaN or infinity anywhere makes the sum non-finite, so a vectorized sum checks the whole gradient.
        if (!double.IsFinite(loss) || !T.IsFinite(TensorPrimitives.Sum<T>(_gradient)))
        {
            throw new TrainingDivergedException(epoch, batch, loss, history);
        }

        TensorPrimitives.Divide(_gradient, T.CreateTruncating(samples.Length), _gradient);
        Optimizer.Step(Network.Parameters, _gradient);
        return loss;
    }
}
