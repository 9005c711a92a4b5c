using System.Collections.Generic;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;

namespace NetGen.Generator.Derivation;

/// <summary>
/// Stage 4: reverse-mode differentiation of a forward graph. Starting from the loss, it visits
/// nodes in reverse topological order; each node that received a gradient passes it to its
/// inputs (and parameters) by its operation's rule. Every edge is visited once.
/// </summary>
internal static class Deriver
{
    public static BackwardGraph Derive(ComputationGraph graph)
    {
        var steps = new List<BackwardStep>();
        var hasGradient = new bool[graph.Nodes.Count];
        var gradientNodes = new List<int>();

        void Produce(RuleKind rule, int node, int target)
        {
            bool accumulate = target >= 0 && hasGradient[target];
            steps.Add(new BackwardStep(rule, node, target, accumulate));
            if (target >= 0 && !hasGradient[target])
            {
                hasGradient[target] = true;
                gradientNodes.Add(target);
            }
        }

        var loss = graph.Loss;
        Produce(DerivativeRules.ForLoss(loss.Kind), loss.InputNode, loss.InputNode);

        for (int id = graph.Nodes.Count - 1; id > 0; id--)
        {
            if (!hasGradient[id])
            {
                continue;
            }

            var node = graph.Nodes[id];
            int input = node.Inputs[0];
            switch (node.Kind)
            {
                case OpKind.Activation:
                    Produce(DerivativeRules.ForActivation(node.Activation), id, input);
                    break;
                case OpKind.Dropout:
                    Produce(RuleKind.Dropout, id, input);
                    break;
                case OpKind.Linear:
                    Produce(RuleKind.LinearBias, id, -1);
                    Produce(RuleKind.LinearWeights, id, -1);
                    // The network input is data, not a parameter: its gradient is never needed.
                    if (RequiresGradient(graph, input))
                    {
                        Produce(RuleKind.LinearInput, id, input);
                    }

                    break;
            }
        }

        return new BackwardGraph(steps.ToEquatableArray(), gradientNodes.ToEquatableArray());
    }

    /// <summary>
    /// Whether the loss's gradient with respect to a node's value is worth computing: not for the
    /// input, nor for values computed from the input alone without parameters (dropout on the input).
    /// </summary>
    private static bool RequiresGradient(ComputationGraph graph, int id)
    {
        var node = graph.Nodes[id];
        return node.Kind switch
        {
            OpKind.Input => false,
            OpKind.Linear => true,
            _ => RequiresGradient(graph, node.Inputs[0]),
        };
    }
}
