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
}
