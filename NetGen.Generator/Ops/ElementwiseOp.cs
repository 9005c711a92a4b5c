using System.Collections.Generic;

namespace NetGen.Generator.Ops;

/// <summary>
/// An element-wise activation <c>a = f(z)</c>. A subclass defines <see cref="Forward"/> and
/// <see cref="Derivative"/> once, as formulas; this class prints each as the comment and as the code.
/// </summary>
internal abstract record ElementwiseOp : Op
{
    /// <summary>Layers with at least this many units use the op's vector primitive, when it has one.</summary>
    public const int VectorMinimum = 8;

    public override ShapeResult Shape(Operands inputs) => ShapeResult.SameAsSingleInput(inputs, Name);

    /// <summary><c>f(z)</c>.</summary>
    public abstract Expr Forward(Expr z);

    /// <summary><c>dL/dz</c> from <paramref name="upstream"/> = dL/da, the output <paramref name="a"/> and the input <paramref name="z"/>.</summary>
    public abstract Expr Derivative(Expr upstream, Expr a, Expr z);

    /// <summary>
    /// The TensorPrimitives call computing the op over a span (<c>{0}</c> input, <c>{1}</c> output), or null; a call
    /// that starts with <c>global::</c> is a call of its own (a NetGen kernel) rather than a TensorPrimitives method.
    /// </summary>
    public virtual string? VectorPrimitive(Notation notation) => null;

    /// <summary>
    /// The run-time call computing <see cref="Derivative"/> over a span when the op runs as vectors (<c>{0}</c> the
    /// op's input z, <c>{1}</c> dL/da, <c>{2}</c> dL/dz, <c>{3}</c> <c>true</c> to add into dL/dz, <c>{4}</c> the op's
    /// output a), or null for a loop.
    /// The call must compute the same formula element by element.
    /// </summary>
    public virtual string? VectorDerivative(Notation notation) => null;


    public override string ForwardFormula(OpNames names) => names.Output + " = " + Name + "(" + names.Input(0) + ")";

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment)
    {
        string a = names.Output, z = names.Input(0);
        return assignment.Of(z) + Derivative(Expr.Value("dL/d" + a, string.Empty), Expr.Value(a, string.Empty), Expr.Value(z, string.Empty)).Print(Notation.Formula);
    }

    public override void EmitForward(IOpSite site)
    {
        string z = site.InputValue(0);
        site.Line("// " + ForwardFormula(site.Names));
        string a = site.Output();
        switch (site.Strategy)
        {
            case Strategy.Vector:
                // A whole vector at a time (System.Numerics.Tensors): exp and tanh cost most of a small layer's time.
                string primitive = VectorPrimitive(site.Notation)!;
                site.Line((primitive.StartsWith("global::", System.StringComparison.Ordinal) ? string.Empty : "global::System.Numerics.Tensors.TensorPrimitives.")
                    + string.Format(System.Globalization.CultureInfo.InvariantCulture, primitive, z, a) + ";");
                break;
            case Strategy.Unrolled:
                for (int i = 0; i < site.Size; i++)
                {
                    site.StoreElement(a, i, Assignment.Assign, Forward(Expr.Value(z, site.Element(z, i))).Print(site.Notation));
                }

                break;
            case Strategy.Loop:
            case Strategy.Kernel:
                using (site.Block("for (int i = 0; i < " + site.Size + "; i++)"))
                {
                    site.Line(a + "[i] = " + Forward(Expr.Value(z, z + "[i]")).Print(site.Notation) + ";");
                }

                break;
        }
    }

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string a = (Saves & SavedValues.Output) != 0 ? site.OutputValue() : site.Names.Output;
        string z = (Saves & SavedValues.Inputs) != 0 ? site.InputValue(0) : site.Names.Input(0);
        string da = site.Gradient();
        string dz = site.InputGradient(0);
        string op = assignment.Operator;
        if (site.Strategy == Strategy.Vector && VectorDerivative(site.Notation) is { } call)
        {
            // A vector at a time at the kernels' width (a scalar loop with a branch per unit cost W4 a fifteenth of its step).
            site.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, call, z, da, dz, assignment.Flag, a) + ";");
        }
        else if (site.Strategy == Strategy.Unrolled)
        {
            for (int i = 0; i < site.Size; i++)
            {
                var derivative = Derivative(Expr.Value(da, site.Element(da, i)), Expr.Value(a, site.Element(a, i)), Expr.Value(z, site.Element(z, i)));
                site.StoreElement(dz, i, assignment, derivative.Print(site.Notation));
            }
        }
        else
        {
            site.Line("for (int i = 0; i < " + site.Size + "; i++) " + dz + "[i]" + op
                + Derivative(Expr.Value(da, da + "[i]"), Expr.Value(a, a + "[i]"), Expr.Value(z, z + "[i]")).Print(site.Notation) + ";");
        }
    }
}
