using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Derivation;
using NetGen.Generator.Graph;

namespace NetGen.Generator.Planning;

/// <summary>
/// One sample's region of a workspace: the value of every node (a dropout node's mask right after its value), then the
/// gradient of the loss with respect to each value the backward pass needs. Made here once: the derive stage checks its
/// size (NG0019) and the planner names its offsets. Offsets are summed in <c>long</c>, because each value may hold up to
/// 2^30 numbers (NG0027) and a few of them, with their gradients, pass <see cref="int.MaxValue"/>.
/// </summary>
internal static class WorkspaceLayout
{
    /// <summary>
    /// The most numbers one sample's region may hold: .NET's <c>Array.MaxLength</c> (not in netstandard2.0). Generated
    /// code names every offset in the region as an <c>int</c> constant, and <c>Predict</c> may keep the whole region in
    /// one array (<c>new T[SampleStride]</c>), so the region must be an array .NET can allocate.
    /// </summary>
    public const long MaxSampleStride = 0x7FFFFFC7;

    /// <summary>
    /// The regions in layout order, each starting where the one before it ends; without the gradients of the nodes
    /// <paramref name="gradientIsStored"/> says no to (an activation whose derivative a product's kernel applies as it
    /// stores the gradient of the activation's input).
    /// </summary>
    public static IEnumerable<Region> Regions(ForwardGraph graph, BackwardGraph backward, System.Func<int, bool>? gradientIsStored = null)
    {
        long offset = 0;
        foreach (var node in graph.Nodes.Where(n => !MemberNames.IsData(n)))
        {
            yield return new Region(node, BufferKind.Value, offset);
            offset += node.Size;
            if (node.Op.HasMask)
            {
                yield return new Region(node, BufferKind.Mask, offset);
                offset += node.Size;
            }
        }

        foreach (int id in backward.GradientNodes.Where(id => gradientIsStored?.Invoke(id) ?? true))
        {
            yield return new Region(graph.Nodes[id], BufferKind.Gradient, offset);
            offset += graph.Nodes[id].Size;
        }
    }

    /// <summary>How many numbers one sample's region holds (the generated <c>SampleStride</c>).</summary>
    public static long SampleStride(ForwardGraph graph, BackwardGraph backward) =>
        Regions(graph, backward).Select(r => r.End).LastOrDefault();

    /// <summary>A node's value, dropout mask or gradient, at <see cref="Offset"/> in a sample's region.</summary>
    public readonly record struct Region(GraphNode Node, BufferKind Kind, long Offset)
    {
        public long End => Offset + Node.Size;
    }
}
