using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Derivation;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes a network's computation graph as Graphviz DOT: values as ellipses, parameters as boxes,
/// forward edges solid, and one dashed edge per backward step labelled with the derivative it
/// implements (the same formulas as the comments in the generated code).
/// </summary>
internal static class GraphDotWriter
{
    public static IReadOnlyList<string> Lines(NetworkModel model, System.Func<RuleKind, BackwardStep?, string> formula)
    {
        var graph = model.Forward;
        var lines = new List<string>
        {
            "digraph " + graph.Spec.TypeName + " {",
            "  rankdir=LR;",
            "  node [fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
            "  // forward pass",
        };

        foreach (var node in graph.Nodes)
        {
            string size = " [" + node.Size.ToString(CultureInfo.InvariantCulture) + "]";
            switch (node.Kind)
            {
                case OpKind.Input:
                    lines.Add("  " + node.Name + " [shape=ellipse, label=\"" + node.Name + size + " (input)\"];");
                    break;
                case OpKind.Linear:
                    var w = node.Weights!;
                    var b = node.Bias!;
                    string input = graph.Nodes[node.Inputs[0]].Name;
                    lines.Add("  " + w.Name + " [shape=box, label=\"" + w.Name + " [" + w.Rows + "x" + w.Columns + "]\"];");
                    lines.Add("  " + b.Name + " [shape=box, label=\"" + b.Name + " [" + b.Length + "]\"];");
                    lines.Add("  " + node.Name + " [shape=ellipse, label=\"" + node.Name + " = " + w.Name + " · " + input + " + " + b.Name + size + "\"];");
                    lines.Add("  " + input + " -> " + node.Name + "; " + w.Name + " -> " + node.Name + "; " + b.Name + " -> " + node.Name + ";");
                    break;
                case OpKind.Dropout:
                    lines.Add("  " + node.Name + " [shape=ellipse, label=\"" + node.Name + " = dropout(" + graph.Nodes[node.Inputs[0]].Name + ", "
                        + node.DropoutRate.ToString("R", CultureInfo.InvariantCulture) + ")" + size + "\"];");
                    lines.Add("  " + graph.Nodes[node.Inputs[0]].Name + " -> " + node.Name + ";");
                    break;
                default:
                    lines.Add("  " + node.Name + " [shape=ellipse, label=\"" + node.Name + " = " + node.Activation.ToString().ToLowerInvariant()
                        + "(" + graph.Nodes[node.Inputs[0]].Name + ")" + size + (node.Id == graph.Loss.PredictionNode ? ", prediction" : string.Empty) + "\"];");
                    lines.Add("  " + graph.Nodes[node.Inputs[0]].Name + " -> " + node.Name + ";");
                    break;
            }
        }

        var lossInput = graph.Nodes[graph.Loss.InputNode];
        lines.Add("  t [shape=ellipse, label=\"t [" + lossInput.Size.ToString(CultureInfo.InvariantCulture) + "] (target)\"];");
        lines.Add("  L [shape=doublecircle, label=\"L = " + graph.Spec.Loss + "\"];");
        lines.Add("  " + lossInput.Name + " -> L; t -> L;");
        lines.Add("  // backward pass: the chain rule, one step per operation");
        const string Backward = "style=dashed, color=firebrick, fontcolor=firebrick";
        lines.Add("  L -> " + lossInput.Name + " [" + Backward + ", label=\"" + formula(DerivativeRules.ForLoss(graph.Loss.Kind), null) + "\"];");
        foreach (var step in model.Backward.Steps.Skip(1))
        {
            var node = graph.Nodes[step.Node];
            string target = step.Rule switch
            {
                RuleKind.LinearBias => node.Bias!.Name,
                RuleKind.LinearWeights => node.Weights!.Name,
                _ => graph.Nodes[node.Inputs[0]].Name,
            };
            lines.Add("  " + node.Name + " -> " + target + " [" + Backward + ", label=\"" + formula(step.Rule, step) + "\"];");
        }

        lines.Add("}");
        return lines;
    }
}
