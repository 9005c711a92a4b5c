using NetGen.CompilerServices;
using NetGen.Generator.Ops;
using NetGen.Graph;
using NetGen.Tests.DynamicGraph;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>
/// A network whose loss has a batch form (the softmax cross-entropy) computes the loss of the whole batch in one call
/// between its forward and backward passes, whether its layers run as batch products or sample by sample, as long as
/// the runtime's batch form takes that many outputs; a wider output keeps the loss sample by sample.
/// </summary>
public class BatchLossTests
{
    private const string BatchFormCall = "SampleLoss.SoftmaxCrossEntropyWithLogits(buffer, SampleStride, ";

    [Fact]
    public void TheGeneratorTakesTheBatchFormForAsManyOutputsAsTheRuntimeAccepts() =>
        Assert.Equal(SampleLoss.MaxBatchClasses, LossOp.MaxBatchFormOutputs);

    [Theory]
    [InlineData(10, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void ABatchedNetwork_TakesTheBatchFormUpToItsLimit_AndItsGradientIsTheDynamicGraphs(int outputs, bool batchForm)
    {
        // 96 x 80 x 13 multiply-adds: a batch product, not unrolled code (the source has a BackwardBatch).
        string source = $$"""
            using NetGen;
            namespace Probe;
            [Network(Inputs = 96, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
            [Dense(80, Activation.ReLU)]
            [Dense({{outputs}})]
            public partial class Wide;
            """;
        string code = GeneratorHarness.Run(source).Source("Wide.g.cs");
        Assert.Contains("private static double BackwardBatch(", code, StringComparison.Ordinal);

        // ComputeLoss and BackwardBatch each call the batch form once, or each sample calls the one-sample SampleLoss.
        Assert.Equal(batchForm ? 2 : 0, Occurrences(code, BatchFormCall));
        Assert.Equal(!batchForm, code.Contains("private static double SampleLoss(", StringComparison.Ordinal));

        // 13 samples: one 512-bit vector of eight and a tail, against the dynamic graph (one sample at a time with libm).
        var type = GeneratorHarness.CompileAndLoad(source).GetType("Probe.Wide", throwOnError: true)!;
        var net = (INetwork<double>)Activator.CreateInstance(type, 3)!;
        GradientComparison.RandomizeBiases(net, 11);
        const int Batch = 13;
        var random = new DeterministicRandom(5);
        var inputs = Enumerable.Range(0, Batch * net.InputSize).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var targets = new double[Batch * outputs];
        for (int s = 0; s < Batch; s++)
        {
            targets[(s * outputs) + random.NextInt32(outputs)] = 1;
        }

        var (generated, dynamic, generatedLoss, dynamicLoss) = GradientComparison.Gradients(net, DynamicNetwork<double>.From(net), inputs, targets);
        var (error, at) = GradientComparison.WorstRelativeError(generated, dynamic, GradientComparison.DoubleFloor * generated.Max(Math.Abs));
        Assert.True(error <= GradientComparison.DoubleBound, $"relative error {error:E2} at {GradientComparison.TensorOf(net, at)}");
        Assert.Equal(dynamicLoss, generatedLoss, 1e-12 * dynamicLoss);
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
