using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// Computes the summed loss and gradient of a minibatch on several threads, with a result that is
/// bit-identical whatever the number of threads.
/// </summary>
/// <remarks>
/// <para>
/// A network whose batch products take a <see cref="KernelTeam"/> (generated networks and the dynamic graph: their
/// workspaces say so) and that has enough work per batch (<see cref="MinSharedProductWork"/>) runs the whole batch as
/// one chunk in one workspace, accumulating straight into the result: the engine's threads form the team, each
/// computing a range of every large product's output, so there are no chunk gradients to clear, add or wait for, and
/// each core reads only its part of each weight matrix. Every product gives the same bits on any number of threads,
/// and the rest of the pass runs on the caller.
/// </para>
/// <para>
/// Otherwise the batch is cut into chunks whose size depends only on the batch capacity and the size of the
/// gradient, never on the thread count. Each chunk has its own workspace and gradient buffer; workers
/// take chunks in any order, but the chunk gradients are then added in chunk order (each thread adds
/// slices of the parameters across all chunks), so every sum is formed in the same order on any
/// machine with any thread count. Dropout masks depend on each sample's index in the minibatch, not on
/// the chunk or the thread.
/// </para>
/// <para>
/// Workers are persistent threads. The caller starts a batch by advancing a generation counter; idle
/// workers spin on it for up to <see cref="SpinBeforeSleeping"/> (a training loop comes back within
/// microseconds, and waking a sleeping thread costs a good share of a small batch) and only then sleep
/// on a semaphore. Nothing is allocated per batch. When the batch is small compared with the cost of waking workers, the caller
/// computes every chunk itself, in the same order and with the same arithmetic.
/// </para>
/// <para>
/// The optimizer steps update the parameters of the network the engine was created for: every thread reads
/// <see cref="INetwork{T}.Parameters"/> itself and updates its own share, so no thread holds another's span or a
/// pointer into the buffer. Internal: the trainers (<see cref="Trainer{T}"/> and NetGen.Mpi's distributed one) are
/// its public face.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ParallelGradient<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The largest number of chunks a minibatch is cut into.</summary>
    public const int MaxChunks = 8;

    /// <summary>The smallest chunk, in samples (a batch smaller than this is one chunk).</summary>
    public const int MinChunkSize = 32;

    /// <summary>The smallest chunk when the gradient is larger than <see cref="MediumGradientBytes"/>.</summary>
    public const int MediumGradientMinChunkSize = 64;

    /// <summary>
    /// Above this many bytes of gradient (half a core's L2 cache) chunks have at least
    /// <see cref="MediumGradientMinChunkSize"/> samples: the Fashion-MNIST race's network (235,146 parameters, batch 128)
    /// ran its epoch in 0.86-0.97 s with two 64-sample chunks against 0.95-1.27 s with four of 32 (fewer gradient
    /// buffers to clear, fill and add, and products twice as long), with 2 threads.
    /// </summary>
    public const long MediumGradientBytes = 1 << 19;

    /// <summary>The smallest chunk when the gradient is larger than <see cref="LargeGradientBytes"/>.</summary>
    public const int LargeGradientMinChunkSize = 128;

    /// <summary>
    /// Above this many bytes of gradient (about a core's L2 cache) a chunk's gradient buffer lives in slower
    /// memory, and clearing it, accumulating into it and adding it to the total is expensive (a third of W4's
    /// training time with 32-sample chunks), so chunks get larger.
    /// </summary>
    public const long LargeGradientBytes = 1 << 20;

    /// <summary>Below this many parameters an optimizer step runs on the caller: waking the workers costs more.</summary>
    private const int MinParallelStep = 32_768;

    /// <summary>Parameters per slice of the reduction of chunk gradients (a thread's share is reduced slice by slice).</summary>
    private const int ReduceSliceLength = 16_384;

    /// <summary>Below this much work (parameters x samples) per batch, threads cost more than they save.</summary>
    public const long MinParallelWork = 200_000;

    /// <summary>
    /// From this much work (parameters x batch capacity) a network whose products take a team runs each batch as one
    /// chunk whose large products the threads share; below it, in chunks. W3's 101,770 parameters at batch 64 (6.5
    /// million) share products; a 64-64-10 network at batch 128 (0.6 million) has products of a few microseconds,
    /// where posting a product to the team would cost a good share of what it saves.
    /// </summary>
    public const long MinSharedProductWork = 1 << 21;

    private readonly INetwork<T> _network;
    private readonly int _parameterCount;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private readonly NetworkWorkspace<T>[] _workspaces;
    private readonly AlignedBuffer<T>[] _chunkGradients;
    private readonly double[] _chunkLosses;
    private readonly KernelTeam? _team;

    // How the engine's threads start every wait (in place first or not), decided once from the thread count.
    private readonly PatientSpin _freshWait;

    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _wake;
    private readonly int[] _sleeping;

    // The batch counter the workers watch, and how many of them are still working on the current batch.
    private int _generation;
    private int _running;

    // The job of the current batch, published to workers by the barrier.
    private int _batch;
    private int _chunkCount;
    private Job _job;
    private int _nextChunk;
    private int _chunksDone;
    private bool _training;
    private ulong _dropoutSeed;
    private ReadOnlyMemory<T> _inputs;
    private ReadOnlyMemory<T> _targets;
    private Memory<T> _gradient;

    // The job of an optimizer step on the network's parameters (each thread reads them from the network).
    private Optimizer<T>? _optimizer;
    private ReadOnlyMemory<T> _stepGradient;
    private int _stepLength;
    private long _stepNumber;
    // The fused job (ComputeAndStep): the divisor of the summed gradient, how many threads have reduced their
    // share, and whether any share was not finite.
    private T _divisor;
    private int _sharesReduced;
    private int _nonFiniteShares;
    // Threads that have cleared their share of the result (one chunk with shared products).
    private int _sharesCleared;
    private Exception? _workerError;
    private volatile bool _disposed;

    /// <summary>Creates the workers and all per-chunk memory for batches of up to <paramref name="batchCapacity"/> samples.</summary>
    /// <param name="network">The network whose gradients are computed.</param>
    /// <param name="batchCapacity">The largest minibatch.</param>
    /// <param name="threads">Threads to use, the caller's included; 1 computes everything on the caller.</param>
    public ParallelGradient(INetwork<T> network, int batchCapacity, int threads)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);

        _network = network;
        _parameterCount = network.ParameterCount;
        _inputSize = network.InputSize;
        _outputSize = network.OutputSize;
        SharesProducts = network.CreateWorkspace(1).SplitsProducts && (long)network.ParameterCount * batchCapacity >= MinSharedProductWork;
        ChunkSize = SharesProducts ? batchCapacity : ChunkSizeFor(batchCapacity, (long)network.ParameterCount * Unsafe.SizeOf<T>());
        int chunks = (batchCapacity + ChunkSize - 1) / ChunkSize;
        _workspaces = new NetworkWorkspace<T>[chunks];
        _chunkGradients = new AlignedBuffer<T>[SharesProducts ? 0 : chunks];
        _chunkLosses = new double[chunks];
        for (int c = 0; c < chunks; c++)
        {
            _workspaces[c] = network.CreateWorkspace(ChunkSize);
            if (!SharesProducts)
            {
                _chunkGradients[c] = new AlignedBuffer<T>(network.ParameterCount);
            }
        }

        Threads = SharesProducts ? threads : Math.Min(threads, chunks);
        _freshWait = PatientSpin.For(Threads);
        _team = SharesProducts && Threads > 1 ? new KernelTeam(Threads) : null;
        _workers = new Thread[Threads - 1];
        _wake = new SemaphoreSlim[_workers.Length];
        _sleeping = new int[_workers.Length];
        for (int i = 0; i < _workers.Length; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
        }

        if (_workers.Length > 0)
        {
            for (int i = 0; i < _workers.Length; i++)
            {
                int index = i + 1;
                _workers[i] = new Thread(() => WorkerLoop(index - 1)) { IsBackground = true, Name = $"NetGen gradient worker {index}" };
                _workers[i].Start();
            }
        }
    }

    /// <summary>Samples per chunk: a function of the network and the batch capacity alone (never of the threads).</summary>
    public int ChunkSize { get; }

    /// <summary>
    /// True when a batch is one chunk whose large products the threads share (see <see cref="MinSharedProductWork"/>);
    /// a function of the network and the batch capacity alone.
    /// </summary>
    public bool SharesProducts { get; }

    /// <summary>Products the threads have shared so far (for tests: 0 when no product was split).</summary>
    internal long SharedProducts => _team?.SharedProducts ?? 0;

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Threads in use, the caller's included (never more than the number of chunks, unless the threads share products).</summary>
    public int Threads { get; }

    /// <summary>
    /// The chunk size for a batch capacity and a gradient of <paramref name="gradientBytes"/> bytes: at most
    /// <see cref="MaxChunks"/> chunks of at least <see cref="MinChunkSize"/> samples, or
    /// <see cref="MediumGradientMinChunkSize"/> when the gradient is larger than <see cref="MediumGradientBytes"/>, or
    /// <see cref="LargeGradientMinChunkSize"/> when it is larger than <see cref="LargeGradientBytes"/>.
    /// </summary>
    /// <param name="batchCapacity">The largest minibatch.</param>
    /// <param name="gradientBytes">The size of the network's gradient in bytes.</param>
    public static int ChunkSizeFor(int batchCapacity, long gradientBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(gradientBytes);
        int smallest = gradientBytes > LargeGradientBytes ? LargeGradientMinChunkSize
            : gradientBytes > MediumGradientBytes ? MediumGradientMinChunkSize
            : MinChunkSize;
        return Math.Max(smallest, (batchCapacity + MaxChunks - 1) / MaxChunks);
    }

    /// <summary>
    /// Computes the summed loss of a minibatch and writes (not adds) the gradient of that sum into
    /// <paramref name="gradient"/>.
    /// </summary>
    /// <param name="inputs">The batch's inputs, sample after sample.</param>
    /// <param name="targets">The batch's targets.</param>
    /// <param name="gradient">Receives the summed gradient; length <see cref="INetwork.ParameterCount"/>.</param>
    /// <param name="training">True to apply dropout.</param>
    /// <param name="dropoutSeed">The seed of this batch's dropout masks.</param>
    public double Compute(ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, Memory<T> gradient, bool training, ulong dropoutSeed)
    {
        int batch = ValidateBatch(inputs, gradient);
        if (IsOneChunkOnCaller(batch))
        {
            double loss = RunOneChunk(inputs.Span, targets.Span, batch, training, dropoutSeed);
            _chunkGradients[0].Span.CopyTo(gradient.Span);
            return loss;
        }

        bool parallel = BeginBatch(batch, inputs, targets, gradient, training, dropoutSeed);
        if (parallel)
        {
            RunOnAllThreads(Job.Gradient);
        }
        else
        {
            RunChunksOnCaller();
            ReduceShare(0, 1);
        }

        return EndBatch();
    }

    /// <summary>
    /// <see cref="Compute"/>, then the mean gradient (the sum divided by <paramref name="divisor"/>, usually the
    /// batch size) written into <paramref name="gradient"/>, then one step of <paramref name="optimizer"/> with it, as
    /// one job: each thread reduces, divides and updates its own share of the parameters, so there is no serial pass
    /// over the gradient between the batch and the step and the share stays in that core's cache. The step is
    /// taken only when the loss and every gradient value are finite. The same bits as <see cref="Compute"/>,
    /// <c>TensorPrimitives.Divide</c> and <see cref="Step"/> one after another, on any number of threads. The
    /// parameters updated are the network's.
    /// </summary>
    /// <param name="inputs">The batch's inputs, sample after sample.</param>
    /// <param name="targets">The batch's targets.</param>
    /// <param name="gradient">Receives the mean gradient; length <see cref="INetwork.ParameterCount"/>.</param>
    /// <param name="divisor">What the summed gradient is divided by.</param>
    /// <param name="optimizer">The optimizer; its state is sized on the first step.</param>
    /// <param name="training">True to apply dropout.</param>
    /// <param name="dropoutSeed">The seed of this batch's dropout masks.</param>
    /// <param name="stepped">False when the loss or the gradient was not finite, and so no parameter changed.</param>
    /// <returns>The summed loss of the batch.</returns>
    // Never inlined into the caller: a training step of a tiny network is about 100 ns, and inlined into a caller's loop
    // (the trainer's, a benchmark's) the whole step exhausted the JIT's inlining budget there, so span constructors and
    // slices inside it became calls. As its own method it gets its own budget: W1 1.11x, W2 at batch 1 1.04x.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public double ComputeAndStep(ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, Memory<T> gradient, T divisor, Optimizer<T> optimizer, bool training, ulong dropoutSeed, out bool stepped)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        int batch = ValidateBatch(inputs, gradient);
        if (IsOneChunkOnCaller(batch))
        {
            return RunOneChunkAndStep(inputs.Span, targets.Span, gradient.Span, batch, divisor, optimizer, training, dropoutSeed, out stepped);
        }

        bool parallel = BeginBatch(batch, inputs, targets, gradient, training, dropoutSeed);
        long step = optimizer.PrepareStep(gradient.Length);
        _divisor = divisor;
        _sharesReduced = 0;
        _nonFiniteShares = 0;
        _optimizer = optimizer;
        _stepLength = gradient.Length;
        _stepNumber = step;
        try
        {
            if (parallel)
            {
                RunOnAllThreads(Job.GradientAndStep);
            }
            else
            {
                RunChunksOnCaller();
                ReduceDivideAndStep(0, 1);
            }
        }
        finally
        {
            _optimizer = null;
        }

        stepped = _nonFiniteShares == 0 && double.IsFinite(ChunkLossSum());
        if (stepped)
        {
            optimizer.CommitStep();
        }

        return EndBatch();
    }

    /// <summary>
    /// Checks that the engine is alive and the batch's buffers fit the network and the engine; returns the number of
    /// samples.
    /// </summary>
    private int ValidateBatch(ReadOnlyMemory<T> inputs, Memory<T> gradient)
    {
        int inputLength = inputs.Length;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (gradient.Length != _parameterCount)
        {
            throw new ArgumentException($"The gradient buffer has {gradient.Length} values; the network has {_parameterCount} parameters.", nameof(gradient));
        }

        // One division: a positive length is a multiple of the input size exactly when the quotient gives it back.
        int batch = inputLength / _inputSize;
        if (inputLength == 0 || batch * _inputSize != inputLength)
        {
            throw new ArgumentException($"The inputs have {inputLength} values, not a positive multiple of {_inputSize}.", nameof(inputs));
        }

        if (batch > _workspaces.Length * ChunkSize)
        {
            throw new ArgumentException($"The batch has {batch} samples; this engine was created for at most {_workspaces.Length * ChunkSize}.", nameof(inputs));
        }

        return batch;
    }

    /// <summary>
    /// True when a batch of <paramref name="batch"/> samples is one chunk of its own (not one whose products the threads
    /// share), which the caller always computes alone: <see cref="BeginBatch"/> would not wake the workers for it.
    /// </summary>
    private bool IsOneChunkOnCaller(int batch) => batch <= ChunkSize && !SharesProducts;

    /// <summary>
    /// Forward and backward over a batch that is one chunk, on the caller, into the first chunk's gradient buffer
    /// (cleared first): what <see cref="RunChunk"/> does for chunk 0, with the spans taken once from the arguments and
    /// none of the batch's shared fields written (a small network's whole step is a few hundred nanoseconds, and the
    /// publishing, the divisions and the stores with write barriers were a third of W1's).
    /// </summary>
    /// <returns>The batch's summed loss, formed as <see cref="ChunkLossSum"/> forms it (0 + the chunk's loss, which
    /// turns a loss of -0 into +0).</returns>
    private double RunOneChunk(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch, bool training, ulong dropoutSeed) =>
        0d + ForwardBackwardChunk(0, inputs, targets.Slice(0, batch * _outputSize), training, dropoutSeed);

    /// <summary>
    /// <see cref="ComputeAndStep"/> for a batch that is one chunk on the caller: the chunk, its gradient divided
    /// straight into <paramref name="gradient"/> and checked in one pass, and the step when everything is finite, with
    /// the same arithmetic (and bits) as the chunked path.
    /// </summary>
    private double RunOneChunkAndStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, int batch, T divisor, Optimizer<T> optimizer, bool training, ulong dropoutSeed, out bool stepped)
    {
        long step = optimizer.PrepareStep(gradient.Length);
        double loss = RunOneChunk(inputs, targets, batch, training, dropoutSeed);
        stepped = GradientKernels.DivideAndCheckFinite<T>(_chunkGradients[0].Span, divisor, gradient) && double.IsFinite(loss);
        if (stepped)
        {
            optimizer.UpdateSlice(_network.Parameters.Slice(0, gradient.Length), gradient, 0, step);
            optimizer.CommitStep();
        }

        return loss;
    }

    /// <summary>Publishes a validated batch of <paramref name="batch"/> samples to the threads; returns whether the workers should help.</summary>
    private bool BeginBatch(int batch, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, Memory<T> gradient, bool training, ulong dropoutSeed)
    {
        _batch = batch;
        _chunkCount = (batch + ChunkSize - 1) / ChunkSize;
        _nextChunk = -1;
        _chunksDone = 0;
        _training = training;
        _dropoutSeed = dropoutSeed;
        _inputs = inputs;
        _targets = targets;
        _gradient = gradient;
        _workerError = null;
        _sharesCleared = 0;

        return _workers.Length > 0 && (_chunkCount > 1 || SharesProducts) && (long)_network.ParameterCount * batch >= MinParallelWork;
    }

    /// <summary>The summed loss of the batch just computed (chunk by chunk, in order), and the batch's buffers released.</summary>
    private double EndBatch()
    {
        double loss = ChunkLossSum();
        _inputs = default;
        _targets = default;
        _gradient = default;
        return loss;
    }

    private double ChunkLossSum()
    {
        double loss = 0;
        for (int c = 0; c < _chunkCount; c++)
        {
            loss += _chunkLosses[c];
        }

        return loss;
    }

    /// <summary>
    /// Takes one step of <paramref name="optimizer"/> on the network's parameters with the workers, each thread
    /// updating slices of them: the same bits as <see cref="Optimizer{T}.Step"/> on the caller, since every element
    /// is updated on its own (and the slices start at multiples of the vector width). Small networks are updated on
    /// the caller.
    /// </summary>
    /// <param name="optimizer">The optimizer; its state is sized on the first step.</param>
    /// <param name="gradient">The gradient; length <see cref="INetwork.ParameterCount"/>.</param>
    /// <exception cref="ArgumentException">The gradient's length differs from the parameters', or from the optimizer's state.</exception>
    public void Step(Optimizer<T> optimizer, ReadOnlyMemory<T> gradient)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(optimizer);
        int parameterCount = _network.ParameterCount;
        if (_workers.Length == 0 || parameterCount < MinParallelStep)
        {
            optimizer.Step(_network.Parameters, gradient.Span);
            return;
        }

        if (gradient.Length != parameterCount)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} values; the network has {parameterCount} parameters.", nameof(gradient));
        }

        long step = optimizer.BeginStep(parameterCount);
        _optimizer = optimizer;
        _stepGradient = gradient;
        _stepLength = parameterCount;
        _stepNumber = step;
        try
        {
            RunOnAllThreads(Job.Step);
        }
        finally
        {
            _optimizer = null;
            _stepGradient = default;
        }
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StartWorkers(); // they see _disposed and exit
        foreach (var worker in _workers)
        {
            worker.Join();
        }

        foreach (var wake in _wake)
        {
            wake.Dispose();
        }
    }

    /// <summary>How long an idle worker spins for the next batch before it sleeps.</summary>
    public static TimeSpan SpinBeforeSleeping { get; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Publishes a new generation (a batch, or the end) and wakes workers that went to sleep.</summary>
    private void StartWorkers()
    {
        Interlocked.Increment(ref _generation);
        for (int i = 0; i < _workers.Length; i++)
        {
            if (Volatile.Read(ref _sleeping[i]) != 0)
            {
                _wake[i].Release();
            }
        }
    }

    private void WorkerLoop(int index)
    {
        int seen = 0;
        while (true)
        {
            long idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            var spin = _freshWait;
            while (Volatile.Read(ref _generation) == seen)
            {
                if (System.Diagnostics.Stopwatch.GetElapsedTime(idleSince) < SpinBeforeSleeping)
                {
                    spin.SpinOnce();
                    continue;
                }

                // Sleep, unless the next batch arrived while deciding to (StartWorkers reads the flag after
                // advancing the generation, so one of the two always sees the other).
                Volatile.Write(ref _sleeping[index], 1);
                if (Volatile.Read(ref _generation) == seen)
                {
                    _wake[index].Wait();
                }

                Volatile.Write(ref _sleeping[index], 0);
                idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            seen = Volatile.Read(ref _generation);
            if (_disposed)
            {
                return;
            }

            try
            {
                RunJob(_job, index + 1, _workers.Length + 1);
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _workerError, error, null);
            }

            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>
    /// Publishes <paramref name="job"/> to the workers, does a share of it on the caller, waits for all of them
    /// and rethrows the first failure: the caller's own exception as it is, a worker's wrapped.
    /// </summary>
    private void RunOnAllThreads(Job job)
    {
        _job = job;
        _workerError = null;
        if (job != Job.Step)
        {
            // Before the workers start (StartWorkers is a full barrier), so they find the team open.
            _team?.Open();
        }

        Volatile.Write(ref _running, _workers.Length);
        StartWorkers();
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? callerError = null;
        try
        {
            RunJob(job, 0, _workers.Length + 1);
        }
        catch (Exception exception)
        {
            // Recorded like a worker's error so the workers stop waiting for chunks; rethrown as it is once they are done.
            callerError = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception);
            Interlocked.CompareExchange(ref _workerError, exception, null);
        }

        var spin = _freshWait;
        while (Volatile.Read(ref _running) > 0)
        {
            spin.SpinOnce();
        }

        callerError?.Throw();
        if (_workerError is { } error)
        {
            throw new InvalidOperationException("A gradient worker failed: " + error.Message, error);
        }
    }

    /// <summary>Does thread <paramref name="thread"/>'s share of <paramref name="job"/> (the caller is thread 0).</summary>
    private void RunJob(Job job, int thread, int threads)
    {
        if (job == Job.Gradient)
        {
            if (SharesProducts)
            {
                RunSharedBatch(thread, threads);
                return;
            }

            RunChunks();
            ReduceShare(thread, threads);
        }
        else if (job == Job.GradientAndStep)
        {
            if (SharesProducts)
            {
                RunSharedBatch(thread, threads);
            }
            else
            {
                RunChunks();
            }

            ReduceDivideAndStep(thread, threads);
        }
        else
        {
            var (start, length) = Share(thread, threads, _stepLength);
            _optimizer!.UpdateSlice(_network.Parameters.Slice(start, length), _stepGradient.Span.Slice(start, length), start, _stepNumber);
        }
    }

    /// <summary>
    /// Thread <paramref name="thread"/>'s part of <paramref name="length"/> parameters: the same part in the
    /// reduction and in the optimizer step, so each thread updates the gradient and optimizer state it already
    /// has in its cache. Parts start at multiples of 64 elements, so the vector loops see the same boundaries
    /// as a single pass over the whole buffer.
    /// </summary>
    private static (int Start, int Length) Share(int thread, int threads, int length)
    {
        int start = (int)((long)length * thread / threads) & ~63;
        int end = thread == threads - 1 ? length : (int)((long)length * (thread + 1) / threads) & ~63;
        return (start, end - start);
    }

    /// <summary>Takes chunks until none is left; each chunk's result goes to its own buffers.</summary>
    private void RunChunks()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk)) < _chunkCount)
        {
            RunChunk(chunk);
            Interlocked.Increment(ref _chunksDone);
        }
    }

    /// <summary>
    /// This thread's part of a batch whose products the threads share: clear this thread's share of the result, then
    /// the caller (once every share is clear) runs the batch forward and backward straight into the result with the
    /// team, while the other threads compute their parts of its large products until it is done.
    /// </summary>
    private void RunSharedBatch(int thread, int threads)
    {
        var (start, length) = Share(thread, threads, _gradient.Length);
        _gradient.Span.Slice(start, length).Clear();
        Interlocked.Increment(ref _sharesCleared);
        if (thread != 0)
        {
            _team!.Serve(thread);
            return;
        }

        try
        {
            var spin = _freshWait;
            while (Volatile.Read(ref _sharesCleared) < threads)
            {
                if (Volatile.Read(ref _workerError) is not null)
                {
                    return;
                }

                spin.SpinOnce();
            }

            RunWholeBatch(_team);
            Volatile.Write(ref _chunksDone, 1);
        }
        finally
        {
            _team!.Close();
        }
    }

    /// <summary>
    /// The batch as one chunk in the one workspace, added straight into the (cleared) result, its large products shared
    /// by <paramref name="team"/> when there is one.
    /// </summary>
    private void RunWholeBatch(KernelTeam? team)
    {
        var workspace = _workspaces[0];
        workspace.Training = _training;
        workspace.DropoutSeed = _dropoutSeed;
        workspace.SampleOffset = 0;
        workspace.Team = team;
        try
        {
            _chunkLosses[0] = double.CreateChecked(_network.ForwardBackward(_inputs.Span, _targets.Span, _gradient.Span, workspace));
        }
        finally
        {
            workspace.Team = null;
        }
    }

    /// <summary>
    /// Every chunk on the caller, when the workers do not help: no other thread reads the counters, so they need
    /// no atomic operations (a few tens of nanoseconds of W1's 200-nanosecond step).
    /// </summary>
    private void RunChunksOnCaller()
    {
        if (SharesProducts)
        {
            _gradient.Span.Clear();
            RunWholeBatch(team: null);
        }
        else
        {
            for (int chunk = 0; chunk < _chunkCount; chunk++)
            {
                RunChunk(chunk);
            }
        }

        _nextChunk = _chunkCount;
        _chunksDone = _chunkCount;
    }

    /// <summary>Forward and backward over one chunk into that chunk's gradient buffer (cleared first) and loss.</summary>
    private void RunChunk(int chunk)
    {
        int start = chunk * ChunkSize;
        int count = Math.Min(ChunkSize, _batch - start);
        _chunkLosses[chunk] = ForwardBackwardChunk(
            chunk,
            _inputs.Span.Slice(start * _inputSize, count * _inputSize),
            _targets.Span.Slice(start * _outputSize, count * _outputSize),
            _training,
            _dropoutSeed);
    }

    /// <summary>
    /// Forward and backward over chunk <paramref name="chunk"/>'s samples in its own workspace, into its gradient buffer
    /// (cleared first); returns the chunk's loss. Inlined into both callers, so the one-chunk path stays one method.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double ForwardBackwardChunk(int chunk, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, bool training, ulong dropoutSeed)
    {
        var workspace = _workspaces[chunk];
        workspace.Training = training;
        workspace.DropoutSeed = dropoutSeed;
        workspace.SampleOffset = chunk * ChunkSize;
        var gradient = _chunkGradients[chunk].Span;
        GradientKernels.Clear<T>(gradient);
        return double.CreateChecked(_network.ForwardBackward(inputs, targets, gradient, workspace));
    }

    /// <summary>
    /// Once every chunk is done, adds the chunk gradients of this thread's share of the parameters into the
    /// result in chunk order (slice by slice, so the partial sums stay in L1), so every sum is formed the same way.
    /// </summary>
    private void ReduceShare(int thread, int threads) => ReduceShare(thread, threads, divideAndCheck: false);

    /// <summary>
    /// <see cref="ReduceShare(int, int)"/>; with <paramref name="divideAndCheck"/> each slice is also divided by
    /// <see cref="_divisor"/> and checked for finiteness while it is in L1 (instead of two more passes over the share
    /// from memory: 10.6 MB of W4's traffic per batch), and the result says whether every slice was finite.
    /// </summary>
    private bool ReduceShare(int thread, int threads, bool divideAndCheck)
    {
        var spin = _freshWait;
        while (Volatile.Read(ref _chunksDone) < _chunkCount)
        {
            if (Volatile.Read(ref _workerError) is not null)
            {
                return false;
            }

            spin.SpinOnce();
        }

        bool finite = true;
        var (shareStart, shareLength) = Share(thread, threads, _gradient.Length);
        var target = _gradient.Span;
        for (int start = shareStart; start < shareStart + shareLength; start += ReduceSliceLength)
        {
            int length = Math.Min(ReduceSliceLength, shareStart + shareLength - start);
            var result = target.Slice(start, length);
            if (SharesProducts)
            {
                // The batch's one gradient is the result already: only the mean and the check, in place.
                if (divideAndCheck)
                {
                    finite &= GradientKernels.DivideAndCheckFinite<T>(result, _divisor, result);
                }

                continue;
            }

            if (divideAndCheck && _chunkCount == 1)
            {
                // One chunk: its gradient divided straight into the result and checked, one pass instead of a copy,
                // a divide and a sum.
                finite &= GradientKernels.DivideAndCheckFinite<T>(_chunkGradients[0].Span.Slice(start, length), _divisor, result);
                continue;
            }

            _chunkGradients[0].Span.Slice(start, length).CopyTo(result);
            for (int c = 1; c < _chunkCount; c++)
            {
                TensorPrimitives.Add(result, _chunkGradients[c].Span.Slice(start, length), result);
            }

            if (divideAndCheck)
            {
                finite &= GradientKernels.DivideAndCheckFinite<T>(result, _divisor, result);
            }
        }

        return finite;
    }

    /// <summary>
    /// This thread's share of <see cref="ComputeAndStep"/> once the chunks are done: the share of the gradient summed
    /// and divided, checked, and (after every thread has checked its share, so a non-finite value anywhere leaves
    /// every parameter as it was) the optimizer step on the same share.
    /// </summary>
    private void ReduceDivideAndStep(int thread, int threads)
    {
        bool finite = ReduceShare(thread, threads, divideAndCheck: true);
        if (Volatile.Read(ref _workerError) is not null)
        {
            return;
        }

        var (start, length) = Share(thread, threads, _gradient.Length);
        var share = _gradient.Span.Slice(start, length);
        if (threads == 1)
        {
            // The caller alone: nobody to wait for, so no atomic counters.
            _nonFiniteShares = finite ? 0 : 1;
            _sharesReduced = 1;
        }
        else
        {
            if (!finite)
            {
                Interlocked.Increment(ref _nonFiniteShares);
            }

            Interlocked.Increment(ref _sharesReduced);
            var spin = _freshWait;
            while (Volatile.Read(ref _sharesReduced) < threads)
            {
                if (Volatile.Read(ref _workerError) is not null)
                {
                    return;
                }

                spin.SpinOnce();
            }
        }

        if (Volatile.Read(ref _nonFiniteShares) == 0 && double.IsFinite(ChunkLossSum()))
        {
            _optimizer!.UpdateSlice(_network.Parameters.Slice(start, length), share, start, _stepNumber);
        }
    }

    /// <summary>What the workers do when the generation advances.</summary>
    private enum Job
    {
        /// <summary>Chunks of the minibatch, then slices of the reduction.</summary>
        Gradient,

        /// <summary>Slices of an optimizer step.</summary>
        Step,

        /// <summary>Chunks of the minibatch, then slices of the reduction, the mean and the optimizer step.</summary>
        GradientAndStep,
    }
}
