using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Derivation;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Planning;

/// <summary>
/// The names of the members generated code declares in a network class, made here once: the planner names constants and
/// properties with these functions, and the derive stage checks that the class's own name is none of them (NG0018: C#
/// forbids a member named like its class). <c>GeneratedNameTests</c> checks that every member a generated class declares
/// is in <see cref="Of"/>.
/// </summary>
internal static class MemberNames
{
    /// <summary>The members every network class gets, whatever its layers.</summary>
    public static IReadOnlyList<string> Fixed { get; } = new[]
    {
        "InputSize", "OutputSize", "ParameterCount", "ValuesPerSample", "SampleStride", "PredictionOffset", "NetworkDescription",
        "ComputationGraphDot", "Description", "Parameters", "InitializeParameters", "CreateWorkspace", "Predict", "Forward",
        "ForwardBackward", "ComputeLoss", "ForwardBatch", "PredictSample", "BackwardSample", "BackwardBatch", "SampleLoss",
        "WriteInputs", "s_description", "t_predictValues", "_parameters",
    };

    /// <summary>A value's or tensor's name as the start of a constant or property: <c>W1</c>, <c>B1</c>, <c>Z1</c>, <c>A1Drop</c>.</summary>
    public static string Property(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>Where a parameter tensor starts in the flat buffers: <c>W1Offset</c>.</summary>
    public static string ParameterOffset(string tensor) => Property(tensor) + "Offset";

    /// <summary>Where a node's value, mask or gradient starts in a sample's workspace region: <c>Z1Offset</c>, <c>A1DropMaskOffset</c>, <c>Z1GradientOffset</c>.</summary>
    public static string BufferOffset(string node, BufferKind kind) => kind switch
    {
        BufferKind.Value => Property(node) + "Offset",
        BufferKind.Mask => Property(node) + "MaskOffset",
        BufferKind.Gradient => Property(node) + "GradientOffset",
        _ => throw new GeneratorBugException("no constant for buffer kind " + kind),
    };

    /// <summary>True for the network input and the named inputs: data read where it is, with no workspace region.</summary>
    public static bool IsData(GraphNode node) => node.Op is InputOp or InputBlockOp;

    /// <summary>Every member the class of <paramref name="graph"/> gets.</summary>
    public static IEnumerable<string> Of(ForwardGraph graph, BackwardGraph backward)
    {
        foreach (string name in Fixed)
        {
            yield return name;
        }

        foreach (var tensor in graph.Parameters)
        {
            yield return Property(tensor.Name);
            yield return ParameterOffset(tensor.Name);
        }

        foreach (var node in graph.Nodes.Where(n => !IsData(n)))
        {
            yield return BufferOffset(node.Name, BufferKind.Value);
            if (node.Op.HasMask)
            {
                yield return BufferOffset(node.Name, BufferKind.Mask);
            }
        }

        foreach (int id in backward.GradientNodes)
        {
            yield return BufferOffset(graph.Nodes[id].Name, BufferKind.Gradient);
        }

        foreach (var block in graph.Nodes.Select(n => n.Op).OfType<InputBlockOp>())
        {
            yield return InputNames.OffsetConstant(block.InputName);
            yield return InputNames.SizeConstant(block.InputName);
        }
    }
}
