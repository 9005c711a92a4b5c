using System.Collections.Generic;

namespace NetGen.Generator.Ops;

/// <summary>
/// Softmax over the vector, <c>a = e^(z - max z) / Σ e^(z - max z)</c> (the shift keeps every exponential
/// at most 1). As a network's output it is the prediction of a fused softmax cross-entropy, whose loss
/// differentiates the logits directly; the Jacobian-vector product below serves any other use.
/// </summary>
internal sealed record SoftmaxOp : Op
{
    public static SoftmaxOp Instance { get; } = new();

    public override string Name => "softmax";

    public override SavedValues Saves => SavedValues.Output;

    public override ShapeResult Shape(Operands inputs) => ShapeResult.SameAsSingleInput(inputs, Name);

    public override string ForwardFormula(OpNames names) => names.Output + " = softmax(" + names.Input(0) + ")";

    public override void EmitForward(IOpSite site)
    {
        string z = site.InputValue(0);
        site.Line("// " + site.Names.Output + " = softmax(" + z + "), computed as exp(" + z + " - max " + z + ") / Σ so no exp can overflow");
        string a = site.Output();
        string t = site.ElementType;
        string math = site.Notation.MathClass;
        using (site.Block(string.Empty))
        {
            site.Line(t + " max = " + z + "[0];");
            site.Line("for (int i = 1; i < " + site.Size + "; i++) max = " + math + ".Max(max, " + z + "[i]);");
            site.Line(t + " sum = " + site.Notation.Literal(0) + ";");
            using (site.Block("for (int i = 0; i < " + site.Size + "; i++)"))
            {
                site.Line(a + "[i] = " + math + ".Exp(" + z + "[i] - max);");
                site.Line("sum += " + a + "[i];");
            }

            site.Line(t + " scale = " + site.Notation.Literal(1) + " / sum;");
            site.Line("for (int i = 0; i < " + site.Size + "; i++) " + a + "[i] *= scale;");
        }
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment) =>
        assignment.Of(names.Input(0)) + names.Output + " ⊙ (dL/d" + names.Output + " - (dL/d" + names.Output + " · " + names.Output + "))";

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string a = site.OutputValue();
        string da = site.Gradient();
        string dz = site.InputGradient(0);
        using (site.Block(string.Empty))
        {
            site.Line(site.ElementType + " dot = " + site.Notation.Literal(0) + ";");
            site.Line("for (int i = 0; i < " + site.Size + "; i++) dot += " + da + "[i] * " + a + "[i];");
            site.Line("for (int i = 0; i < " + site.Size + "; i++) " + dz + "[i]" + assignment.Operator + a + "[i] * (" + da + "[i] - dot);");
        }
    }
}
