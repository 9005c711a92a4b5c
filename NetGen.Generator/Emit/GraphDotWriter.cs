using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Derivation;

namespace NetGen.Generator.Emit;

/// <summary>
/// The computation graph in Graphviz DOT: the forward pass as solid edges, each backward step as a
/// dashed edge labelled with its op's derivative formula (the same text as the comment on its code).
/// </summary>
internal static class GraphDotWriter
{
    public static IReadOnlyList<string> Lines(NetworkModel model)
    {
        var graph = model.Forward;
        var lines = new List<string>
        {
            "digraph " + graph.TypeName + " {",
            "  rankdir=LR;",
            "  node [fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
            "  // forward pass",
        };

        foreach (var node in graph.Nodes)
        {
            string size = " [" + node.Size.ToString(CultureInfo.InvariantCulture) + "]";
            foreach (var parameter in node.Parameters)
            {
                string shape = parameter.IsVector ? "[" + parameter.Length + "]" : "[" + parameter.Rows + "x" + parameter.Columns + "]";
                lines.Add("  " + parameter.Name + " [shape=box, label=\"" + parameter.Name + " " + shape + "\"];");
            }

            string prediction = node.Id == graph.Loss.PredictionNode ? ", prediction" : string.Empty;
            lines.Add("  " + node.Name + " [shape=ellipse, label=\"" + node.Op.ForwardFormula(node.Names(graph)) + size + prediction + "\"];");
            var edges = new List<string>();
            foreach (int input in node.Inputs)
            {
                edges.Add(graph.Nodes[input].Name + " -> " + node.Name + ";");
            }

            foreach (var parameter in node.Parameters)
            {
                edges.Add(parameter.Name + " -> " + node.Name + ";");
            }

            if (edges.Count > 0)
            {
                lines.Add("  " + string.Join(" ", edges));
            }
        }

        var lossInput = graph.Nodes[graph.Loss.InputNode];
        lines.Add("  t [shape=ellipse, label=\"t [" + lossInput.Size.ToString(CultureInfo.InvariantCulture) + "] (target)\"];");
        lines.Add("  L [shape=doublecircle, label=\"L = " + graph.Loss.Op.Kind + "\"];");
        lines.Add("  " + lossInput.Name + " -> L; t -> L;");
        lines.Add("  // backward pass: the chain rule, one step per operation");
        const string Backward = "style=dashed, color=firebrick, fontcolor=firebrick";
        lines.Add("  L -> " + lossInput.Name + " [" + Backward + ", label=\"" + Label(graph.Loss.Op.Formula(lossInput.Name, graph.Prediction.Name)) + "\"];");
        foreach (var step in model.Backward.Steps)
        {
            var node = graph.Nodes[step.Node];
            string target = step.Wrt.IsParameter ? node.Parameters[step.Wrt.Index].Name : graph.Nodes[node.Inputs[step.Wrt.Index]].Name;
            lines.Add("  " + node.Name + " -> " + target + " [" + Backward + ", label=\"" + Label(node.Op.DerivativeFormula(node.Names(graph), step.Wrt, step.Assignment)) + "\"];");
        }

        lines.Add("}");
        return lines;
    }

    /// <summary>A formula as an edge label: the column padding of comments collapsed.</summary>
    private static string Label(string formula) => System.Text.RegularExpressions.Regex.Replace(formula, " {2,}", "  ");
}
