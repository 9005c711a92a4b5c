using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Derivation;
using NetGen.Generator.Emit;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Planning;

/// <summary>
/// Stage 5: decides how a derived network is computed. It lays out each sample's workspace region
/// (node values, dropout masks, then gradients), names every offset, chooses per node between unrolled
/// statements, loops, vector primitives and batch kernels (from <c>NetGenUnrollThreshold</c>), and
/// writes the docs' layer table and the DOT diagram. The emitter only prints the result.
/// </summary>
internal static class Planner
{
    /// <summary>Largest per-sample region that <c>Predict</c> puts on the stack rather than in a thread-local array.</summary>
    public const int StackallocLimit = 1024;

    public static NetworkPlan Plan(NetworkModel model, int unrollThreshold)
    {
        var graph = model.Forward;
        var parameters = graph.Parameters
            .Select(p => new ParameterPlan(p.Name, p.Offset, p.Rows, p.Columns, p.IsVector, PropertyName(p.Name) + "Offset", PropertyName(p.Name), p.Initializer))
            .ToList();
        var parameterIndex = parameters.Select((p, i) => (p.Name, i)).ToDictionary(e => e.Name, e => e.i);

        // Layout: the value of every node (a dropout node's mask right after its value), then the gradients.
        var buffers = new List<BufferPlan>();
        int offset = 0;
        foreach (var node in graph.Nodes.Where(n => !IsData(n)))
        {
            buffers.Add(new BufferPlan(node.Id, BufferKind.Value, node.Name, offset, node.Size, PropertyName(node.Name) + "Offset"));
            offset += node.Size;
            if (node.Op.HasMask)
            {
                buffers.Add(new BufferPlan(node.Id, BufferKind.Mask, node.Name + "Mask", offset, node.Size, PropertyName(node.Name) + "MaskOffset"));
                offset += node.Size;
            }
        }

        int valuesPerSample = offset;
        foreach (int id in model.Backward.GradientNodes)
        {
            var node = graph.Nodes[id];
            buffers.Add(new BufferPlan(id, BufferKind.Gradient, "d" + node.Name, offset, node.Size, PropertyName(node.Name) + "GradientOffset"));
            offset += node.Size;
        }

        var inputs = graph.Nodes.Select(n => (Node: n, Block: n.Op as InputBlockOp)).Where(e => e.Block is not null)
            .Select(e => new InputPlan(e.Block!.InputName, e.Node.Id, e.Block.Offset, e.Block.Size, InputNames.OffsetConstant(e.Block.InputName), InputNames.SizeConstant(e.Block.InputName)))
            .ToList();
        CheckNamesAreDistinct(graph, parameters, buffers, inputs);

        var strategies = new Strategy[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            strategies[node.Id] = Choose(node, strategies, unrollThreshold);
        }

        var headings = new Dictionary<int, string>();
        foreach (var layer in graph.Layers)
        {
            string operands = string.Join(" and ", graph.Nodes[layer.MainNode].Inputs.Select(i => Reading(graph.Nodes[i])));
            headings[layer.FirstNode] = "Layer " + layer.Index + ": " + (layer.Kind switch
            {
                LayerKind.Dense => "Dense " + layer.InputSize + " -> " + layer.OutputSize + ", " + layer.Activation,
                LayerKind.Dropout => "Dropout " + Rate(layer.DropoutRate) + " over " + layer.OutputSize + " units",
                LayerKind.Add => "Add of " + operands + ", a residual connection",
                LayerKind.Concat => "Concat of " + operands + ", " + layer.OutputSize + " values side by side",
                LayerKind.Multiply => "Multiply of " + operands + ", element by element",
                LayerKind.Input => "Input " + Reading(graph.Nodes[layer.MainNode]),
                LayerKind.LayerNorm => "LayerNorm over " + layer.OutputSize + " units",
                _ => throw new GeneratorBugException("no heading for layer kind " + layer.Kind),
            }) + (!layer.Kind.IsMerge() && layer.Sources.Count > 0 && layer.Sources[0] != layer.Index - 1 ? ", reading " + Reading(graph.Nodes[graph.Nodes[layer.FirstNode].Inputs[0]]) : string.Empty);
        }

        var nodes = graph.Nodes.Select(n => new NodePlan(
            n.Id, n.Name, n.Op, n.Size, n.Inputs, n.Parameters.Select(p => parameterIndex[p.Name]).ToEquatableArray(), n.Names(graph),
            strategies[n.Id], headings.TryGetValue(n.Id, out var heading) ? heading : null, IsData(n), inputs.FirstOrDefault(i => i.Node == n.Id))).ToList();

        var layers = graph.Layers.Select(l => new LayerPlan(l.Index, l.Kind, l.InputSize, l.OutputSize, l.Activation, Rate(l.DropoutRate), l.MainNode, l.Sources));
        var steps = model.Backward.Steps.Select(s => new StepPlan(s.Node, s.Wrt, s.Target, s.Assignment));
        var loss = new LossPlan(graph.Loss.Op, graph.Loss.InputNode, graph.Loss.PredictionNode);

        return new NetworkPlan(
            graph.Namespace, graph.TypeName, graph.HintName, graph.Precision, graph.Loss.Op.Kind, Diagram(graph),
            graph.InputSize, graph.OutputSize, graph.ParameterCount,
            parameters.ToEquatableArray(), buffers.ToEquatableArray(), valuesPerSample, offset,
            Batched: strategies.Any(s => s == Strategy.Kernel),
            HasDropout: graph.Nodes.Any(n => n.Op.NeedsSampleIndex),
            PredictScratchOnHeap: offset > StackallocLimit,
            layers.ToEquatableArray(), nodes.ToEquatableArray(), steps.ToEquatableArray(), loss,
            GraphDotWriter.Lines(model).ToEquatableArray(),
            inputs.ToEquatableArray());
    }

    /// <summary>
    /// Ops with a batch kernel (dense layers) are unrolled when every parameter tensor has at most
    /// <paramref name="unrollThreshold"/> elements, else one kernel call over the batch. An element-wise op
    /// uses its vector primitive from <see cref="ElementwiseOp.VectorMinimum"/> elements, and otherwise is
    /// unrolled exactly when the value it reads was computed by unrolled code.
    /// </summary>
    private static Strategy Choose(GraphNode node, Strategy[] strategies, int unrollThreshold)
    {
        if (node.Op.HasBatchKernel)
        {
            return node.Parameters.All(p => p.Length <= unrollThreshold) && node.Parameters.Count > 0 ? Strategy.Unrolled : Strategy.Kernel;
        }

        if (node.Op.StrategyFollowsInputs)
        {
            return node.Inputs.All(i => strategies[i] == Strategy.Unrolled) ? Strategy.Unrolled : Strategy.Loop;
        }

        if (node.Op is ElementwiseOp elementwise)
        {
            if (node.Size >= ElementwiseOp.VectorMinimum && elementwise.VectorPrimitive(Notation.Float) is not null)
            {
                return Strategy.Vector;
            }

            return node.Inputs.Count > 0 && node.Inputs.All(i => strategies[i] == Strategy.Unrolled) ? Strategy.Unrolled : Strategy.Loop;
        }

        return Strategy.Loop;
    }

    /// <summary>The network input and the named inputs: data read where it is, never computed or stored in the workspace.</summary>
    private static bool IsData(GraphNode node) => node.Op is InputOp or InputBlockOp;

    /// <summary>A value as a heading names it: <c>a1</c>, or <c>x1 (image)</c> for a named input.</summary>
    private static string Reading(GraphNode node) => node.Op is InputBlockOp block ? node.Name + " ('" + block.InputName + "')" : node.Name;

    /// <summary>Two values or tensors that print as the same constant would not compile: a bug in naming, reported as such.</summary>
    private static void CheckNamesAreDistinct(ForwardGraph graph, List<ParameterPlan> parameters, List<BufferPlan> buffers, List<InputPlan> inputs)
    {
        var names = new HashSet<string>();
        foreach (string name in parameters.SelectMany(p => new[] { p.OffsetConstant, p.PropertyName }).Concat(buffers.Select(b => b.Constant))
            .Concat(inputs.SelectMany(i => new[] { i.OffsetConstant, i.SizeConstant })))
        {
            if (!names.Add(name))
            {
                throw new GeneratorBugException(graph.TypeName + ": two values of the plan are both called " + name);
            }
        }
    }

    private static string Diagram(ForwardGraph graph)
    {
        var named = graph.Nodes.Where(n => n.Op is InputBlockOp).Select(n => ((InputBlockOp)n.Op).InputName + " (" + n.Size + ")").ToList();
        var parts = new List<string> { graph.TypeName + ": " + (named.Count == 0 ? graph.InputSize + " inputs" : "inputs " + string.Join(", ", named)) };
        parts.AddRange(graph.Layers.Where(l => l.Kind != LayerKind.Input).Select(l => l.Kind switch
        {
            LayerKind.Dropout => "Dropout " + Rate(l.DropoutRate),
            LayerKind.Dense => "Dense " + l.OutputSize + " (" + l.Activation + ")",
            LayerKind.Add => "Add (" + string.Join(" + ", graph.Nodes[l.MainNode].Inputs.Select(i => graph.Nodes[i].Name)) + ")",
            LayerKind.Concat => "Concat [" + string.Join(" | ", graph.Nodes[l.MainNode].Inputs.Select(i => graph.Nodes[i].Name)) + "] (" + l.OutputSize + ")",
            LayerKind.LayerNorm => "LayerNorm",
            LayerKind.Multiply => "Multiply (" + string.Join(" ⊙ ", graph.Nodes[l.MainNode].Inputs.Select(i => graph.Nodes[i].Name)) + ")",
            _ => throw new GeneratorBugException("no diagram for layer kind " + l.Kind),
        }));
        return string.Join(" -> ", parts);
    }

    private static string Rate(double rate) => rate.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A value's name as the start of a constant or property: <c>W1</c>, <c>B1</c>, <c>Z1</c>, <c>A1Drop</c>.</summary>
    private static string PropertyName(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);
}
