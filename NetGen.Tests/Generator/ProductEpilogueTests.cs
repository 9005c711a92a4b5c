using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>
/// When the planner fuses a dense layer's activation into its batch kernels (the activation's op unit says how, the
/// planner when it is valid): ReLU layers of vector width and leaky ones of any width over the batch are computed by
/// <c>DenseKernels.ForwardRectified</c>, and their derivative by the input gradient of the one product that reads them;
/// an activation read twice, or whose gradient another op writes, keeps its own backward step, and a narrow ReLU (whose
/// scalar form gives 0 for NaN where the kernels' maximum gives NaN) is not fused at all.
/// </summary>
public class ProductEpilogueTests
{
    [Fact]
    public void AChainOfReLULayersIsFusedBothWaysAndTheirActivationGradientsAreNotStored()
    {
        string source = Generate("""
            [Network(Inputs = 100, Loss = Loss.SoftmaxCrossEntropy)]
            [Dense(64, Activation.ReLU)]
            [Dense(64, Activation.ReLU)]
            [Dense(10)]
            """);

        Assert.Equal(2, Count(source, "DenseKernels.ForwardRectified("));
        Assert.Contains("DenseKernels.ForwardRectified(buffer.Slice(A1Offset), SampleStride, parameters.Slice(W2Offset, 4096), parameters.Slice(B2Offset, 64), buffer.Slice(Z2Offset), SampleStride, buffer.Slice(A2Offset), SampleStride, negativeSlope: 0f, batch, n: 64, k: 64, team);", source, StringComparison.Ordinal);
        Assert.Contains("DenseKernels.InputGradientRectified(buffer.Slice(Z3GradientOffset), SampleStride, parameters.Slice(W3Offset, 640), buffer.Slice(Z2Offset), SampleStride, negativeSlope: 0f, buffer.Slice(Z2GradientOffset), SampleStride, batch, n: 10, k: 64, team);", source, StringComparison.Ordinal);
        Assert.Contains("DenseKernels.InputGradientRectified(buffer.Slice(Z2GradientOffset), SampleStride, parameters.Slice(W2Offset, 4096), buffer.Slice(Z1Offset), SampleStride, negativeSlope: 0f, buffer.Slice(Z1GradientOffset), SampleStride, batch, n: 64, k: 64, team);", source, StringComparison.Ordinal);
        Assert.DoesNotContain("TensorPrimitives.Max", source, StringComparison.Ordinal);
        Assert.DoesNotContain("RectifierDerivative", source, StringComparison.Ordinal);
        Assert.DoesNotContain("A1GradientOffset", source, StringComparison.Ordinal);
        Assert.DoesNotContain("A2GradientOffset", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AnActivationReadTwiceIsFusedForwardOnly()
    {
        string source = Generate("""
            [Network(Inputs = 100, Loss = Loss.SoftmaxCrossEntropy)]
            [Dense(64, Activation.ReLU, Name = "h")]
            [Dense(64, Activation.ReLU)]
            [Add("h")]
            [Dense(10)]
            """);

        Assert.Equal(2, Count(source, "DenseKernels.ForwardRectified("));
        Assert.DoesNotContain("InputGradientRectified", source, StringComparison.Ordinal);
        Assert.Equal(2, Count(source, "ActivationKernels.RectifierDerivative("));
        Assert.Contains("A1GradientOffset", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ANarrowReLUIsNotFusedAndANarrowLeakyOneIs()
    {
        string relu = Generate("""
            [Network(Inputs = 100, Loss = Loss.SoftmaxCrossEntropy)]
            [Dense(4, Activation.ReLU)]
            [Dense(10)]
            """);
        Assert.DoesNotContain("Rectified", relu, StringComparison.Ordinal);

        string leaky = Generate("""
            [Network(Inputs = 100, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
            [Dense(4, Activation.LeakyReLU)]
            [Dense(20)]
            """);
        Assert.Contains("DenseKernels.ForwardRectified(inputs, InputSize, parameters.Slice(W1Offset, 400), parameters.Slice(B1Offset, 4), buffer.Slice(Z1Offset), SampleStride, buffer.Slice(A1Offset), SampleStride, negativeSlope: 0.01, batch, n: 4, k: 100, team);", leaky, StringComparison.Ordinal);
        Assert.Contains("negativeSlope: 0.01, buffer.Slice(Z1GradientOffset)", leaky, StringComparison.Ordinal);
    }

    private static string Generate(string attributes)
    {
        var result = GeneratorHarness.Run("using NetGen;\nnamespace Demo;\n\n" + attributes + "\npublic partial class Net;\n");
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return result.Source("Demo.Net.g.cs");
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
