using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>
/// A named input, <c>[Input("image", 784)]</c>: the slice of the network's input vector from <see cref="Offset"/>,
/// <see cref="Size"/> values long. The input vector is every named input side by side in declaration order, so the
/// slice is read where it is (a span over the caller's data), never copied; like the input, it takes no gradient.
/// </summary>
/// <param name="InputName">The name the attribute gives it.</param>
/// <param name="Offset">Where it starts in the input vector.</param>
/// <param name="Size">Its number of values per sample.</param>
internal sealed record InputBlockOp(string InputName, int Offset, int Size) : Op
{
    public override string Name => "input";

    public override SavedValues Saves => SavedValues.None;

    public override ShapeResult Shape(Operands inputs) =>
        inputs.Count == 1 && (long)Offset + Size <= inputs[0] ? ShapeResult.Of(Size)
        : ShapeResult.Invalid("the input '" + InputName + "' is the slice " + Offset + ".." + ((long)Offset + Size) + " of the input vector, which it must read alone");

    public override string ForwardFormula(OpNames names) =>
        names.Output + " = " + names.Input(0) + "[" + Offset + ".." + (Offset + Size) + ")" + " (input '" + InputName + "')";

    /// <summary>The slice is a view of the input vector: the emitter declares it where it is read, so nothing is computed.</summary>
    public override void EmitForward(IOpSite site)
    {
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment) =>
        throw new GeneratorBugException("the input '" + InputName + "' takes no gradient");

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment) =>
        throw new GeneratorBugException("the input '" + InputName + "' takes no gradient");
}

/// <summary>
/// <c>[Input("image", 784)]</c>: a named input, an <see cref="InputBlockOp"/> node <c>xk</c> over its slice of the input vector
/// (the named inputs side by side in declaration order), numbered like the notes' x1, x2.
/// </summary>
internal sealed class InputLayer : LayerUnit
{
    public static InputLayer Instance { get; } = new();

    public override string Kind => "Input";

    public override bool IsInput => true;

    public override IReadOnlyList<string> ValuePrefixes { get; } = new[] { "x" };

    /// <summary>
    /// A positive size, a name that is a C# identifier whose generated constants (<c>ImageInputOffset</c>) no earlier input
    /// already takes, and no layer above it (NG0031-NG0033, NG0014).
    /// </summary>
    public override LayerSpec Read(ILayerReader reader)
    {
        if (reader.ArgumentCount != 2 || reader.Argument(0) is not string inputName || reader.Argument(1) is not int size)
        {
            return reader.Unreadable(LayerSpec.Input("input" + reader.Index, 1));
        }

        int above = reader.Above.ToList().FindIndex(l => !l.Unit.IsInput);
        if (above >= 0)
        {
            reader.Report(GraphDiagnostics.InputBelowLayer, inputName, reader.Network, above + 1);
        }

        if (size <= 0)
        {
            reader.Report(GraphDiagnostics.InputSizeNotPositive, inputName, reader.Network, size);
        }

        if (!SyntaxFacts.IsValidIdentifier(inputName))
        {
            reader.Report(GraphDiagnostics.InputNameNotUsable, inputName, reader.Network,
                "an input's name is a C# identifier (letters, digits and _, not starting with a digit), because the generated code names its constants and parameters after it");
        }
        else if (reader.Above.FirstOrDefault(l => l.InputName is { } other && other != inputName && InputNames.Pascal(other) == InputNames.Pascal(inputName)) is { } clash)
        {
            reader.Report(GraphDiagnostics.InputNameNotUsable, inputName, reader.Network,
                "it differs from the input '" + clash.InputName + "' only in the case of its first letter, and both would be called "
                + InputNames.Pascal(inputName) + "InputOffset and " + InputNames.Pascal(inputName) + "InputSize");
        }

        return LayerSpec.Input(inputName, size);
    }

    public override BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs)
    {
        int offset = builder.Above.Where(l => l.Unit.IsInput).Sum(l => l.Units);
        int node = builder.Add("x" + builder.Number, new InputBlockOp(layer.InputName!, offset, layer.Units), inputs);
        return new BuiltLayer(node, node, builder.Size(inputs[0]));
    }

    /// <summary>None: a named input is data, read where it is, so no code stands under a heading.</summary>
    public override string? Heading(LayerView layer) => null;

    /// <summary>None: the diagram starts with the named inputs.</summary>
    public override string? DiagramPart(LayerView layer) => null;

    public override string Documentation(LayerView layer) => "Input " + layer.OutputSize + " of the " + layer.InputSize + " inputs: " + layer.Formula;

    public override string DescriptionArguments(LayerView layer) =>
        LayerView.Runtime + ".Activation.Identity, null, null, 0" + layer.SourcesArgument + ", \"" + layer.Spec.InputName + "\"";
}
