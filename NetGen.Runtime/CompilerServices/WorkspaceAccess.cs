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
}
