using System.Collections.Generic;
using System.Linq;
using NetGen.Shared;

namespace NetGen.Generator.Ops;

/// <summary>
/// The affine map <c>z = W · a + b</c> of a dense layer (the bias add is fused): parameters <c>W</c>
/// (<see cref="Units"/> rows of the input's size, row-major) and <c>b</c>. Small layers run sample by sample:
/// one <c>SampleDenseKernels</c> call per step when their rows fill or pack into vectors, else unrolled into
/// scalar statements; larger ones are one <c>DenseKernels</c> call over the batch per pass.
/// </summary>
/// <param name="Units">Outputs of the layer.</param>
/// <param name="Initializer">How <c>W</c> starts (<see cref="NetworkRules.InitializerFor"/> of the activation that follows).</param>
internal sealed record LinearOp(int Units, WeightInitializer Initializer) : Op
{
    private const int Weights = 0;
    private const int Bias = 1;

    /// <summary>Outputs from which a one-sample layer's bias gradient is a vector call; below, a statement per output reads better and costs no more.</summary>
    private const int SampleBiasMinimum = 4;

    public override string Name => "linear";

    public override SavedValues Saves => SavedValues.Inputs;

    public override bool HasBatchKernel => true;

    public override bool HasSampleKernel(IReadOnlyList<int> inputSizes, int elementBytes) =>
        NetworkRules.HasSampleVectorPath(16 / elementBytes, Units, inputSizes[0]);

    /// <summary>
    /// W, for layers of at least one 512-bit vector of outputs: one sample then reads Wᵀ's panels in one stream (W3's
    /// prediction 1.7x the eight row streams of the row-major product at 512 bits); a narrower layer's few rows read as fast.
    /// </summary>
    public override int? PackedWeights(int size, int elementBytes) => size * elementBytes >= PackedMinimumBytes ? Weights : null;

    /// <summary>The outputs' bytes from which a predictor packs W: one 512-bit vector.</summary>
    private const int PackedMinimumBytes = 64;

    public override ShapeResult Shape(Operands inputs) =>
        inputs.Count == 1 ? ShapeResult.Of(Units) : ShapeResult.Invalid("a dense layer reads one input, not " + inputs.Count);

    public override IReadOnlyList<ParameterShape> Parameters(IReadOnlyList<int> inputSizes) => new[]
    {
        new ParameterShape("W", Units, inputSizes[0], IsVector: false, Initializer),
        new ParameterShape("b", 1, Units, IsVector: true, Initializer: null),
    };

    public override string ForwardFormula(OpNames names) =>
        names.Output + " = " + names.Parameters[Weights] + " · " + names.Input(0) + " + " + names.Parameters[Bias];

    public override void EmitForward(IOpSite site)
    {
        var w = site.Parameter(Weights);
        var b = site.Parameter(Bias);
        string formula = ForwardFormula(site.Names);
        if (site.Strategy == Strategy.Kernel)
        {
            site.Line("// " + formula + " for every sample: Z = X · " + w.Name + "ᵀ + " + b.Name + " over the batch");
            string kernels = string.Empty, activation = string.Empty;
            if (site.OutputEpilogue() is { } fused)
            {
                site.Line("// and " + fused.Formula + ", fused into the product: the kernel applies it to each block of " + site.Names.Output + " as it stores the block");
                kernels = fused.Activation.Kernels;
                activation = ", " + fused.Values + ", SampleStride, " + fused.Activation.Argument;
            }

            string Call(string variant, string team) =>
                site.CompilerService("DenseKernels") + ".Forward" + variant + kernels + "(" + site.BatchInput(0) + ", " + site.ParameterSlice(Weights) + ", " + site.ParameterSlice(Bias)
                + ", " + site.BatchOutput() + ", SampleStride" + activation + ", batch, n: " + site.Size + ", k: " + site.InputSize(0) + team + ");";
            if (!site.WeightsMayBePacked)
            {
                site.Line(Call(string.Empty, ", team"));
                return;
            }

            using (site.Block("if (packedWeights)"))
            {
                site.Line("// A predictor's packed copy: " + w.Name + "ᵀ in panels of outputs (DenseKernels.PackWeights), so one sample reads it in one stream");
                site.Line(Call("Packed", string.Empty));
            }

            using (site.Block("else"))
            {
                site.Line(Call(string.Empty, ", team"));
            }

            return;
        }

        string a = site.InputValue(0);
        site.Line("// " + formula);
        if (site.Strategy == Strategy.SampleKernel)
        {
            site.Line(SampleKernels(site) + ".Forward(" + a + ", " + site.ParameterValue(Weights) + ", " + site.ParameterValue(Bias) + ", " + site.Output()
                + ", n: " + site.Size + ", k: " + site.InputSize(0) + ");");
            return;
        }

        string wv = site.ParameterValue(Weights);
        string bv = site.ParameterValue(Bias);
        string z = site.Output();
        int n = site.InputSize(0);
        for (int j = 0; j < site.Size; j++)
        {
            var terms = new List<string> { bv + "[" + j + "]" };
            for (int i = 0; i < n; i++)
            {
                terms.Add(wv + "[" + ((j * n) + i) + "] * " + site.Element(a, i));
            }

            site.StoreElement(z, j, Assignment.Assign, string.Join(" + ", terms));
        }
    }

    public override string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment)
    {
        string z = names.Output, a = names.Input(0), w = names.Parameters[Weights], b = names.Parameters[Bias];
        return wrt switch
        {
            { IsParameter: true, Index: Bias } => assignment.Of(b) + "dL/d" + z,
            { IsParameter: true, Index: Weights } => assignment.Of(w) + "dL/d" + z + " · " + a + "ᵀ",
            { IsParameter: false, Index: 0 } => assignment.Of(a) + w + "ᵀ · dL/d" + z,
            _ => throw new GeneratorBugException("a dense layer has no derivative towards " + wrt),
        };
    }

    public override void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment)
    {
        if (site.Strategy == Strategy.Kernel)
        {
            EmitDerivativeKernel(site, wrt, assignment);
            return;
        }

        if (site.Strategy == Strategy.SampleKernel && (wrt != Wrt.Parameter(Bias) || site.Size >= SampleBiasMinimum))
        {
            EmitDerivativeSampleKernel(site, wrt, assignment);
            return;
        }

        int n = site.InputSize(0);
        switch (wrt)
        {
            case { IsParameter: true, Index: Bias }:
            {
                string dz = site.Gradient();
                string db = site.ParameterGradient(Bias);
                for (int j = 0; j < site.Size; j++)
                {
                    site.StoreElement(db, j, assignment, site.Element(dz, j));
                }

                break;
            }

            case { IsParameter: true, Index: Weights }:
            {
                string a = site.InputValue(0);
                string dz = site.Gradient();
                string dw = site.ParameterGradient(Weights);
                for (int j = 0; j < site.Size; j++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        site.StoreElement(dw, (j * n) + i, assignment, site.Element(dz, j) + " * " + site.Element(a, i));
                    }
                }

                break;
            }

            case { IsParameter: false, Index: 0 }:
            {
                string w = site.ParameterValue(Weights);
                string dz = site.Gradient();
                string da = site.InputGradient(0);
                for (int i = 0; i < n; i++)
                {
                    var terms = Enumerable.Range(0, site.Size).Select(j => w + "[" + ((j * n) + i) + "] * " + site.Element(dz, j));
                    site.StoreElement(da, i, assignment, string.Join(" + ", terms));
                }

                break;
            }

            default:
                throw new GeneratorBugException("a dense layer has no derivative towards " + wrt);
        }
    }

    /// <summary>
    /// The one-sample kernels, one call per step under the formula the emitter printed. Parameter gradients always
    /// accumulate (the gradient of a batch is a sum), the input gradient accumulates when another consumer wrote it.
    /// </summary>
    private void EmitDerivativeSampleKernel(IOpSite site, Wrt wrt, Assignment assignment)
    {
        string sizes = "n: " + site.Size + ", k: " + site.InputSize(0);
        switch (wrt)
        {
            case { IsParameter: true, Index: Bias }:
                site.Line(SampleKernels(site) + ".AccumulateBiasGradient(" + site.Gradient() + ", " + site.ParameterGradient(Bias) + ", n: " + site.Size + ");");
                break;
            case { IsParameter: true, Index: Weights }:
                site.Line(SampleKernels(site) + ".AccumulateWeightGradient(" + site.Gradient() + ", " + site.InputValue(0) + ", " + site.ParameterGradient(Weights) + ", " + sizes + ");");
                break;
            case { IsParameter: false, Index: 0 }:
                site.Line(SampleKernels(site) + ".InputGradient(" + site.Gradient() + ", " + site.ParameterValue(Weights) + ", " + site.InputGradient(0) + ", " + sizes
                    + (assignment.Accumulates ? ", accumulate: " + assignment.Flag : string.Empty) + ");");
                break;
            default:
                throw new GeneratorBugException("a dense layer has no derivative towards " + wrt);
        }
    }

    private static string SampleKernels(IOpSite site) => site.CompilerService("SampleDenseKernels");

    /// <summary>
    /// The batch kernels: <c>AccumulateWeightGradient</c> computes dW and db in one pass over dZ, so the
    /// bias step prints nothing and the weight step prints both formulas.
    /// </summary>
    private void EmitDerivativeKernel(IOpSite site, Wrt wrt, Assignment assignment)
    {
        switch (wrt)
        {
            case { IsParameter: true, Index: Bias }:
                // The weight-gradient kernel accumulates the bias gradient in the same pass over dZ.
                break;
            case { IsParameter: true, Index: Weights }:
                site.Line("// " + DerivativeFormula(site.Names, Wrt.Parameter(Bias), assignment));
                site.Line("// " + DerivativeFormula(site.Names, wrt, assignment) + "   (summed over the batch: dW += dZᵀ · X)");
                site.Line(site.CompilerService("DenseKernels") + ".AccumulateWeightGradient(" + site.BatchGradient() + ", SampleStride, " + site.BatchInput(0)
                    + ", " + site.ParameterGradientSlice(Weights) + ", " + site.ParameterGradientSlice(Bias) + ", batch, n: " + site.Size + ", k: " + site.InputSize(0) + ", team);");
                break;
            case { IsParameter: false, Index: 0 } when site.InputEpilogue(0) is { } fused:
                site.Line("// " + DerivativeFormula(site.Names, wrt, assignment));
                site.Line("// " + fused.Formula);
                site.Line("// (for every sample: dX = dZ · " + site.Parameter(Weights).Name + ", with the derivative fused into the product: the kernel applies it to each");
                site.Line("// block of dX as it stores the block, so dL/d" + site.Names.Input(0) + " is never stored)");
                site.Line(site.CompilerService("DenseKernels") + ".InputGradient" + fused.Activation.Kernels + "(" + site.BatchGradient() + ", SampleStride, " + site.ParameterSlice(Weights)
                    + ", " + fused.Values + ", SampleStride, " + fused.Activation.Argument + ", " + fused.Gradient + ", SampleStride, batch, n: " + site.Size + ", k: " + site.InputSize(0) + ", team);");
                break;
            case { IsParameter: false, Index: 0 }:
                site.Line("// " + DerivativeFormula(site.Names, wrt, assignment));
                site.Line("// (for every sample: dX = dZ · " + site.Parameter(Weights).Name + ")");
                site.Line(site.CompilerService("DenseKernels") + ".InputGradient(" + site.BatchGradient() + ", SampleStride, " + site.ParameterSlice(Weights)
                    + ", " + site.BatchInputGradient(0) + ", SampleStride, batch, n: " + site.Size + ", k: " + site.InputSize(0)
                    + (assignment.Accumulates ? ", accumulate: " + assignment.Flag : string.Empty) + ", team: team);");
                break;
            default:
                throw new GeneratorBugException("a dense layer has no derivative towards " + wrt);
        }
    }
}
