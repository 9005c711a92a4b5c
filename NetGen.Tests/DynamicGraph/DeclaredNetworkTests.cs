using NetGen.CompilerServices;
using NetGen.Graph;
using NetGen.Tests.Gradients;
using NetGen.Tests.Infrastructure;
using NetGen.Tests.Networks;
using Xunit.Abstractions;

namespace NetGen.Tests.DynamicGraph;

/// <summary>Every network declared in this project: its generated gradient against the dynamic graph's.</summary>
public class DeclaredNetworkTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks() => DeclaredNetworks.Names(_ => true);

    private static List<string> NetworkNames() => DeclaredNetworks.Where(_ => true).Select(t => t.Name).ToList();

    [Fact]
    public void AllDeclaredNetworksAreCovered()
    {
        // 30 G_* networks per precision, XorNet, XorNetDouble, NotesNet, DigitsNet.
        Assert.True(NetworkNames().Count >= 64, $"only {NetworkNames().Count} networks found");
        Assert.Contains(nameof(DigitsNet), NetworkNames());
        Assert.Contains(nameof(XorNet), NetworkNames());
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void GeneratedGradientEqualsDynamicGradient(string name)
    {
        var type = typeof(XorNet).Assembly.GetType(typeof(XorNet).Namespace + "." + name, throwOnError: true)!;
        var net = (INetwork)Activator.CreateInstance(type, 3)!;
        if (net is INetwork<double> d)
        {
            GradientComparison.RandomizeBiases(d, 11);
            GradientComparison.RandomizeLayerNormGains(d, 11);
            var (inputs, targets) = GradientTests.MakeBatch(d, seed: 5);
            var (g, dyn, lossG, lossD) = GradientComparison.Gradients(d, DynamicNetwork<double>.From(d), inputs, targets);
            var (error, at) = GradientComparison.WorstRelativeError(g, dyn, GradientComparison.DoubleFloor * Math.Max(g.Max(Math.Abs), 1e-300));
            output.WriteLine($"{name}: {g.Length} parameters, worst relative error {error:E2} at {GradientComparison.TensorOf(d, at)}, loss {lossG:R} vs {lossD:R}");
            Assert.True(error <= GradientComparison.DoubleBound, $"{name}: relative error {error:E2} at {GradientComparison.TensorOf(d, at)} (generated {g[at]:R}, dynamic {dyn[at]:R})");
            Assert.Equal(lossG, lossD, 1e-12 * Math.Max(1, Math.Abs(lossG)));
        }
        else
        {
            var f = (INetwork<float>)net;
            GradientComparison.RandomizeBiases(f, 11);
            GradientComparison.RandomizeLayerNormGains(f, 11);
            var (inputs, targets) = GradientTests.MakeBatch(f, seed: 5);
            var (g, dyn, lossG, lossD) = GradientComparison.Gradients(f, DynamicNetwork<float>.From(f), inputs, targets);
            double floor = GradientComparison.SingleFloor * Math.Max(g.Max(Math.Abs), 1e-30);
            var (error, at) = GradientComparison.WorstRelativeError(g, dyn, floor);
            output.WriteLine($"{name}: {g.Length} parameters, worst error {error:E2} at {GradientComparison.TensorOf(f, at)}, loss {lossG:R} vs {lossD:R}");
            Assert.True(error <= GradientComparison.SingleBound, $"{name}: error {error:E2} at {GradientComparison.TensorOf(f, at)} (generated {g[at]:R}, dynamic {dyn[at]:R})");
            Assert.Equal(lossG, lossD, 1e-5 * Math.Max(1, Math.Abs(lossG)));
        }
    }

    [Fact]
    public void DynamicNetworkInitializesAndPredictsLikeTheGeneratedOne()
    {
        var generated = new DigitsNet(seed: 9);
        var dynamic = new DynamicNetwork<float>(DigitsNet.NetworkDescription, seed: 9);
        Assert.Equal(generated.Parameters.ToArray(), dynamic.Parameters.ToArray());

        var (inputs, _) = GradientTests.MakeBatch<float>(generated, seed: 1);
        var a = new float[DigitsNet.OutputSize];
        var b = new float[DigitsNet.OutputSize];
        generated.Predict(inputs.AsSpan(0, DigitsNet.InputSize), a);
        dynamic.Predict(inputs.AsSpan(0, DigitsNet.InputSize), b);
        for (int k = 0; k < a.Length; k++)
        {
            Assert.Equal(a[k], b[k], 1e-6f);
        }

        // Steady state: no allocation.
        dynamic.Predict(inputs.AsSpan(0, DigitsNet.InputSize), b);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            dynamic.Predict(inputs.AsSpan(0, DigitsNet.InputSize), b);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ForwardBackwardDoesNotAllocateInSteadyState()
    {
        var dynamic = new DynamicNetwork<double>(G_Tanh_SoftmaxCrossEntropy_Softmax_Double.NetworkDescription, seed: 1);
        var (inputs, targets) = GradientTests.MakeBatch<double>(dynamic, seed: 2);
        var workspace = dynamic.CreateWorkspace(3);
        var gradient = new double[dynamic.ParameterCount];
        dynamic.ForwardBackward(inputs, targets, gradient, workspace);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            dynamic.ForwardBackward(inputs, targets, gradient, workspace);
            dynamic.ComputeLoss(inputs, targets, workspace);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void GradientCheckAcceptsTheDynamicNetwork()
    {
        var dynamic = new DynamicNetwork<double>(G_Softplus_MeanSquaredError_Softplus_Double.NetworkDescription, seed: 4);
        var (inputs, targets) = GradientTests.MakeBatch<double>(dynamic, seed: 3);
        var result = GradientCheck.Run(dynamic, inputs, targets);
        output.WriteLine(result.ToString());
        Assert.True(result.MaxRelativeError <= 1e-6, result.ToString());
    }

    [Fact]
    public void DropoutGradientMatchesCentralDifferencesWithFixedMasks()
    {
        // A description with dropout layers, built by hand (the generator need not support dropout for this).
        var description = new NetworkDescription("DropoutNet", 3, Loss.SquaredError, Precision.Double,
        [
            new LayerDescription(1, LayerKind.Dense, 3, 6, Activation.Tanh, new("W1", 0, 6, 3), new("b1", 18, 1, 6)),
            new LayerDescription(2, LayerKind.Dropout, 6, 6, Activation.Identity, null, null, 0.5),
            new LayerDescription(3, LayerKind.Dense, 6, 2, Activation.Sigmoid, new("W3", 24, 2, 6), new("b3", 36, 1, 2)),
        ]);
        var net = new DynamicNetwork<double>(description, seed: 5);
        var (inputs, targets) = GradientTests.MakeBatch<double>(net, seed: 8);
        var workspace = net.CreateWorkspace(3);
        workspace.Training = true;
        workspace.DropoutSeed = 1234;
        workspace.SampleOffset = 7;
        var result = GradientCheck.Run(net, inputs, targets, workspace: workspace);
        Assert.True(result.MaxRelativeError <= 1e-6, result.ToString());

        // The masks are those of DropoutMask for (seed, SampleOffset + sample, layer index 2, unit), scaled by 2.
        var graph = net.GraphOf(workspace);
        net.ComputeLoss(inputs, targets, workspace);
        var before = graph.Graph.Nodes.Single(n => n.Name == "a1");
        var after = graph.Graph.Nodes.Single(n => n.Name == "d2");
        ulong threshold = DropoutMask.KeepThreshold(0.5);
        int dropped = 0;
        for (int s = 0; s < 3; s++)
        {
            for (int u = 0; u < 6; u++)
            {
                bool kept = DropoutMask.IsKept(1234, 7 + s, 2, u, threshold);
                dropped += kept ? 0 : 1;
                Assert.Equal(kept ? 2 * before.ValueRow(s)[u] : 0, after.ValueRow(s)[u]);
            }
        }

        Assert.InRange(dropped, 1, 17);

        // Inference passes values through.
        workspace.Training = false;
        net.ComputeLoss(inputs, targets, workspace);
        Assert.Equal(before.Value.ToArray(), after.Value.ToArray());
    }
}
