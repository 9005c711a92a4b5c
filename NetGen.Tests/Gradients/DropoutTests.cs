using NetGen.CompilerServices;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Gradients;

/// <summary>Dropout: masks from the workspace's seed, gradients through them, and no effect at inference.</summary>
public class DropoutTests
{
    private const int Batch = 5;

    private static (double[] Inputs, double[] Targets) Batch6x4()
    {
        var random = new DeterministicRandom(21);
        var inputs = Enumerable.Range(0, Batch * 6).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var targets = new double[Batch * 4];
        for (int s = 0; s < Batch; s++)
        {
            targets[(s * 4) + (s % 4)] = 1;
        }

        return (inputs, targets);
    }

    [Fact]
    public void GradientThroughDropoutMasksMatchesCentralDifferences()
    {
        var net = new DropoutNetDouble(seed: 4);
        var (inputs, targets) = Batch6x4();
        var workspace = net.CreateWorkspace(Batch);
        workspace.Training = true;
        workspace.DropoutSeed = 0xC0FFEE;

        // The masks are a function of the seed, so ComputeLoss replays exactly the masks of ForwardBackward.
        var result = GradientCheck.Run(net, inputs, targets, epsilon: 1e-6, floor: 1e-2, workspace: workspace);
        Assert.True(result.IsWithin(1e-6), result.ToString());
    }

    [Fact]
    public void TrainingDropsAboutTheRateAndScalesTheRest()
    {
        var net = new DropoutNetDouble(seed: 4);
        var (inputs, targets) = Batch6x4();
        var workspace = net.CreateWorkspace(Batch);
        workspace.Training = true;
        workspace.DropoutSeed = 99;
        net.ForwardBackward(inputs, targets, new double[DropoutNetDouble.ParameterCount], workspace);

        // Layer 2 is Dropout(0.5) over a1 (80 units): its mask follows a1Drop in each sample's values.
        // Sample layout: z1 [80], a1 [80], a1Drop [80], a1DropMask [80], ...
        int dropped = 0, kept = 0;
        for (int s = 0; s < Batch; s++)
        {
            var mask = WorkspaceAccess.Buffer(workspace).Slice((s * workspace.ElementsPerSample) + 240, 80);
            foreach (double m in mask)
            {
                Assert.True(m == 0 || m == 2, $"mask value {m}");
                if (m == 0)
                {
                    dropped++;
                }
                else
                {
                    kept++;
                }

            }
        }

        // 400 units at rate 0.5: a binomial(400, 0.5) count lies in [150, 250] with probability 1 - 1e-6.
        Assert.InRange(dropped, 150, 250);
        Assert.Equal(400, dropped + kept);
    }

    [Fact]
    public void MasksAreTheRuntimeFunctionOfSeedSampleLayerAndUnit()
    {
        var net = new DropoutNetDouble(seed: 4);
        var (inputs, targets) = Batch6x4();
        var workspace = net.CreateWorkspace(Batch);
        workspace.Training = true;
        workspace.DropoutSeed = 12345;
        workspace.SampleOffset = 64; // a shard starting at sample 64 of the minibatch
        net.ComputeLoss(inputs, targets, workspace);

        ulong threshold = DropoutMask.KeepThreshold(0.5);
        for (int s = 0; s < Batch; s++)
        {
            var mask = WorkspaceAccess.Buffer(workspace).Slice((s * workspace.ElementsPerSample) + 240, 80);
            for (int unit = 0; unit < 80; unit++)
            {
                Assert.Equal(DropoutMask.IsKept(12345, 64 + s, 2, unit, threshold) ? 2.0 : 0.0, mask[unit]);
            }
        }
    }

    [Fact]
    public void OutsideTrainingDropoutChangesNothing()
    {
        var withDropout = new DropoutNetDouble(seed: 4);
        var without = new NoDropoutNetDouble(seed: 4);
        Assert.Equal(DropoutNetDouble.ParameterCount, NoDropoutNetDouble.ParameterCount);
        withDropout.Parameters.CopyTo(without.Parameters);
        var (inputs, targets) = Batch6x4();

        var gradientWith = new double[DropoutNetDouble.ParameterCount];
        var gradientWithout = new double[NoDropoutNetDouble.ParameterCount];
        double lossWith = withDropout.ForwardBackward(inputs, targets, gradientWith, withDropout.CreateWorkspace(Batch));
        double lossWithout = without.ForwardBackward(inputs, targets, gradientWithout, without.CreateWorkspace(Batch));
        Assert.Equal(lossWithout, lossWith);
        Assert.Equal(gradientWithout, gradientWith);

        var outputWith = new double[4];
        var outputWithout = new double[4];
        withDropout.Predict(inputs.AsSpan(0, 6), outputWith);
        without.Predict(inputs.AsSpan(0, 6), outputWithout);
        Assert.Equal(outputWithout, outputWith);
    }

    [Fact]
    public void DescriptionListsDropoutLayers()
    {
        var layers = DropoutNetDouble.NetworkDescription.Layers;
        Assert.Equal([LayerKind.Dense, LayerKind.Dropout, LayerKind.Dense, LayerKind.Dropout, LayerKind.Dense], layers.Select(l => l.Kind));
        Assert.Equal(0.5, layers[1].DropoutRate);
        Assert.Equal(0.25, layers[3].DropoutRate);
        Assert.Null(layers[1].Weights);
        Assert.Equal(["W1", "b1", "W2", "b2", "W3", "b3"], DropoutNetDouble.NetworkDescription.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void MaskHashIsSplitMix64OfTheMixedKey()
    {
        // Values from an independent implementation (Python's integers, masked to 64 bits) of the hash as documented:
        // z = seed + sample * 0x9E3779B97F4A7C15 + layer * 0xC2B2AE3D27D4EB4F + unit * 0x165667B19E3779F9, then the
        // SplitMix64 finalizer, then the upper 32 bits.
        Assert.Equal(848533358u, DropoutMask.Hash(12345, 64, 2, 0));
        Assert.Equal(3231271016u, DropoutMask.Hash(12345, 64, 2, 1));
        Assert.Equal(4116667971u, DropoutMask.Hash(12345, 64, 2, 17));
        Assert.Equal(1870536849u, DropoutMask.Hash(12345, 64, 2, 255));
        Assert.Equal(0u, DropoutMask.Hash(0, 0, 0, 0));
        Assert.Equal(363374704u, DropoutMask.Hash(ulong.MaxValue, int.MaxValue, 7, 1000));
    }

    public static TheoryData<int, double> RowsAtEveryWidth()
    {
        var data = new TheoryData<int, double>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (double rate in new[] { 0.0, 0.1, 0.5, 0.9 })
            {
                data.Add(bits, rate);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RowsAtEveryWidth))]
    public void ARowDrawnAtOnceIsEveryUnitDrawnAlone(int bits, double rate)
    {
        // Row lengths around every vector's lane count (4, 8 and 16 units a step) and a long one, so each width's
        // loop and the scalar tail are both reached.
        ulong threshold = DropoutMask.KeepThreshold(rate);
        var random = new DeterministicRandom(5);
        foreach (int units in new[] { 0, 1, 3, 4, 7, 8, 15, 16, 17, 33, 256, 785 })
        {
            var inputs = Enumerable.Range(0, units).Select(_ => random.NextDouble(-2, 2)).ToArray();
            var singles = inputs.Select(v => (float)v).ToArray();
            var mask = new double[units];
            var output = new double[units];
            var maskSingle = new float[units];
            var outputSingle = new float[units];
            DropoutMask.Apply(bits, 777, 40 + units, 3, inputs, mask, output, threshold, 1 / (1 - rate));
            DropoutMask.Apply(bits, 777, 40 + units, 3, singles, maskSingle, outputSingle, threshold, (float)(1 / (1 - rate)));
            for (int u = 0; u < units; u++)
            {
                bool kept = DropoutMask.IsKept(777, 40 + units, 3, u, threshold);
                Assert.Equal(kept ? 1 / (1 - rate) : 0.0, mask[u]);
                Assert.Equal(inputs[u] * mask[u], output[u]);
                Assert.Equal(kept ? (float)(1 / (1 - rate)) : 0f, maskSingle[u]);
                Assert.Equal(singles[u] * maskSingle[u], outputSingle[u]);
            }

            // In place: the output may be the input.
            DropoutMask.Apply(bits, 777, 40 + units, 3, singles, maskSingle, singles, threshold, (float)(1 / (1 - rate)));
            Assert.Equal(outputSingle, singles);
        }
    }

    [Fact]
    public void ARowOfTheWrongLengthIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => DropoutMask.Apply(1, 0, 1, new float[8], new float[7], new float[8], 1u << 31, 2f));
        Assert.Equal("mask", error.ParamName);
        Assert.Contains("'mask' has 7 values; 'input' has 8", error.Message);
        error = Assert.Throws<ArgumentException>(() => DropoutMask.Apply(1, 0, 1, new float[8], new float[8], new float[9], 1u << 31, 2f));
        Assert.Equal("output", error.ParamName);
    }
}
