using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Derivation;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;

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
    /// The most numbers one sample's region may hold: what the runtime's <c>AlignedBuffer&lt;T&gt;.MaxLength</c> allows,
    /// .NET's <c>Array.MaxLength</c> (not in netstandard2.0) less the elements before the array's first cache line.
    /// Generated code names every offset in the region as an <c>int</c> constant, and a workspace (or <c>Predict</c>)
    /// keeps the whole region in one array, so the region must be an array .NET can allocate.
    /// </summary>
    public static long MaxSampleStride(PrecisionKind precision) => 0x7FFFFFC7 - (LineBytes / precision.ElementBytes()) + 1;

    /// <summary>
    /// The regions in layout order, each after the one before it; without the gradients of the nodes
    /// <paramref name="gradientIsStored"/> says no to (an activation whose derivative a product's kernel applies as it
    /// stores the gradient of the activation's input). A region of a cache line or more (16 floats, 8 doubles) starts on a
    /// line, so with the workspace's buffer on a line (<c>AlignedBuffer</c>) and a stride of whole lines
    /// (<see cref="Stride"/>) every 512-bit access to it at a multiple of 64 bytes touches one line, not two; the smaller
    /// regions fill the gaps in order.
    /// </summary>
    public static IReadOnlyList<Region> Regions(ForwardGraph graph, BackwardGraph backward, System.Func<int, bool>? gradientIsStored = null)
    {
        int line = LineElements(graph);
        var regions = new List<Region>();
        long offset = 0;
        void Place(GraphNode node, BufferKind kind)
        {
            if (node.Size >= line)
            {
                offset = RoundUp(offset, line);
            }

            regions.Add(new Region(node, kind, offset));
            offset += node.Size;
        }

        foreach (var node in graph.Nodes.Where(n => !MemberNames.IsData(n)))
        {
            Place(node, BufferKind.Value);
            if (node.Op.HasMask)
            {
                Place(node, BufferKind.Mask);
            }
        }

        foreach (int id in backward.GradientNodes.Where(id => gradientIsStored?.Invoke(id) ?? true))
        {
            Place(graph.Nodes[id], BufferKind.Gradient);
        }

        return regions;
    }

    /// <summary>
    /// How many numbers apart samples' regions laid out as <paramref name="regions"/> are (the generated
    /// <c>SampleStride</c>): their end, rounded up to a whole line when a region starts on one, so it does in every sample.
    /// </summary>
    public static long Stride(ForwardGraph graph, IReadOnlyList<Region> regions)
    {
        int line = LineElements(graph);
        long end = regions.Count == 0 ? 0 : regions[regions.Count - 1].End;
        return regions.Any(r => r.Node.Size >= line) ? RoundUp(end, line) : end;
    }

    /// <summary>The stride of the layout with every gradient stored, the largest the network can have (checked as NG0019).</summary>
    public static long SampleStride(ForwardGraph graph, BackwardGraph backward) => Stride(graph, Regions(graph, backward));

    /// <summary>Bytes of a cache line, and of a 512-bit vector.</summary>
    private const int LineBytes = 64;

    private static int LineElements(ForwardGraph graph) => LineBytes / graph.Precision.ElementBytes();

    private static long RoundUp(long value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A node's value, dropout mask or gradient, at <see cref="Offset"/> in a sample's region.</summary>
    public readonly record struct Region(GraphNode Node, BufferKind Kind, long Offset)
    {
        public long End => Offset + Node.Size;
    }
}
