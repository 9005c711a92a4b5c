using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Derivation;

/// <summary>
/// Stage 4: reverse-mode differentiation of a forward graph. Starting from the loss, it visits nodes in
/// reverse topological order; each node that received a gradient passes it to its parameters and to
/// those of its inputs that need one, by its op's derivative. Every edge is visited once, and a value
/// read by several nodes accumulates their contributions.
/// </summary>
internal static class Deriver
{
    /// <summary>
    /// The pipeline's derive step: the backward graph of <paramref name="located"/>'s forward graph, derived once here,
    /// and the two checks that need it. No member the generated code declares (some are named after the values that get
    /// a gradient) may be named like the class (NG0018: C# forbids it), and one sample's values, masks and gradients must
    /// fit one array (NG0019: the sum over the whole network, so both are reported on <c>[Network]</c>).
    /// </summary>
    public static StageResult<NetworkModel> BuildModel(LocatedGraph located)
    {
        var graph = located.Graph;
        var backward = Derive(graph);
        if (MemberNames.Of(graph, backward).Contains(graph.TypeName))
        {
            return StageResult<NetworkModel>.Rejected(graph.TypeName,
                new[] { DiagnosticInfo.Create(DiagnosticCatalog.NameTakenByGeneratedMember, located.NetworkLocation, graph.TypeName) });
        }

        long stride = WorkspaceLayout.SampleStride(graph, backward);
        if (stride > WorkspaceLayout.MaxSampleStride(graph.Precision))
        {
            return StageResult<NetworkModel>.Rejected(graph.TypeName,
                new[] { DiagnosticInfo.Create(DiagnosticCatalog.WorkspaceTooLarge, located.NetworkLocation, graph.TypeName, stride, WorkspaceLayout.MaxSampleStride(graph.Precision)) });
        }

        return new StageResult<NetworkModel>(graph.TypeName, new NetworkModel(graph, backward), EquatableArray<DiagnosticInfo>.Empty);
    }

    public static BackwardGraph Derive(ForwardGraph graph)
    {
        var nodes = graph.Nodes;

        // A value needs a gradient when a parameter lies upstream of it: not the input, nor values
        // computed from the input alone (dropout on the input).
        var needsGradient = new bool[nodes.Count];
        foreach (var node in nodes)
        {
            bool needs = node.Parameters.Count > 0;
            foreach (int input in node.Inputs)
            {
                needs |= needsGradient[input];
            }

            needsGradient[node.Id] = needs;
        }

        var steps = new List<BackwardStep>();
        var hasGradient = new bool[nodes.Count];
        var gradientNodes = new List<int> { graph.Loss.InputNode };
        hasGradient[graph.Loss.InputNode] = true;

        for (int id = nodes.Count - 1; id > 0; id--)
        {
            if (!hasGradient[id])
            {
                continue;
            }

            var node = nodes[id];

            // Parameters last-to-first (b before W), the order the notes take z = W · a + b apart in.
            for (int p = node.Parameters.Count - 1; p >= 0; p--)
            {
                steps.Add(new BackwardStep(id, Wrt.Parameter(p), -1, Assignment.Accumulate));
            }

            for (int i = 0; i < node.Inputs.Count; i++)
            {
                int target = node.Inputs[i];
                if (!needsGradient[target])
                {
                    continue;
                }

                steps.Add(new BackwardStep(id, Wrt.Input(i), target, hasGradient[target] ? Assignment.Accumulate : Assignment.Assign));
                if (!hasGradient[target])
                {
                    hasGradient[target] = true;
                    gradientNodes.Add(target);
                }
            }
        }

        return new BackwardGraph(steps.ToEquatableArray(), gradientNodes.ToEquatableArray());
    }
}
