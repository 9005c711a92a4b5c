using System.Collections.Generic;

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
