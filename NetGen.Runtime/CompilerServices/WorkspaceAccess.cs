using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>
/// The scratch memory of a <see cref="NetworkWorkspace{T}"/>, for the network that created it: generated
/// code (and any hand-written <see cref="INetwork{T}"/>) lays out its values and gradients in it. Users never
/// need it, so it is not a member of the workspace.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WorkspaceAccess
{
    /// <summary>The whole scratch buffer of <paramref name="workspace"/>: <c>BatchCapacity * ElementsPerSample</c> elements.</summary>
    public static Span<T> Buffer<T>(NetworkWorkspace<T> workspace)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return workspace.Buffer;
    }

    /// <summary>
    /// The threads that share the large products of a batch computed in <paramref name="workspace"/>, or null (run them on
    /// the caller): the multithreaded gradient engine sets it while it runs a batch in a workspace made by
    /// <see cref="CreateSplittingProducts{T}"/>. Generated code passes it to the <see cref="DenseKernels"/> products.
    /// </summary>
    public static KernelTeam? Team<T>(NetworkWorkspace<T> workspace)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return workspace.Team;
    }

    /// <summary>
    /// A workspace like <c>new NetworkWorkspace&lt;T&gt;(batchCapacity, elementsPerSample)</c>, created by a network that
    /// passes <see cref="Team{T}"/> to its batch products: the multithreaded gradient engine may then compute a whole
    /// minibatch in it, with its threads sharing each large product, instead of cutting the minibatch into chunks.
    /// </summary>
    /// <param name="batchCapacity">The largest batch the workspace serves; positive.</param>
    /// <param name="elementsPerSample">Scratch elements one sample needs.</param>
    public static NetworkWorkspace<T> CreateSplittingProducts<T>(int batchCapacity, int elementsPerSample)
        where T : unmanaged
        => new(batchCapacity, elementsPerSample) { SplitsProducts = true };
}
