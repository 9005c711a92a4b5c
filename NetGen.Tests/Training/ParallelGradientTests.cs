using NetGen.Tests.Networks;
using NetGen.Tests.Runtime;

namespace NetGen.Tests.Training;

/// <summary>The multithreaded minibatch gradient: the same bits with any number of threads.</summary>
public class ParallelGradientTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(7)]
    public void OneTwoAndThreeThreadsGiveBitIdenticalGradients(int batch)
    {
        var net = new DigitsNet(seed: 3);
        var (inputs, targets) = RandomBatch.OneHot(batch, DigitsNet.InputSize, DigitsNet.OutputSize, seed: batch);
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
    public void ChunkSizeDependsOnTheBatchCapacityAndGradientSizeOnly()
    {
        const long small = 400_000, large = 3_729_448; // W3's and W4's float gradients, in bytes
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(1, small));
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(64, small));
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(256, small));
        Assert.Equal(64, ParallelGradient<float>.ChunkSizeFor(512, small));
        Assert.Equal(32, ParallelGradient<float>.ChunkSizeFor(64, ParallelGradient<float>.MediumGradientBytes));
        Assert.Equal(64, ParallelGradient<float>.ChunkSizeFor(64, ParallelGradient<float>.MediumGradientBytes + 1));
        Assert.Equal(64, ParallelGradient<float>.ChunkSizeFor(128, 940_584)); // the Fashion-MNIST race's network
        Assert.Equal(64, ParallelGradient<float>.ChunkSizeFor(64, ParallelGradient<float>.LargeGradientBytes));
        Assert.Equal(128, ParallelGradient<float>.ChunkSizeFor(64, ParallelGradient<float>.LargeGradientBytes + 1));
        Assert.Equal(128, ParallelGradient<float>.ChunkSizeFor(256, large));
        Assert.Equal(256, ParallelGradient<float>.ChunkSizeFor(2048, large));
        Assert.Equal("batchCapacity", Assert.Throws<ArgumentOutOfRangeException>(() => ParallelGradient<float>.ChunkSizeFor(0, small)).ParamName);
        using var one = new ParallelGradient<float>(new DigitsNet(), 256, threads: 1);
        using var three = new ParallelGradient<float>(new DigitsNet(), 256, threads: 3);
        Assert.Equal(one.ChunkSize, three.ChunkSize);
        Assert.Equal(3, three.Threads);
    }

    [Fact]
    public void LargeGradientsAreReducedInSlicesWithTheSameBitsOnAnyThreadCount()
    {
        // 300 x 1000 weights and 300 biases: a 1.2 MB gradient, so chunks of 128 samples and a reduction over 19 slices.
        var net = new LinearModel<float>(1000, 300, Loss.SoftmaxCrossEntropy, seed: 4);
        var (inputs, targets) = RandomBatch.OneHot(300, net.InputSize, net.OutputSize, seed: 12);
        using var single = new ParallelGradient<float>(net, batchCapacity: 300, threads: 1);
        Assert.Equal(128, single.ChunkSize);
        var expected = new float[net.ParameterCount];
        double expectedLoss = single.Compute(inputs, targets, expected, training: false, dropoutSeed: 0);

        // The same sums formed by hand: each chunk's gradient on its own, then added in chunk order.
        var byHand = new float[net.ParameterCount];
        var chunk = new float[net.ParameterCount];
        var workspace = net.CreateWorkspace(128);
        for (int start = 0; start < 300; start += 128)
        {
            int count = Math.Min(128, 300 - start);
            Array.Clear(chunk);
            net.ForwardBackward(inputs.AsSpan(start * net.InputSize, count * net.InputSize), targets.AsSpan(start * net.OutputSize, count * net.OutputSize), chunk, workspace);
            if (start == 0)
            {
                chunk.CopyTo(byHand, 0);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Add(byHand, chunk, byHand);
            }
        }

        Assert.Equal(byHand, expected);
        foreach (int threads in new[] { 2, 3 })
        {
            using var engine = new ParallelGradient<float>(net, batchCapacity: 300, threads);
            var gradient = new float[net.ParameterCount];
            Assert.Equal(expectedLoss, engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0));
            Assert.Equal(expected, gradient);
        }
    }

    public static TheoryData<string> OptimizerNames() => new() { "sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw" };

    private static Optimizer<float> CreateOptimizer(string name) => name switch
    {
        "sgd" => new Sgd<float>(0.1),
        "momentum" => new Sgd<float>(0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
        "adagrad" => new AdaGrad<float>(0.1),
        "rmsprop" => new RMSProp<float>(0.01, momentum: 0.5),
        "adam" => new Adam<float>(1e-3, weightDecay: 1e-2),
        _ => new AdamW<float>(1e-3, weightDecay: 1e-2),
    };

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void AParallelOptimizerStepGivesTheBitsOfASerialOne(string name)
    {
        // 100,009 parameters (7 x 14,287): slices of 16,384 and a tail that is not a multiple of the vector width.
        var net = new LinearModel<float>(14_286, 7, Loss.SoftmaxCrossEntropy);
        int count = net.ParameterCount;
        var random = new DeterministicRandom(21);
        var start = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, count).Select(_ => (float)random.NextDouble(-1, 1)).ToArray()).ToArray();

        var serial = start.ToArray();
        var serialOptimizer = CreateOptimizer(name);
        foreach (var gradient in gradients)
        {
            serialOptimizer.Step(serial, gradient);
        }

        using var engine = new ParallelGradient<float>(net, batchCapacity: 256, threads: 2);
        Assert.Equal(2, engine.Threads);
        start.CopyTo(net.Parameters);
        var parallelOptimizer = CreateOptimizer(name);
        foreach (var gradient in gradients)
        {
            engine.Step(parallelOptimizer, gradient);
        }

        Assert.Equal(3, parallelOptimizer.StepCount);
        Assert.Equal(serial, net.Parameters.ToArray());
        Assert.NotEqual(start, net.Parameters.ToArray());
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void TheFusedGradientAndStepGivesTheBitsOfComputeDivideAndStep(string name)
    {
        // 101,100 parameters, 256 samples: eight chunks of 32, and enough work for every thread.
        var (inputs, targets) = RandomBatch.OneHot(256, 1000, 100, seed: 31);
        var serialNet = new LinearModel<float>(1000, 100, Loss.SoftmaxCrossEntropy, seed: 8);
        var serialOptimizer = CreateOptimizer(name);
        var serialGradient = new float[serialNet.ParameterCount];
        var serialLosses = new List<double>();
        using (var single = new ParallelGradient<float>(serialNet, batchCapacity: 256, threads: 1))
        {
            for (int step = 0; step < 3; step++)
            {
                serialLosses.Add(single.Compute(inputs, targets, serialGradient, training: false, dropoutSeed: 0));
                System.Numerics.Tensors.TensorPrimitives.Divide(serialGradient, 256f, serialGradient);
                serialOptimizer.Step(serialNet.Parameters, serialGradient);
            }
        }

        foreach (int threads in new[] { 1, 2, 3 })
        {
            var net = new LinearModel<float>(1000, 100, Loss.SoftmaxCrossEntropy, seed: 8);
            var optimizer = CreateOptimizer(name);
            var gradient = new float[net.ParameterCount];
            using var engine = new ParallelGradient<float>(net, batchCapacity: 256, threads);
            for (int step = 0; step < 3; step++)
            {
                Assert.Equal(serialLosses[step], engine.ComputeAndStep(inputs, targets, gradient, 256f, optimizer, training: false, dropoutSeed: 0, out bool stepped));
                Assert.True(stepped);
            }

            Assert.Equal(3, optimizer.StepCount);
            Assert.Equal(serialGradient, gradient);
            Assert.Equal(serialNet.Parameters.ToArray(), net.Parameters.ToArray());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheFusedStepLeavesTheParametersAsTheyWereWhenTheGradientIsNotFinite(int threads)
    {
        var (inputs, targets) = RandomBatch.OneHot(256, 1000, 100, seed: 32);
        inputs[5 * 1000 + 7] = float.NaN;
        var net = new LinearModel<float>(1000, 100, Loss.SoftmaxCrossEntropy, seed: 9);
        var before = net.Parameters.ToArray();
        var optimizer = new Adam<float>();
        using var engine = new ParallelGradient<float>(net, batchCapacity: 256, threads);
        engine.ComputeAndStep(inputs, targets, new float[net.ParameterCount], 256f, optimizer, training: false, dropoutSeed: 0, out bool stepped);
        Assert.False(stepped);
        Assert.Equal(0, optimizer.StepCount);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void TheFusedStepOfOneChunkGivesTheBitsOfComputeDivideAndStep(string name)
    {
        // 12 samples are one chunk: the caller divides that chunk's gradient straight into the result.
        var (inputs, targets) = RandomBatch.OneHot(12, 30, 5, seed: 33);
        var serialNet = new LinearModel<float>(30, 5, Loss.SoftmaxCrossEntropy, seed: 10);
        var serialOptimizer = CreateOptimizer(name);
        var serialGradient = new float[serialNet.ParameterCount];
        var net = new LinearModel<float>(30, 5, Loss.SoftmaxCrossEntropy, seed: 10);
        var optimizer = CreateOptimizer(name);
        var gradient = new float[net.ParameterCount];
        using var serial = new ParallelGradient<float>(serialNet, batchCapacity: 12, threads: 1);
        using var engine = new ParallelGradient<float>(net, batchCapacity: 12, threads: 2);
        for (int step = 0; step < 3; step++)
        {
            double loss = serial.Compute(inputs, targets, serialGradient, training: false, dropoutSeed: 0);
            System.Numerics.Tensors.TensorPrimitives.Divide(serialGradient, 12f, serialGradient);
            serialOptimizer.Step(serialNet.Parameters, serialGradient);
            Assert.Equal(loss, engine.ComputeAndStep(inputs, targets, gradient, 12f, optimizer, training: false, dropoutSeed: 0, out bool stepped));
            Assert.True(stepped);
            Assert.Equal(serialGradient, gradient);
            Assert.Equal(serialNet.Parameters.ToArray(), net.Parameters.ToArray());
        }

        // A non-finite value in the one chunk leaves the parameters and the step count as they were.
        inputs[3] = float.PositiveInfinity;
        var before = net.Parameters.ToArray();
        engine.ComputeAndStep(inputs, targets, gradient, 12f, optimizer, training: false, dropoutSeed: 0, out bool steppedWithInfinity);
        Assert.False(steppedWithInfinity);
        Assert.Equal(3, optimizer.StepCount);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void TheFusedStepChecksItsArguments()
    {
        var net = new LinearModel<float>(1000, 100, Loss.SoftmaxCrossEntropy);
        using var engine = new ParallelGradient<float>(net, batchCapacity: 256, threads: 2);
        var error = Assert.Throws<ArgumentException>(() => engine.ComputeAndStep(new float[256 * 1000], new float[256 * 100], new float[5], 256f, new Adam<float>(), training: false, dropoutSeed: 0, out _));
        Assert.Equal("gradient", error.ParamName);
        Assert.Equal("The gradient buffer has 5 values; the network has 100100 parameters. (Parameter 'gradient')", error.Message);
    }

    [Fact]
    public void AParallelStepChecksItsArguments()
    {
        var net = new LinearModel<float>(1000, 100, Loss.SoftmaxCrossEntropy);
        using var engine = new ParallelGradient<float>(net, batchCapacity: 256, threads: 2);
        var optimizer = new Adam<float>();
        var error = Assert.Throws<ArgumentException>(() => engine.Step(optimizer, new float[100_099]));
        Assert.Equal("gradient", error.ParamName);
        Assert.Equal("The gradient has 100099 values; the network has 100100 parameters. (Parameter 'gradient')", error.Message);
        engine.Step(optimizer, new float[100_100]);
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void AnExceptionOnTheCallingThreadIsRethrownAsItIs()
    {
        // 1,010 parameters x 256 samples is enough work for both threads; the worker is slowed down so the caller surely takes a chunk.
        var network = new ThrowingOnCallerNetwork(new LinearModel<float>(100, 10, Loss.SoftmaxCrossEntropy));
        using var engine = new ParallelGradient<float>(network, batchCapacity: 256, threads: 2);
        var error = Assert.Throws<FormatException>(() => engine.Compute(new float[256 * 100], new float[256 * 10], new float[network.ParameterCount], training: false, dropoutSeed: 0));
        Assert.Equal("thrown on the calling thread", error.Message);

        // The engine is still usable: the workers finished the batch and wait for the next one.
        network.Throw = false;
        var gradient = new float[network.ParameterCount];
        Assert.Equal(256 * Math.Log(10), engine.Compute(new float[256 * 100], new float[256 * 10].Select((_, i) => i % 10 == 0 ? 1f : 0f).ToArray(), gradient, training: false, dropoutSeed: 0), 1e-3);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var net = new DigitsNet(seed: 1);
        var (inputs, targets) = RandomBatch.OneHot(64, DigitsNet.InputSize, DigitsNet.OutputSize, seed: 9);
        using var engine = new ParallelGradient<float>(net, 64, threads: 2);
        var gradient = new float[DigitsNet.ParameterCount];
        for (int i = 0; i < 100; i++)
        {
            engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0);
        }

        var optimizer = new Adam<float>();
        engine.ComputeAndStep(inputs, targets, gradient, 64f, optimizer, training: false, dropoutSeed: 0, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            engine.Compute(inputs, targets, gradient, training: false, dropoutSeed: 0);
            engine.ComputeAndStep(inputs, targets, gradient, 64f, optimizer, training: false, dropoutSeed: 0, out _);
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

    /// <summary>Throws from ForwardBackward on the thread that created it; elsewhere, computes slowly.</summary>
    private sealed class ThrowingOnCallerNetwork(LinearModel<float> inner) : DelegatingNetwork<float>(inner)
    {
        private readonly int _callerThread = Environment.CurrentManagedThreadId;

        public bool Throw { get; set; } = true;

        public override float ForwardBackward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, NetworkWorkspace<float> workspace)
        {
            if (Throw && Environment.CurrentManagedThreadId == _callerThread)
            {
                throw new FormatException("thrown on the calling thread");
            }

            if (Throw)
            {
                Thread.Sleep(100);
            }

            return base.ForwardBackward(inputs, targets, gradient, workspace);
        }
    }
}
