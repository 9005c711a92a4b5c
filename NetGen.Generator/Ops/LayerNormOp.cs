using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Ops;

/// <summary>
/// Layer normalization of one sample's values, <c>n = γ ⊙ x̂ + β</c> with <c>x̂ = (a - μ) / √(σ² + ε)</c>, where μ and σ²
/// are the mean and (biased) variance of the <see cref="Size"/> values of <c>a</c> and ε is
/// <see cref="NetworkRules.LayerNormEpsilon"/> (generated code names it: <c>global::NetGen.LayerDescription.LayerNormEpsilon</c>).
/// Parameters: the gain γ (starting at 1) and the bias β (starting at 0), one per unit. Because μ and σ² depend on every
/// element, the derivative towards the input has two mean terms besides the element's own:
/// <c>dL/da = (g - mean(g) - x̂ ⊙ mean(g ⊙ x̂)) / √(σ² + ε)</c> with <c>g = γ ⊙ dL/dn</c>. The backward steps recompute
/// μ and 1/√(σ² + ε) from the saved input rather than storing them.
/// </summary>
/// <param name="Size">Units normalized together.</param>
internal sealed record LayerNormOp(int Size) : Op
{
    private const int Gain = 0;
    private const int Bias = 1;

    public override string Name => "layernorm";

    public override SavedValues Saves => SavedValues.Inputs;

    public override ShapeResult Shape(Operands inputs) =>
        inputs.Count != 1 ? ShapeResult.Invalid("a layer norm reads one input, not " + inputs.Count)
        : inputs[0] != Size ? ShapeResult.Invalid("this layer norm was built for " + Size + " units, not " + inputs[0])
        : inputs[0] < 2 ? ShapeResult.Misfit(GraphDiagnostics.LayerNormTooSmall, "normalizes " + inputs.Label(0) + ", which has " + inputs[0]
            + " unit; one value always normalizes to 0, so normalize a layer of at least two units")
        : ShapeResult.Of(Size);

    public override IReadOnlyList<ParameterShape> Parameters(IReadOnlyList<int> inputSizes) => new[]
    {
        new ParameterShape("gamma", 1, Size, IsVector: true, WeightInitializer.Ones),
        new ParameterShape("beta", 1, Size, IsVector: true, Initializer: null),
    };

    public override string ForwardFormula(OpNames names) =>
        names.Output + " = " + names.Parameters[Gain] + " ⊙ x̂ + " + names.Parameters[Bias] + ", x̂ = (" + names.Input(0) + " - μ) / √(σ² + ε)";

    public override void EmitForward(IOpSite site)
    {
        string a = site.InputValue(0);
        site.Line("// " + ForwardFormula(site.Names) + ": μ and σ² the mean and variance of " + a + "'s " + Size + " values, ε = LayerNormEpsilon");
        string gain = site.ParameterValue(Gain);
        string bias = site.ParameterValue(Bias);
        string n = site.Output();
        using (site.Block(string.Empty))
        {
            EmitStatistics(site, a);
            using (site.Block("for (int i = 0; i < " + Size + "; i++)"))
            {
                site.Line(n + "[i] = " + gain + "[i] * ((" + a + "[i] - mean) * inverse) + " + bias + "[i];");
            }
        }
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment)
    {
        string n = names.Output, a = names.Input(0), gain = names.Parameters[Gain], bias = names.Parameters[Bias];
        return wrt switch
        {
            { IsParameter: true, Index: Bias } => assignment.Of(bias) + "dL/d" + n,
            { IsParameter: true, Index: Gain } => assignment.Of(gain) + "dL/d" + n + " ⊙ x̂",
            { IsParameter: false, Index: 0 } => assignment.Of(a) + "(g - mean(g) - x̂ ⊙ mean(g ⊙ x̂)) / √(σ² + ε), g = " + gain + " ⊙ dL/d" + n
                + "      (μ and σ² depend on every " + a + "[j]: the two mean terms)",
            _ => throw new GeneratorBugException("a layer norm has no derivative towards " + wrt),
        };
    }

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string dn = site.Gradient();
        switch (wrt)
        {
            case { IsParameter: true, Index: Bias }:
            {
                string db = site.ParameterGradient(Bias);
                site.Line("for (int i = 0; i < " + Size + "; i++) " + db + "[i]" + assignment.Operator + dn + "[i];");
                break;
            }

            case { IsParameter: true, Index: Gain }:
            {
                string a = site.InputValue(0);
                string dg = site.ParameterGradient(Gain);
                using (site.Block(string.Empty))
                {
                    EmitStatistics(site, a);
                    site.Line("for (int i = 0; i < " + Size + "; i++) " + dg + "[i]" + assignment.Operator + dn + "[i] * ((" + a + "[i] - mean) * inverse);");
                }

                break;
            }

            case { IsParameter: false, Index: 0 }:
            {
                string a = site.InputValue(0);
                string gain = site.ParameterValue(Gain);
                string da = site.InputGradient(0);
                string t = site.ElementType;
                using (site.Block(string.Empty))
                {
                    EmitStatistics(site, a);
                    site.Line(t + " meanG = " + site.Notation.Literal(0) + ";");
                    site.Line(t + " meanGx = " + site.Notation.Literal(0) + ";");
                    using (site.Block("for (int i = 0; i < " + Size + "; i++)"))
                    {
                        site.Line(t + " g = " + gain + "[i] * " + dn + "[i];");
                        site.Line("meanG += g;");
                        site.Line("meanGx += g * ((" + a + "[i] - mean) * inverse);");
                    }

                    site.Line("meanG /= " + site.Notation.Literal(Size) + ";");
                    site.Line("meanGx /= " + site.Notation.Literal(Size) + ";");
                    site.Line("for (int i = 0; i < " + Size + "; i++) " + da + "[i]" + assignment.Operator
                        + "(" + gain + "[i] * " + dn + "[i] - meanG - ((" + a + "[i] - mean) * inverse) * meanGx) * inverse;");
                }

                break;
            }

            default:
                throw new GeneratorBugException("a layer norm has no derivative towards " + wrt);
        }
    }

    /// <summary>Declares <c>mean</c> (μ) and <c>inverse</c> (1/√(σ² + ε)) of <paramref name="a"/>'s values, in the open block.</summary>
    private void EmitStatistics(IOpSite site, string a)
    {
        string t = site.ElementType;
        string size = site.Notation.Literal(Size);
        site.Line(t + " mean = " + site.Notation.Literal(0) + ";");
        site.Line("for (int i = 0; i < " + Size + "; i++) mean += " + a + "[i];");
        site.Line("mean /= " + size + ";");
        site.Line(t + " variance = " + site.Notation.Literal(0) + ";");
        using (site.Block("for (int i = 0; i < " + Size + "; i++)"))
        {
            site.Line(t + " d = " + a + "[i] - mean;");
            site.Line("variance += d * d;");
        }

        // ε by its name in the runtime, the constant the dynamic graph and the ONNX export use too.
        const string Epsilon = "global::NetGen.LayerDescription.LayerNormEpsilon";
        string epsilon = site.Notation.IsDouble ? Epsilon : "(float)" + Epsilon;
        site.Line(t + " inverse = " + site.Notation.Literal(1) + " / " + site.Notation.MathClass + ".Sqrt(variance / " + size + " + " + epsilon + ");");
    }
}

/// <summary><c>[LayerNorm]</c>: a <see cref="LayerNormOp"/> node <c>nk</c> over the value it reads, with its gain and bias <c>gammak</c>, <c>betak</c>.</summary>
internal sealed class LayerNormLayer : LayerUnit
{
    public static LayerNormLayer Instance { get; } = new();

    public override string Kind => "LayerNorm";

    public override IReadOnlyList<string> ValuePrefixes { get; } = new[] { "n" };

    /// <summary>A layer norm has no argument besides its names.</summary>
    public override LayerSpec Read(ILayerReader reader) => LayerSpec.Of(this);

    public override BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs)
    {
        int node = builder.Add("n" + builder.Number, new LayerNormOp(builder.Size(inputs[0])), inputs, builder.Number);
        return new BuiltLayer(node, node, builder.Size(inputs[0]));
    }

    public override string Heading(LayerView layer) => "LayerNorm over " + layer.OutputSize + " units";

    public override string DiagramPart(LayerView layer) => "LayerNorm";

    public override string Documentation(LayerView layer) => "LayerNorm " + layer.InputSize + ": " + layer.Formula + "; " + layer.TensorsText;

    public override string DescriptionArguments(LayerView layer) =>
        LayerView.Runtime + ".Activation.Identity, " + layer.TensorsArgument + ", 0" + layer.SourcesArgument;
}
