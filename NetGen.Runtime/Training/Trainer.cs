using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NetGen.CompilerServices;

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
/// All buffers (the gathered batch, the gradient, the network workspaces, the best-parameters copy of early
/// stopping) are allocated by the constructor; a training step allocates nothing. With
/// <see cref="TrainerOptions.Threads"/> above 1, each minibatch's gradient is computed by persistent worker threads
/// (chunks of a size that depends on the batch and the network only, summed in chunk order), and a seed gives bit-identical weights whatever the thread count. The
/// trainer itself is not thread-safe; dispose it to stop its workers.
/// </para>
/// <para>
/// Dropout layers are active while training: every batch draws its masks from a seed taken from the trainer's
/// random sequence, and each sample's mask depends on its index in the batch, not on the thread computing it.
/// </para>
/// <para>
/// <see cref="TrainerOptions"/> add a learning-rate schedule (applied per epoch), gradient clipping by global
/// norm, early stopping with best-parameters restore and the notes' stopping rules (a loss threshold, no
/// improvement for a number of epochs).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer&lt;float&gt;(net, new Adam&lt;float&gt;(1e-3), batchSize: 64, seed: 1);
/// var history = trainer.Fit(train, epochs: 10, validation: test, progress: new Progress&lt;EpochReport&gt;(Console.WriteLine));
/// </code>
/// </example>
/// <typeparam name="T">The element type of the network.</typeparam>
public sealed class Trainer<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DeterministicRandom _random;
    private readonly ParallelGradient<T> _engine;
    private readonly bool _hasDropout;
    // Line-aligned, like the engine's own buffers: the kernels read the batch and the step reads and writes the gradient
    // in whole vectors, and the threads' shares of the gradient (multiples of 64 elements) then never split a line
    // (W3 at batch 64 1.01-1.04x on one thread, about 1.05x on two; docs/design-notes.md).
    private readonly AlignedBuffer<T> _batchInputs;
    private readonly AlignedBuffer<T> _batchTargets;
    private readonly AlignedBuffer<T> _gradient;
    private readonly NetworkWorkspace<T> _workspace;
    private readonly T[] _bestParameters;
    private readonly LayerDescription[] _normLayers;
    private readonly ParameterTensor[] _normTensors;
    private readonly double[] _gradientNormSums;
    private readonly double[] _lastBatchGradientNorms;
    private FitProgress? _progress;
    private FitProgress? _resume;

    /// <summary>Creates a trainer and its buffers.</summary>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="optimizer">
    /// The optimizer. If it has not been used yet it is initialized for the network's parameters; if it has, it
    /// must be sized for them (its state carries over).
    /// </param>
    /// <param name="batchSize">Samples per minibatch; positive. The last batch of an epoch may be smaller.</param>
    /// <param name="seed">Seeds the shuffling of the samples.</param>
    /// <param name="options">Schedule, gradient clipping and early stopping; null for none of them.</param>
    public Trainer(INetwork<T> network, Optimizer<T> optimizer, int batchSize = 32, int seed = 0, TrainerOptions? options = null)
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
        Options = options ?? new TrainerOptions();
        BaseLearningRate = optimizer.LearningRate;
        _bestParameters = Options.EarlyStopping is null ? [] : new T[network.ParameterCount];
        _random = new DeterministicRandom(seed);
        _batchInputs = WorkspaceLimits.BatchBuffer<T>(batchSize, network.InputSize, "batch", "input", nameof(batchSize), batchSize);
        _batchTargets = WorkspaceLimits.BatchBuffer<T>(batchSize, network.OutputSize, "batch", "target", nameof(batchSize), batchSize);
        _gradient = new AlignedBuffer<T>(network.ParameterCount);
        _workspace = network.CreateWorkspace(batchSize);
        _engine = new ParallelGradient<T>(network, batchSize, Options.Threads);
        _hasDropout = network.Description.Layers.Any(l => l.Kind == LayerKind.Dropout);
        _normLayers = network.Description.Layers.Where(l => l.Weights is not null).ToArray();
        _normTensors = _normLayers.Select(l => l.Weights!.Value).ToArray();
        _gradientNormSums = new double[_normTensors.Length];
        _lastBatchGradientNorms = new double[_normTensors.Length];
    }

    /// <summary>Threads computing each minibatch's gradient, the caller's included.</summary>
    public int Threads => _engine.Threads;

    /// <summary>Stops the worker threads. The trainer cannot train afterwards.</summary>
    public void Dispose() => _engine.Dispose();

    /// <summary>The network being trained.</summary>
    public INetwork<T> Network { get; }

    /// <summary>The optimizer that updates the network's parameters.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>Samples per minibatch.</summary>
    public int BatchSize { get; }

    /// <summary>The seed of the sample shuffling.</summary>
    public int Seed { get; }

    /// <summary>The schedule, gradient clipping and early-stopping settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// The rate the <see cref="TrainerOptions.Schedule"/> scales: the optimizer's learning rate when the trainer
    /// was created.
    /// </summary>
    public double BaseLearningRate { get; }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs. Each batch: gather its samples into contiguous buffers, compute
    /// the summed gradient with <see cref="INetwork{T}.ForwardBackward"/> (on <see cref="Threads"/> threads), divide the gradient by the batch size (so the
    /// optimizer sees the gradient of the mean loss), clip it when <see cref="TrainerOptions.MaxGradientNorm"/> is
    /// set, and take an optimizer step. With a <see cref="TrainerOptions.Schedule"/> the learning rate is set before
    /// each epoch; with <see cref="TrainerOptions.EarlyStopping"/> training may stop before <paramref name="epochs"/>
    /// and ends with the best epoch's parameters.
    /// </summary>
    /// <param name="train">The training samples, with the network's input and output sizes.</param>
    /// <param name="epochs">The number of passes over <paramref name="train"/>; positive.</param>
    /// <param name="validation">
    /// Samples to evaluate after every epoch (see <see cref="Evaluation.Evaluate{T}"/>); null for none. Required with
    /// <see cref="TrainerOptions.EarlyStopping"/>, which monitors their loss.
    /// </param>
    /// <param name="progress">Receives a report after every epoch; null for none.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The report of every epoch, and the best epoch when early stopping is on.</returns>
    /// <exception cref="TrainingDivergedException">A batch's loss or gradient was not finite; that batch's update was not applied.</exception>
    /// <exception cref="TrainingCanceledException">
    /// <paramref name="cancellationToken"/> was canceled; the network holds the weights after the last completed batch.
    /// </exception>
    public TrainingHistory Fit(Dataset<T> train, int epochs, Dataset<T>? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ObjectDisposedException.ThrowIf(_engine.IsDisposed, this);
        Evaluation.CheckShape(Network, train, nameof(train));
        if (validation is not null)
        {
            Evaluation.CheckShape(Network, validation, nameof(validation));
        }

        if (epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "'epochs' must be positive.");
        }

        var earlyStopping = Options.EarlyStopping;
        if (earlyStopping is not null && validation is null)
        {
            throw new ArgumentException("Early stopping monitors the validation loss, so 'validation' must not be null.", nameof(validation));
        }

        var rules = Options.StoppingRules;
        if (validation is null && rules.FirstOrDefault(r => r.Monitor == MonitoredLoss.Validation) is { } validationRule)
        {
            throw new ArgumentException($"The stopping rule '{validationRule}' monitors the validation loss, so 'validation' must not be null.", nameof(validation));
        }

        FitProgress state;
        if (_resume is { } resume)
        {
            if (resume.Order.Length != train.Count)
            {
                throw new ArgumentException($"The checkpoint was taken while training on {resume.Order.Length} samples, but 'train' has {train.Count}; resume with the same training set.", nameof(train));
            }

            if (resume.Trackers.Length != rules.Count)
            {
                throw new InvalidOperationException($"The checkpoint tracks {resume.Trackers.Length} stopping rule(s) but the trainer's options have {rules.Count}; resume with the options of the run that saved it.");
            }

            if (resume.Epoch > epochs)
            {
                throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"The checkpoint continues with epoch {resume.Epoch}, so 'epochs' (the total, as in the run that saved it) must be at least {resume.Epoch}.");
            }

            _resume = null;
            state = resume;
        }
        else
        {
            state = new FitProgress(train.Count, rules.Count);
        }

        _progress = state;
        var history = new TrainingHistory();
        var order = state.Order;
        var trackers = state.Trackers;
        int batchCount = (order.Length + BatchSize - 1) / BatchSize;
        var batchProgress = Options.BatchProgress;
        for (; state.Epoch <= epochs; state.Epoch++)
        {
            int epoch = state.Epoch;
            long startTimestamp = Stopwatch.GetTimestamp();
            if (!state.EpochStarted)
            {
                // A new epoch (a resumed one has its order, rate, loss and norm sums from the checkpoint).
                if (Options.Schedule is { } schedule)
                {
                    Optimizer.LearningRate = schedule.GetLearningRate(BaseLearningRate, epoch - 1);
                }

                Array.Clear(_gradientNormSums);
                _random.Shuffle(order.AsSpan());
                state.LossSum = 0;
                state.BatchesDone = 0;
                state.EpochStarted = true;
            }

            double learningRate = Optimizer.LearningRate;
            for (; state.NextSample < order.Length; state.NextSample += BatchSize)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new TrainingCanceledException(epoch, history, cancellationToken);
                }

                int first = state.NextSample;
                int batch = state.BatchesDone + 1;
                int count = Math.Min(BatchSize, order.Length - first);
                double batchLoss = TrainBatch(train, order.AsSpan(first, count), epoch, batch, history);
                state.LossSum += batchLoss;
                state.BatchesDone = batch;
                if (batchProgress is not null && (batch % Options.BatchProgressInterval == 0 || batch == batchCount))
                {
                    batchProgress.Report(new BatchReport(epoch, epochs, batch, batchCount, batchLoss / count, first + count, Stopwatch.GetElapsedTime(startTimestamp))
                    {
                        LayerGradientNorms = Options.NormTracking == NormTracking.PerBatch ? MeasureNorms(_lastBatchGradientNorms, 1) : [],
                    });
                }
            }

            state.NextSample = 0;
            state.EpochStarted = false;
            double? validationLoss = null;
            double? validationAccuracy = null;
            if (validation is not null)
            {
                var result = Evaluation.Evaluate(Network, validation, _workspace);
                validationLoss = result.Loss;
                validationAccuracy = result.Accuracy;
            }

            double trainingLoss = state.LossSum / train.Count;
            string? stopReason = null;
            StoppingRule? stoppedBy = null;
            if (earlyStopping is not null)
            {
                // The validation loss is not null here: early stopping requires a validation set.
                double loss = validationLoss.GetValueOrDefault(double.NaN);
                if (loss < state.BestLoss - earlyStopping.MinDelta)
                {
                    state.BestLoss = loss;
                    state.BestEpoch = epoch;
                    state.EpochsWithoutImprovement = 0;
                    Network.Parameters.CopyTo(_bestParameters);
                }
                else if (++state.EpochsWithoutImprovement >= earlyStopping.Patience)
                {
                    stopReason = state.BestEpoch > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"early stopping: the validation loss has not improved on {state.BestLoss:G6} (epoch {state.BestEpoch}) for {state.EpochsWithoutImprovement} epochs")
                        : $"early stopping: the validation loss was not finite for {state.EpochsWithoutImprovement} epochs";
                }
            }

            // Every rule sees every epoch (so each tracks its best loss), and the first that holds gives the reason.
            for (int i = 0; i < rules.Count; i++)
            {
                double loss = rules[i].Monitor == MonitoredLoss.Training ? trainingLoss : validationLoss.GetValueOrDefault(double.NaN);
                if (trackers[i].Check(rules[i], epoch, loss) is { } reason && stopReason is null)
                {
                    stopReason = reason;
                    stoppedBy = rules[i];
                }
            }

            var report = new EpochReport(epoch, epochs, trainingLoss, validationLoss, validationAccuracy, Stopwatch.GetElapsedTime(startTimestamp), learningRate)
            {
                LayerGradientNorms = Options.NormTracking == NormTracking.Off ? [] : MeasureNorms(_gradientNormSums, state.BatchesDone),
            };
            history.Add(report);
            progress?.Report(report);
            if (stopReason is not null && epoch < epochs)
            {
                history.StoppedEarly = true;
                history.StopReason = stopReason;
                history.StoppedBy = stoppedBy;
                state.Epoch++;
                break;
            }
        }

        if (state.BestEpoch > 0)
        {
            _bestParameters.CopyTo(Network.Parameters);
            history.BestEpoch = state.BestEpoch;
        }

        return history;
    }

    /// <summary>
    /// Takes a snapshot of the training state after the last <see cref="Fit"/> call returned or was canceled (see
    /// <see cref="TrainingCheckpoint{T}"/>); save it with the parameters using
    /// <see cref="ModelFile.Save{T}(INetwork{T}, string, TrainingCheckpoint{T}?)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Fit"/> has not run yet.</exception>
    public TrainingCheckpoint<T> CaptureCheckpoint()
    {
        var progress = _progress ?? throw new InvalidOperationException("There is no training state to capture yet: call Fit first (a canceled Fit counts).");
        return new TrainingCheckpoint<T>(progress.Epoch, progress.NextSample, BatchSize, Seed, OptimizerName(Optimizer), Optimizer.StepCount, Optimizer.LearningRate)
        {
            RandomState = _random.GetState(),
            Order = [.. progress.Order],
            EpochStarted = progress.EpochStarted,
            BatchesDone = progress.BatchesDone,
            LossSum = progress.LossSum,
            GradientNormSums = [.. _gradientNormSums],
            OptimizerState = [.. Optimizer.StateBuffers.Select(buffer => buffer.ToArray())],
            Trackers = [.. progress.Trackers],
            EarlyStoppingBestLoss = progress.BestLoss,
            EarlyStoppingBestEpoch = progress.BestEpoch,
            EarlyStoppingEpochsWithoutImprovement = progress.EpochsWithoutImprovement,
            BestParameters = progress.BestEpoch > 0 ? [.. _bestParameters] : [],
        };
    }

    /// <summary>
    /// Makes the next <see cref="Fit"/> call continue where the run that saved <paramref name="checkpoint"/> stopped:
    /// at its epoch and batch, with its sample order, random sequence, optimizer state and learning rate. Load the
    /// network's parameters from the same file first (<see cref="ModelFile.LoadCheckpoint{T}"/> does both). The next
    /// <see cref="Fit"/> takes the run's total number of epochs and trains the remaining ones; with the same data,
    /// options and validation set the network ends with the same bits as the uninterrupted run.
    /// </summary>
    /// <param name="checkpoint">The checkpoint; its batch size and optimizer type must match this trainer's.</param>
    public void RestoreCheckpoint(TrainingCheckpoint<T> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ObjectDisposedException.ThrowIf(_engine.IsDisposed, this);
        if (checkpoint.BatchSize != BatchSize)
        {
            throw new ArgumentException($"The checkpoint was taken with batch size {checkpoint.BatchSize} but this trainer's is {BatchSize}; resume with the settings of the run that saved it.", nameof(checkpoint));
        }

        if (checkpoint.OptimizerName != OptimizerName(Optimizer))
        {
            throw new ArgumentException($"The checkpoint holds the state of a {checkpoint.OptimizerName} optimizer but this trainer's is {OptimizerName(Optimizer)}; resume with the optimizer of the run that saved it.", nameof(checkpoint));
        }

        if (checkpoint.GradientNormSums.Length != _gradientNormSums.Length)
        {
            throw new ArgumentException($"The checkpoint was taken with a network of {checkpoint.GradientNormSums.Length} weight layers, not {_gradientNormSums.Length}.", nameof(checkpoint));
        }

        if (checkpoint.BestParameters.Length != 0 && _bestParameters.Length == 0)
        {
            throw new ArgumentException("The checkpoint was taken with early stopping, but this trainer has none; resume with the options of the run that saved it.", nameof(checkpoint));
        }

        Optimizer.RestoreState(Network.ParameterCount, checkpoint.StepCount, checkpoint.LearningRate, checkpoint.OptimizerState);
        _random.SetState(checkpoint.RandomState);
        checkpoint.GradientNormSums.CopyTo(_gradientNormSums, 0);
        checkpoint.BestParameters.CopyTo(_bestParameters, 0);
        _resume = new FitProgress([.. checkpoint.Order], [.. checkpoint.Trackers])
        {
            Epoch = checkpoint.Epoch,
            NextSample = checkpoint.NextSample,
            EpochStarted = checkpoint.EpochStarted,
            BatchesDone = checkpoint.BatchesDone,
            LossSum = checkpoint.LossSum,
            BestLoss = checkpoint.EarlyStoppingBestLoss,
            BestEpoch = checkpoint.EarlyStoppingBestEpoch,
            EpochsWithoutImprovement = checkpoint.EarlyStoppingEpochsWithoutImprovement,
        };
    }

    /// <summary>The optimizer's type name without the generic arity, e.g. <c>Adam</c>.</summary>
    private static string OptimizerName(Optimizer<T> optimizer)
    {
        string name = optimizer.GetType().Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    /// <summary>The per-layer norms: the gradient norms summed over <paramref name="batches"/> batches, averaged; the weights' norms now.</summary>
    private LayerGradientNorm[] MeasureNorms(double[] gradientNormSums, int batches)
    {
        var norms = new LayerGradientNorm[_normTensors.Length];
        for (int i = 0; i < norms.Length; i++)
        {
            var tensor = _normTensors[i];
            double weightNorm = double.CreateTruncating(TensorPrimitives.Norm<T>(Network.Parameters.Slice(tensor.Offset, tensor.Length)));
            norms[i] = new LayerGradientNorm(_normLayers[i].Index, tensor.Name, gradientNormSums[i] / batches, weightNorm);
        }

        return norms;
    }

    /// <summary>Runs one minibatch and applies its update; returns the batch's summed loss.</summary>
    private double TrainBatch(Dataset<T> train, ReadOnlySpan<int> samples, int epoch, int batch, TrainingHistory history)
    {
        int inputSize = Network.InputSize;
        int outputSize = Network.OutputSize;
        var inputs = _batchInputs.Memory.Slice(0, samples.Length * inputSize);
        var targets = _batchTargets.Memory.Slice(0, samples.Length * outputSize);
        Span<T> inputValues = inputs.Span, targetValues = targets.Span;
        for (int i = 0; i < samples.Length; i++)
        {
            train.Features(samples[i]).CopyTo(inputValues.Slice(i * inputSize, inputSize));
            train.Targets(samples[i]).CopyTo(targetValues.Slice(i * outputSize, outputSize));
        }

        // Dropout masks: a fresh seed per batch, drawn only when there is dropout so other networks keep their sequence.
        ulong dropoutSeed = _hasDropout ? _random.NextUInt64() : 0;
        if (Options.MaxGradientNorm is null)
        {
            // Without clipping nothing needs the whole gradient before the step: the engine sums, divides, checks
            // and steps each thread's share in one job (the same bits as the three passes below).
            double fusedLoss = _engine.ComputeAndStep(
                inputs,
                targets,
                _gradient.Memory,
                T.CreateTruncating(samples.Length),
                Optimizer,
                training: true,
                dropoutSeed,
                out bool stepped);
            if (!stepped)
            {
                throw new TrainingDivergedException(epoch, batch, fusedLoss, history);
            }

            TrackGradientNorms();
            return fusedLoss;
        }

        double loss = _engine.Compute(
            inputs,
            targets,
            _gradient.Memory,
            training: true,
            dropoutSeed);

        // One NaN or infinity anywhere makes the sum non-finite, so a vectorized sum checks the whole gradient.
        if (!double.IsFinite(loss) || !T.IsFinite(TensorPrimitives.Sum<T>(_gradient.Span)))
        {
            throw new TrainingDivergedException(epoch, batch, loss, history);
        }

        TensorPrimitives.Divide(_gradient.Span, T.CreateTruncating(samples.Length), _gradient.Span);
        TrackGradientNorms();
        GradientClipping.ClipByGlobalNorm<T>(_gradient.Span, Options.MaxGradientNorm.Value);
        _engine.Step(Optimizer, _gradient.Memory);
        return loss;
    }

    /// <summary>Adds the norms of the batch's mean gradient (before any clipping) to the epoch's, when tracked.</summary>
    private void TrackGradientNorms()
    {
        if (Options.NormTracking != NormTracking.Off)
        {
            for (int i = 0; i < _normTensors.Length; i++)
            {
                double norm = double.CreateTruncating(TensorPrimitives.Norm<T>(_gradient.Span.Slice(_normTensors[i].Offset, _normTensors[i].Length)));
                _lastBatchGradientNorms[i] = norm;
                _gradientNormSums[i] += norm;
            }
        }
    }

    /// <summary>Where a <see cref="Fit"/> call is: kept in the trainer so a checkpoint can be taken after it returns or is canceled.</summary>
    private sealed class FitProgress
    {
        public FitProgress(int sampleCount, int ruleCount)
            : this(Enumerable.Range(0, sampleCount).ToArray(), Enumerable.Repeat(new StoppingRuleTracker(), ruleCount).ToArray())
        {
        }

        public FitProgress(int[] order, StoppingRuleTracker[] trackers)
        {
            Order = order;
            Trackers = trackers;
        }

        /// <summary>The sample order, shuffled in place at the start of every epoch.</summary>
        public int[] Order { get; }

        /// <summary>The progress of each stopping rule.</summary>
        public StoppingRuleTracker[] Trackers { get; }

        /// <summary>The 1-based epoch being trained, or the next one between epochs.</summary>
        public int Epoch { get; set; } = 1;

        /// <summary>The position in <see cref="Order"/> of the next batch; 0 between epochs.</summary>
        public int NextSample { get; set; }

        /// <summary>True once the epoch's order is shuffled and its rate set, until it ends.</summary>
        public bool EpochStarted { get; set; }

        /// <summary>Batches done in the current epoch.</summary>
        public int BatchesDone { get; set; }

        /// <summary>The summed loss of the current epoch's batches.</summary>
        public double LossSum { get; set; }

        /// <summary>Early stopping's best validation loss.</summary>
        public double BestLoss { get; set; } = double.PositiveInfinity;

        /// <summary>Early stopping's best epoch; 0 before the first improvement.</summary>
        public int BestEpoch { get; set; }

        /// <summary>Early stopping's epochs in a row without improvement.</summary>
        public int EpochsWithoutImprovement { get; set; }
    }
}
