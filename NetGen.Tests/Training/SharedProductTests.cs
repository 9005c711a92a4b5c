using NetGen.Graph;
using NetGen.Tests.Runtime;

namespace NetGen.Tests.Training;

/// <summary>W3's shape: 784-128-10 ReLU, softmax cross-entropy (6.5 million parameter-samples at batch 64).</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class SharedW3Net;

/// <summary>Odd sizes and three large products per pass: 200-136-72-10.</summary>
[Network(Inputs = 200, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(136, Activation.ReLU)]
[Dense(72, Activation.Tanh)]
[Dense(10)]
public partial class SharedOddNet;

/// <summary>W3's shape with dropout: its masks are drawn on the thread that runs the pass, so it keeps chunks.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dropout(0.2)]
[Dense(10)]
public partial class ChunkedDropoutNet;

/// <summary>
/// A batch run as one chunk whose large products the engine's threads share: the bits of a plain
/// <see cref="INetwork{T}.ForwardBackward"/> over the whole batch, on any number of threads.
/// </summary>
public class SharedProductTests
{
    public static TheoryData<string, int, int> Cases() => new()
    {
        { "w3", 64, 64 },
        { "odd", 100, 100 },
        { "odd", 100, 37 },
        { "w3-dynamic", 64, 50 },
    };

    private static INetwork<float> Create(string name) => name switch
    {
        "w3" => new SharedW3Net(seed: 2),
        "w3-dynamic" => DynamicNetwork<float>.From(new SharedW3Net(seed: 2)),
        _ => new SharedOddNet(seed: 3),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ASharedBatchIsOneForwardBackwardWithTheSameBitsOnAnyThreadCount(string name, int capacity, int batch)
    {
        var reference = Create(name);
        var (inputs, targets) = RandomBatch.OneHot(batch, reference.InputSize, reference.OutputSize, seed: batch);
        var expected = new float[reference.ParameterCount];
        var workspace = reference.CreateWorkspace(capacity);
        workspace.Training = true;
        workspace.DropoutSeed = 11;
        double expectedLoss = reference.ForwardBackward(inputs, targets, expected, workspace);

        foreach (int threads in new[] { 1, 2, 3 })
        {
            var net = Create(name);
            using var engine = new ParallelGradient<float>(net, capacity, threads);
            Assert.True(engine.SharesProducts);
            Assert.Equal(capacity, engine.ChunkSize);
            Assert.Equal(threads, engine.Threads);
            var gradient = Enumerable.Repeat(float.NaN, net.ParameterCount).ToArray(); // written, not added to
            for (int repeat = 0; repeat < 2; repeat++)
            {
                Assert.Equal(expectedLoss, engine.Compute(inputs, targets, gradient, training: true, dropoutSeed: 11));
                Assert.Equal(expected, gradient);
            }

            // With more than one thread the large products really were shared.
            Assert.Equal(threads > 1, engine.SharedProducts > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheFusedStepOfASharedBatchGivesTheBitsOfComputeDivideAndStep(string name, int capacity, int batch)
    {
        var serialNet = Create(name);
        var (inputs, targets) = RandomBatch.OneHot(batch, serialNet.InputSize, serialNet.OutputSize, seed: batch + 1);
        var serialOptimizer = new Adam<float>(1e-2);
        var serialGradient = new float[serialNet.ParameterCount];
        var workspace = serialNet.CreateWorkspace(capacity);
        var serialLosses = new List<double>();
        for (int step = 0; step < 3; step++)
        {
            Array.Clear(serialGradient);
            serialLosses.Add(serialNet.ForwardBackward(inputs, targets, serialGradient, workspace));
            System.Numerics.Tensors.TensorPrimitives.Divide(serialGradient, (float)batch, serialGradient);
            serialOptimizer.Step(serialNet.Parameters, serialGradient);
        }

        foreach (int threads in new[] { 1, 2, 3 })
        {
            var net = Create(name);
            var optimizer = new Adam<float>(1e-2);
            var gradient = new float[net.ParameterCount];
            using var engine = new ParallelGradient<float>(net, capacity, threads);
            for (int step = 0; step < 3; step++)
            {
                Assert.Equal(serialLosses[step], engine.ComputeAndStep(inputs, targets, gradient, batch, optimizer, training: false, dropoutSeed: 0, out bool stepped));
                Assert.True(stepped);
            }

            Assert.Equal(serialGradient, gradient);
            Assert.Equal(serialNet.Parameters.ToArray(), net.Parameters.ToArray());
        }
    }

    [Fact]
    public void WhetherProductsAreSharedDependsOnTheNetworkAndTheBatchCapacityOnly()
    {
        // W3's shape at batch 64 (6.5 million parameter-samples) shares products; at batch 16 (1.6 million) it runs in chunks.
        foreach (int threads in new[] { 1, 2 })
        {
            using var w3 = new ParallelGradient<float>(new SharedW3Net(), 64, threads);
            Assert.True(w3.SharesProducts);
            using var w3Small = new ParallelGradient<float>(new SharedW3Net(), 16, threads);
            Assert.False(w3Small.SharesProducts);

            // A 64-64-10 network at batch 128 (0.6 million) keeps its chunks of 32.
            using var digits = new ParallelGradient<float>(new NetGen.Tests.Networks.DigitsNet(), 128, threads);
            Assert.False(digits.SharesProducts);
            Assert.Equal(32, digits.ChunkSize);

            // With dropout, whose masks are drawn on the thread of the pass: chunks.
            using var dropout = new ParallelGradient<float>(new ChunkedDropoutNet(), 64, threads);
            Assert.False(dropout.SharesProducts);

            // A hand-written network's products take no team, however large: chunks.
            using var linear = new ParallelGradient<float>(new LinearModel<float>(1000, 300, Loss.SoftmaxCrossEntropy), 300, threads);
            Assert.False(linear.SharesProducts);
            Assert.Equal(128, linear.ChunkSize);
        }
    }

    [Fact]
    public void AnExceptionOnTheCallerOfASharedBatchIsRethrownAsItIsAndTheEngineGoesOn()
    {
        var network = new ThrowingNetwork(new SharedW3Net(seed: 4));
        var (inputs, targets) = RandomBatch.OneHot(64, network.InputSize, network.OutputSize, seed: 5);
        using var engine = new ParallelGradient<float>(network, 64, threads: 2);
        Assert.True(engine.SharesProducts);
        var gradient = new float[network.ParameterCount];
        var error = Assert.Throws<FormatException>(() => engine.ComputeAndStep(inputs, targets, gradient, 64f, new Adam<float>(), training: false, dropoutSeed: 0, out _));
        Assert.Equal("thrown after the forward products", error.Message);

        network.Throw = false;
        var expected = new float[network.ParameterCount];
        double expectedLoss = new SharedW3Net(seed: 4).ForwardBackward(inputs, targets, expected, network.CreateWorkspace(64));
        Assert.Equal(expectedLoss, engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0));
        Assert.Equal(expected, gradient);
    }

    [Fact]
    public void ASharedSteadyStateAllocatesNothing()
    {
        var net = new SharedOddNet(seed: 1);
        var (inputs, targets) = RandomBatch.OneHot(100, SharedOddNet.InputSize, SharedOddNet.OutputSize, seed: 9);
        using var engine = new ParallelGradient<float>(net, 100, threads: 2);
        Assert.True(engine.SharesProducts);
        var gradient = new float[SharedOddNet.ParameterCount];
        var optimizer = new Adam<float>();
        for (int i = 0; i < 20; i++)
        {
            engine.ComputeAndStep(inputs, targets, gradient, 100f, optimizer, training: true, dropoutSeed: (ulong)i, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            engine.Compute(inputs, targets, gradient, training: true, dropoutSeed: 3);
            engine.ComputeAndStep(inputs, targets, gradient, 100f, optimizer, training: true, dropoutSeed: 4, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Runs the batch forward (its products shared), then throws on the calling thread.</summary>
    private sealed class ThrowingNetwork(SharedW3Net inner) : DelegatingNetwork<float>(inner)
    {
        public bool Throw { get; set; } = true;

        public override float ForwardBackward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, NetworkWorkspace<float> workspace)
        {
            if (Throw)
            {
                inner.Forward(inputs, new float[(inputs.Length / SharedW3Net.InputSize) * SharedW3Net.OutputSize], workspace);
                throw new FormatException("thrown after the forward products");
            }

            return base.ForwardBackward(inputs, targets, gradient, workspace);
        }
    }
}
