using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// Scratch memory for one thread's forward and backward passes through a network: the
/// activations of every layer for a batch and the back-propagated errors. Create it with
/// <see cref="INetwork{T}.CreateWorkspace"/>; reuse it for every batch (that is what keeps
/// training allocation-free). A workspace must not be used by two threads at once.
/// </summary>
/// <typeparam name="T">The element type of the network.</typeparam>
public sealed class NetworkWorkspace<T>
    where T : unmanaged
{
    // On a cache line, like the layout generated networks place their values in (WorkspaceLayout in the generator).
    private readonly AlignedBuffer<T> _buffer;

    /// <summary>Creates a workspace for batches of up to <paramref name="batchCapacity"/> samples.</summary>
    /// <param name="batchCapacity">The largest batch the workspace serves; positive.</param>
    /// <param name="elementsPerSample">Scratch elements one sample needs (from the generated network).</param>
    public NetworkWorkspace(int batchCapacity, int elementsPerSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(elementsPerSample);
        long total = (long)batchCapacity * elementsPerSample;
        if (total > AlignedBuffer<T>.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batchCapacity), batchCapacity,
                $"'batchCapacity' is {batchCapacity}, but a workspace of this network holds {elementsPerSample} values per sample in one array, "
                + $"which can hold at most {AlignedBuffer<T>.MaxLength} (the largest .NET array less the values before its first cache line; its indices are int), so at most {WorkspaceLimits.LargestBatch(elementsPerSample, AlignedBuffer<T>.MaxLength)} samples fit. "
                + "Use a smaller batch, or split it among several workspaces.");
        }

        BatchCapacity = batchCapacity;
        ElementsPerSample = elementsPerSample;
        _buffer = new AlignedBuffer<T>((int)total);
    }

    /// <summary>The largest batch this workspace serves.</summary>
    public int BatchCapacity { get; }

    /// <summary>Scratch elements per sample.</summary>
    public int ElementsPerSample { get; }

    /// <summary>
    /// True for a training pass: <see cref="INetwork{T}.ForwardBackward"/> and <see cref="INetwork{T}.ComputeLoss"/>
    /// then apply dropout (with masks from <see cref="DropoutSeed"/>). False (the default) for inference,
    /// where dropout layers pass values through. <see cref="INetwork{T}.Forward"/> and
    /// <see cref="INetwork{T}.Predict"/> never drop units.
    /// </summary>
    public bool Training { get; set; }

    /// <summary>The seed of the dropout masks of the next pass; the trainer sets it for every minibatch.</summary>
    public ulong DropoutSeed { get; set; }

    /// <summary>
    /// Index within the whole minibatch of this workspace's first sample; when a minibatch is split among
    /// threads, each shard's workspace sets it so that every sample gets the same mask whoever computes it.
    /// </summary>
    public int SampleOffset { get; set; }

    /// <summary>
    /// True when the network that created this workspace hands its large batch products to <see cref="Team"/>
    /// (generated networks create their workspaces through <see cref="WorkspaceAccess.CreateSplittingProducts{T}"/>): the
    /// multithreaded gradient engine may then run a whole minibatch in this one workspace, its threads sharing each product.
    /// </summary>
    internal bool SplitsProducts { get; init; }

    /// <summary>
    /// The threads that share this workspace's large products while the gradient engine runs a batch in it; null
    /// otherwise. Generated code reads it through <see cref="WorkspaceAccess.Team{T}"/>.
    /// </summary>
    internal KernelTeam? Team { get; set; }

    /// <summary>
    /// The whole scratch buffer, whose layout the network that created the workspace owns. Generated code
    /// reaches it through <see cref="WorkspaceAccess.Buffer"/>.
    /// </summary>
    internal Span<T> Buffer => _buffer.Span;
}
