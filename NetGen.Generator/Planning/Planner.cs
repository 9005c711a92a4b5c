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
            .Select(p => new ParameterPlan(p.Name, p.Offset, p.Rows, p.Columns, p.IsVector, MemberNames.ParameterOffset(p.Name), MemberNames.Property(p.Name), p.Initializer))
            .ToList();
        var parameterIndex = parameters.Select((p, i) => (p.Name, i)).ToDictionary(e => e.Name, e => e.i);

        var strategies = new Strategy[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            strategies[node.Id] = Choose(graph, node, strategies, unrollThreshold);
        }

        var epilogues = graph.Nodes.Select(n => Epilogue(graph, n, strategies)).ToArray();
        var derivativeIsFused = graph.Nodes.Select(n => epilogues[n.Id] is not null && DerivativeIsFused(graph, model.Backward, n, strategies)).ToArray();

        // Layout: the derive stage has checked (NG0019) that the region fits, so every offset is an int (a fused
        // derivative's gradient is left out, so the region can only be smaller).
        var regions = WorkspaceLayout.Regions(graph, model.Backward, id => !derivativeIsFused[id]);
        long stride = WorkspaceLayout.Stride(graph, regions);
        if (stride > WorkspaceLayout.MaxSampleStride(graph.Precision))
        {
            throw new GeneratorBugException("a sample's workspace region of " + stride + " numbers passed the derive stage's check");
        }

        var buffers = regions.Select(r => new BufferPlan(r.Node.Id, r.Kind, BufferLabel(r), (int)r.Offset, r.Node.Size, MemberNames.BufferOffset(r.Node.Name, r.Kind))).ToList();
        int offset = (int)stride;
        int valuesPerSample = (int)regions.Where(r => r.Kind != BufferKind.Gradient).Select(r => r.End).LastOrDefault();

        var inputs = graph.Nodes.Select(n => (Node: n, Block: n.Op as InputBlockOp)).Where(e => e.Block is not null)
            .Select(e => new InputPlan(e.Block!.InputName, e.Node.Id, e.Block.Offset, e.Block.Size, InputNames.OffsetConstant(e.Block.InputName), InputNames.SizeConstant(e.Block.InputName)))
            .ToList();
        CheckNamesAreDistinct(graph, parameters, buffers, inputs);

        // Each layer's texts are its unit's: the heading above its code, its line in the docs, its description.
        var headings = new Dictionary<int, string>();
        var layers = new List<LayerPlan>();
        foreach (var layer in graph.Layers)
        {
            var view = new LayerView(graph, layer);
            var unit = layer.Spec.Unit;
            bool readsOwnSource = !unit.IsMerge && layer.Sources.Count > 0 && layer.Sources[0] != layer.Index - 1;
            if (unit.Heading(view) is { } heading)
            {
                headings[layer.FirstNode] = "Layer " + layer.Index + ": " + heading
                    + (readsOwnSource ? ", reading " + LayerView.Reading(graph.Nodes[graph.Nodes[layer.FirstNode].Inputs[0]]) : string.Empty);
            }

            layers.Add(new LayerPlan(layer.Index, unit.Documentation(view),
                "new(" + layer.Index + ", " + LayerView.Runtime + ".LayerKind." + unit.Kind + ", " + layer.InputSize + ", " + layer.OutputSize + ", " + unit.DescriptionArguments(view) + ")"));
        }

        var nodes = graph.Nodes.Select(n => new NodePlan(
            n.Id, n.Name, n.Op, n.Size, n.Inputs, n.Parameters.Select(p => parameterIndex[p.Name]).ToEquatableArray(), n.Names(graph),
            strategies[n.Id], headings.TryGetValue(n.Id, out var heading) ? heading : null, MemberNames.IsData(n), inputs.FirstOrDefault(i => i.Node == n.Id),
            epilogues[n.Id], derivativeIsFused[n.Id])).ToList();

        // A fused derivative's step is the input gradient of the product that reads the activation.
        var steps = model.Backward.Steps.Where(s => !derivativeIsFused[s.Node]).Select(s => new StepPlan(s.Node, s.Wrt, s.Target, s.Assignment));
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

    private static string BufferLabel(WorkspaceLayout.Region region) => region.Kind switch
    {
        BufferKind.Value => region.Node.Name,
        BufferKind.Mask => region.Node.Name + "Mask",
        BufferKind.Gradient => "d" + region.Node.Name,
        _ => throw new GeneratorBugException("no label for buffer kind " + region.Kind),
    };

    /// <summary>
    /// Ops with a batch kernel (dense layers) run sample by sample when every parameter tensor has at most
    /// <paramref name="unrollThreshold"/> elements, else as one kernel call over the batch; sample by sample, they
    /// call their one-sample vector kernel when the shape has a vector path and are unrolled otherwise. An
    /// element-wise op uses its vector primitive from <see cref="ElementwiseOp.VectorMinimum"/> elements, and
    /// otherwise is unrolled exactly when the values it reads were computed sample by sample (unrolled or by a
    /// one-sample kernel).
    /// </summary>
    private static Strategy Choose(ForwardGraph graph, GraphNode node, Strategy[] strategies, int unrollThreshold)
    {
        if (node.Op.HasBatchKernel)
        {
            if (node.Parameters.Count == 0 || node.Parameters.Any(p => p.Length > unrollThreshold))
            {
                return Strategy.Kernel;
            }

            var inputSizes = node.Inputs.Select(i => graph.Nodes[i].Size).ToList();
            return node.Op.HasSampleKernel(inputSizes, graph.Precision.ElementBytes()) ? Strategy.SampleKernel : Strategy.Unrolled;
        }

        if (node.Op.StrategyFollowsInputs)
        {
            return node.Inputs.All(i => IsPerSample(strategies[i])) ? Strategy.Unrolled : Strategy.Loop;
        }

        if (node.Op is ElementwiseOp elementwise)
        {
            if (node.Size >= ElementwiseOp.VectorMinimum && elementwise.VectorPrimitive(Notation.Float) is not null)
            {
                return Strategy.Vector;
            }

            return node.Inputs.Count > 0 && node.Inputs.All(i => IsPerSample(strategies[i])) ? Strategy.Unrolled : Strategy.Loop;
        }

        return Strategy.Loop;
    }

    /// <summary>
    /// How the batch product that <paramref name="node"/> reads computes it as it stores its own value, as the node's op
    /// says (<see cref="Op.ProductEpilogue"/>), or null: when the node reads that product alone, runs over the batch
    /// (the product is a batch kernel) and is not the prediction (which <c>PredictSample</c> may compute on its own).
    /// </summary>
    private static FusedActivation? Epilogue(ForwardGraph graph, GraphNode node, Strategy[] strategies)
    {
        if (node.Inputs.Count != 1 || node.Id == graph.Loss.PredictionNode)
        {
            return null;
        }

        var product = graph.Nodes[node.Inputs[0]];
        if (!product.Op.HasBatchKernel || strategies[product.Id] != Strategy.Kernel)
        {
            return null;
        }

        return node.Op.ProductEpilogue(strategies[node.Id], graph.Precision == PrecisionKind.Double ? Notation.Double : Notation.Float);
    }

    /// <summary>
    /// True when the derivative of the fused activation <paramref name="node"/> can be applied by the input gradient of the
    /// batch product that reads it: that product is the only step writing dL/d(node), writes it first (=) and as its
    /// input 0, the node is not the loss's input (the loss writes its gradient), and the derivative's own step writes
    /// dL/d(its input) first, as the kernel overwrites it.
    /// </summary>
    private static bool DerivativeIsFused(ForwardGraph graph, BackwardGraph backward, GraphNode node, Strategy[] strategies)
    {
        if (node.Id == graph.Loss.InputNode)
        {
            return false;
        }

        var own = backward.Steps.Where(s => s.Node == node.Id).ToList();
        var writers = backward.Steps.Where(s => s.Target == node.Id).ToList();
        return own.Count == 1 && !own[0].Assignment.Accumulates
            && writers.Count == 1 && !writers[0].Assignment.Accumulates && writers[0].Wrt == Wrt.Input(0)
            && graph.Nodes[writers[0].Node].Op.HasBatchKernel && strategies[writers[0].Node] == Strategy.Kernel;
    }

    private static bool IsPerSample(Strategy strategy) => strategy is Strategy.Unrolled or Strategy.SampleKernel;

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
        parts.AddRange(graph.Layers.Select(l => l.Spec.Unit.DiagramPart(new LayerView(graph, l))).OfType<string>());
        return string.Join(" -> ", parts);
    }
}
