using NetGen.Tests.Networks;

namespace NetGen.Tests.Training;

/// <summary>The multithreaded minibatch gradient: the same bits with any number of threads.</summary>
public class ParallelGradientTests
{
    private static (float[] Inputs, float[] Targets) Batch(int count, int inputSize, int outputSize, int seed)
    {
        var random = new DeterministicRandom(seed);
        var inputs = Enumerable.Range(0, count * inputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = new float[count * outputSize];
        for (int s = 0; s < count; s++)
        {
            targets[(s * outputSize) + random.NextInt32(outputSize)] = 1;
        }

        return (inputs, targets);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(7)]
    public void OneTwoAndThreeThreadsGiveBitIdenticalGradients(int batch)
    {
        var net = new DigitsNet(seed: 3);
        var (inputs, targets) = Batch(batch, DigitsNet.InputSize, DigitsNet.OutputSize, seed: batch);
        float[]? reference = null;
        double referenceLoss = 0;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var engine = new ParallelGradient<float>(net, batchCapacity: 128, threads);
            var gradient = new float[DigitsNet.ParameterCount];
            double loss = engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0);
            if (reference is null)
            {
                reference = gradient;
                referenceLoss = loss;
                continue;
            }

            Assert.Equal(referenceLoss, loss);
            Assert.Equal(reference, gradient);
        }
    }

    [Fact]
    public void ChunkedGradientEqualsTheWholeBatchGradientUpToRounding()
    {
        var net = new DropoutNetDouble(seed: 2);
        var random = new DeterministicRandom(5);
        var inputs = Enumerable.Range(0, 50 * 6).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var targets = new double[50 * 4];
        for (int s = 0; s < 50; s++)
        {
            targets[(s * 4) + (s % 4)] = 1;
        }

        // With dropout on: masks depend on the sample's index in the minibatch, so chunking changes nothing.
        var whole = new double[DropoutNetDouble.ParameterCount];
        var workspace = net.CreateWorkspace(50);
        workspace.Training = true;
        workspace.DropoutSeed = 77;
        double wholeLoss = net.ForwardBackward(inputs, targets, whole, workspace);

        using var engine = new ParallelGradient<double>(net, batchCapacity: 50, threads: 2);
        Assert.Equal(32, engine.ChunkSize);
        var chunked = new double[DropoutNetDouble.ParameterCount];
        double chunkedLoss = engine.Compute(inputs, targets, chunked, training: true, dropoutSeed: 77);

        Assert.Equal(wholeLoss, chunkedLoss, 1e-12);
        for (int i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], chunked[i], 1e-12);
        }
    }

    [Fact]
    public void ChunkSizeDependsOnTheBatchCapacityOnly()
    {
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(1));
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(64));
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(256));
        Assert.Equal(64, ParallelGradient<float>.ChunkSizeFor(512));
        using var one = new ParallelGradient<float>(new DigitsNet(), 256, threads: 1);
        using var three = new ParallelGradient<float>(new DigitsNet(), 256, threads: 3);
        Assert.Equal(one.ChunkSize, three.ChunkSize);
        Assert.Equal(3, three.Threads);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var net = new DigitsNet(seed: 1);
        var (inputs, targets) = Batch(64, DigitsNet.InputSize, DigitsNet.OutputSize, seed: 9);
        using var engine = new ParallelGradient<float>(net, 64, threads: 2);
        var gradient = new float[DigitsNet.ParameterCount];
        for (int i = 0; i < 100; i++)
        {
            engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        using var engine = new ParallelGradient<float>(new XorNet(), 4, threads: 2);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => engine.Compute(new float[2], new float[1], new float[3], false, 0)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => engine.Compute(new float[3], new float[1], new float[9], false, 0)).ParamName);
    }
}
