using NetGen.CompilerServices;
using NetGen.Graph;
using NetGen.Tests.Kernels;

namespace NetGen.Tests.Runtime;

/// <summary>Both layers packed (each at least one 512-bit vector of float outputs), logits as the prediction.</summary>
[Network(Inputs = 50, Loss = Loss.SquaredError)]
[Dense(64, Activation.ReLU)]
[Dense(16)]
public partial class PackedWideNet;

/// <summary>Packed layers in double, with dropout (off when predicting) and a tanh layer between them.</summary>
[Network(Inputs = 40, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(70, Activation.LeakyReLU)]
[Dropout(0.3)]
[Dense(33, Activation.Tanh)]
[Dense(5)]
public partial class PackedDoubleNet;

/// <summary>W2's shape (4-16-3 tanh): small enough that both layers run sample by sample, so nothing is packed.</summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(3)]
public partial class UnpackedSmallNet;

/// <summary>
/// <see cref="Predictor{T}"/>: predictions from a packed copy of the parameters. A packed layer's outputs are chains of
/// fused multiply-adds from the bias over the inputs in order (what a batch of 32 forms on Wᵀ at 512 bits), a layer too
/// narrow to pack keeps <c>Predict</c>'s dot products, and every prediction is within the summation bound of the network's
/// own; the predictor keeps the parameters it copied until <c>Refresh</c>; a network with nothing to pack predicts with
/// <c>Predict</c>'s bits; bad arguments are named.
/// </summary>
public class PredictorTests
{
    [Fact]
    public void ThroughW3sShapeThePackedLayerIsOneFmaChainPerOutputAndTheNarrowOneIsAsPredictTakesIt()
    {
        var network = new LogitsW3Net();
        var random = new DeterministicRandom(21);
        Randomize(network.Parameters, random);
        var predictor = new Predictor<float>(network);
        var (w1, b1, w2, b2) = TwoLayers(network.Parameters, (LogitsW3Net.W1Offset, LogitsW3Net.B1Offset, LogitsW3Net.W2Offset, LogitsW3Net.B2Offset), 784, 128, 10);
        for (int s = 0; s < 3; s++)
        {
            var sample = Floats(random, 784);
            var predicted = new float[10];
            predictor.Predict(sample, predicted);

            // 784 -> 128 is packed: each hidden value one FMA chain from its bias, then ReLU. 128 -> 10 is narrower than a
            // vector of outputs, so it stays row-major and takes the one-sample dot products.
            var hidden = PredictionBitsTests.FmaChains(sample, w1, b1, 128, 784).Select(v => v > 0 ? v : 0f).ToArray();
            var logits = new float[10];
            DenseKernels.Forward<float>(hidden, 128, w2, b2, logits, 10, 1, 10, 128);
            Assert.Equal(logits, predicted);

            var own = new float[10];
            network.Predict(sample, own);
            AssertClose(own, predicted, $"sample {s}");
        }
    }

    [Fact]
    public void WithEveryLayerPackedAPredictionHasTheBitsOfTheChainsAndAt512BitsOfABatchOf32()
    {
        var network = new PackedWideNet();
        var random = new DeterministicRandom(3);
        Randomize(network.Parameters, random);
        var predictor = new Predictor<float>(network);
        var (w1, b1, w2, b2) = TwoLayers(network.Parameters, (PackedWideNet.W1Offset, PackedWideNet.B1Offset, PackedWideNet.W2Offset, PackedWideNet.B2Offset), 50, 64, 16);
        const int batch = 32;
        var inputs = Floats(random, batch * 50);
        var batchOutputs = new float[batch * 16];
        network.Forward(inputs, batchOutputs, network.CreateWorkspace(batch));
        foreach (int s in new[] { 0, 17, 31 })
        {
            var sample = inputs.AsSpan(s * 50, 50).ToArray();
            var predicted = new float[16];
            predictor.Predict(sample, predicted);
            var hidden = PredictionBitsTests.FmaChains(sample, w1, b1, 64, 50).Select(v => v > 0 ? v : 0f).ToArray();
            Assert.Equal(PredictionBitsTests.FmaChains(hidden, w2, b2, 16, 64), predicted);
            if (VectorWidth.Bits == 512)
            {
                Assert.Equal(batchOutputs.AsSpan(s * 16, 16).ToArray(), predicted);
            }

            var own = new float[16];
            network.Predict(sample, own);
            AssertClose(own, predicted, $"sample {s}");
        }
    }

    [Fact]
    public void ItKeepsTheParametersItCopiedUntilRefresh()
    {
        var network = new PackedWideNet(seed: 4);
        var sample = Floats(new DeterministicRandom(8), 50);
        var predictor = new Predictor<float>(network);
        var before = new float[16];
        predictor.Predict(sample, before);

        network.InitializeParameters(seed: 5);
        var stale = new float[16];
        predictor.Predict(sample, stale);
        Assert.Equal(before, stale);

        predictor.Refresh();
        var fresh = new float[16];
        predictor.Predict(sample, fresh);
        var own = new float[16];
        network.Predict(sample, own);
        AssertClose(own, fresh, "after Refresh");
        Assert.NotEqual(before, fresh);
        Assert.Same(network, predictor.Network);
        Assert.Equal((50, 16), (predictor.InputSize, predictor.OutputSize));
    }

    [Fact]
    public void InDoubleWithDropoutItPredictsAsTheNetworkDoesWithDropoutOff()
    {
        var network = new PackedDoubleNet(seed: 2);
        var random = new DeterministicRandom(6);
        var predictor = new Predictor<double>(network);
        for (int s = 0; s < 4; s++)
        {
            var sample = Enumerable.Range(0, 40).Select(_ => random.NextDouble(-2, 2)).ToArray();
            var predicted = new double[5];
            predictor.Predict(sample, predicted);
            var own = new double[5];
            network.Predict(sample, own);
            for (int c = 0; c < 5; c++)
            {
                Assert.True(Math.Abs(predicted[c] - own[c]) <= 1e-13, $"sample {s}, class {c}: {predicted[c]} against Predict's {own[c]}");
            }

            Assert.Equal(1.0, predicted.Sum(), 12);
        }
    }

    [Fact]
    public void ANetworkWithNothingToPackPredictsWithItsOwnBits()
    {
        // Every layer runs sample by sample, so the copy is the parameters as they are.
        var network = new UnpackedSmallNet(seed: 1);
        var predictor = new Predictor<float>(network);
        var random = new DeterministicRandom(12);
        for (int s = 0; s < 5; s++)
        {
            var sample = Floats(random, 4);
            var predicted = new float[3];
            var own = new float[3];
            predictor.Predict(sample, predicted);
            network.Predict(sample, own);
            Assert.Equal(own, predicted);
        }
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => new Predictor<float>(null!)).ParamName);

        var dynamic = DynamicNetwork<float>.From(new PackedWideNet());
        var error = Assert.Throws<ArgumentException>(() => new Predictor<float>(dynamic));
        Assert.Equal("network", error.ParamName);
        Assert.Contains("IPackedPrediction<Single>", error.Message, StringComparison.Ordinal);
        Assert.Contains("call its Predict instead", error.Message, StringComparison.Ordinal);

        var predictor = new Predictor<float>(new PackedWideNet());
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => predictor.Predict(new float[49], new float[16])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => predictor.Predict(new float[50], new float[15])).ParamName);

        IPackedPrediction<float> packing = new PackedWideNet();
        var packedError = Assert.Throws<ArgumentException>(() => packing.PackParameters(new float[3]));
        Assert.Equal("packed", packedError.ParamName);
        Assert.Contains("3 values", packedError.Message, StringComparison.Ordinal);
        Assert.Equal("packed", Assert.Throws<ArgumentException>(() => packing.PredictPacked(new float[3], new float[50], new float[16])).ParamName);
    }

    [Fact]
    public void ThreadsPredictingAtOnceGetWhatOneThreadGets()
    {
        var network = new LogitsW3Net();
        Randomize(network.Parameters, new DeterministicRandom(30));
        var predictor = new Predictor<float>(network);
        var samples = Enumerable.Range(0, 64).Select(s => Floats(new DeterministicRandom(100 + s), 784)).ToArray();
        var alone = samples.Select(sample =>
        {
            var output = new float[10];
            predictor.Predict(sample, output);
            return output;
        }).ToArray();

        var together = new float[samples.Length][];
        Parallel.For(0, samples.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, s =>
        {
            var output = new float[10];
            for (int repeat = 0; repeat < 20; repeat++)
            {
                predictor.Predict(samples[s], output);
            }

            together[s] = output;
        });

        Assert.Equal(alone, together);
    }

    [Fact]
    public void APredictionAllocatesNothing()
    {
        var predictor = new Predictor<float>(new LogitsW3Net());
        var sample = new float[784];
        var output = new float[10];
        predictor.Predict(sample, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            predictor.Predict(sample, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Two summation orders of a few hundred terms of magnitude about 1: within 1e-4 relative.</summary>
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        for (int c = 0; c < expected.Length; c++)
        {
            Assert.True(Math.Abs(actual[c] - expected[c]) <= 1e-4f * (1 + Math.Abs(expected[c])), $"{what}, output {c}: {actual[c]} against Predict's {expected[c]}");
        }
    }

    /// <summary>A two-layer network's W1 [hidden x inputs], b1, W2 [outputs x hidden] and b2, copied from where the generated constants put them.</summary>
    private static (float[] W1, float[] B1, float[] W2, float[] B2) TwoLayers(ReadOnlySpan<float> parameters, (int W1, int B1, int W2, int B2) offsets, int inputs, int hidden, int outputs) =>
        (parameters.Slice(offsets.W1, hidden * inputs).ToArray(), parameters.Slice(offsets.B1, hidden).ToArray(),
            parameters.Slice(offsets.W2, outputs * hidden).ToArray(), parameters.Slice(offsets.B2, outputs).ToArray());

    private static void Randomize(Span<float> parameters, DeterministicRandom random)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)random.NextDouble(-0.1, 0.1);
        }
    }

    private static float[] Floats(DeterministicRandom random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
}
