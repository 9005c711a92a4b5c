using System.Collections.Generic;

namespace NetGen.Generator.Ops;

/// <summary>A network input: data of <see cref="Size"/> elements per sample. It has no inputs and takes no gradient.</summary>
internal sealed record InputOp(int Size) : Op
{
    public override string Name => "input";

    public override SavedValues Saves => SavedValues.None;

    public override ShapeResult Shape(Operands inputs) =>
        inputs.Count == 0 ? ShapeResult.Of(Size) : ShapeResult.Invalid("an input reads nothing");

    public override string ForwardFormula(OpNames names) => names.Output + " (input)";

    /// <summary>The input is read where it is, so there is nothing to compute.</summary>
    public override void EmitForward(IOpSite site)
    {
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment) =>
        throw new GeneratorBugException("the input has no inputs to differentiate towards");

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment) =>
        throw new GeneratorBugException("the input has no inputs to differentiate towards");
}
