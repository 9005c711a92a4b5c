using NetGen.Tests.Gradients;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Training;

/// <summary>Generated networks trained by the runtime, end to end.</summary>
public class GeneratedNetworkTrainingTests
{
    private static readonly float[] XorInputs = [0, 0, 0, 1, 1, 0, 1, 1];
    private static readonly float[] XorTargets = [0, 1, 1, 0];

    [Fact]
    public void XorConvergesWithPerSampleSgd()
    {
        var net = new XorNet(seed: 2);
        var trainer = new Trainer<float>(net, new Sgd<float>(learningRate: 0.5), batchSize: 1, seed: 2);
        var history = trainer.Fit(new Dataset<float>(XorInputs, 2, XorTargets, 1), epochs: 5000);

        Assert.True(history.Last!.TrainingLoss < 1e-3, $"final loss {history.Last.TrainingLoss}");
        var output = new float[1];
        for (int i = 0; i < 4; i++)
        {
            net.Predict(XorInputs.AsSpan(2 * i, 2), output);
            Assert.True(Math.Abs(output[0] - XorTargets[i]) < 0.1, $"XOR({XorInputs[2 * i]}, {XorInputs[(2 * i) + 1]}) = {output[0]}");
        }
    }

    [Fact]
    public void OneSgdStepOnXorMatchesHandComputation()
    {
        // θ' = θ - 0.5 dL/dθ with the gradient derived by hand in LectureNotesTests:
        // e.g. W2[0] = 0.6 - 0.5 * (-0.06396614497161067) = 0.6319830724858053.
        double[] expected =
        [
            0.20816638149901376, -0.4, 0.6961786134911732, 0.1,
            0.10816638149901377, -0.10382138650882676,
            0.6319830724858053, -0.2640519776329379,
            0.10567671533667405,
        ];
        var net = new XorNetDouble();
        double[] start = [0.2, -0.4, 0.7, 0.1, 0.1, -0.1, 0.6, -0.3, 0.05];
        start.CopyTo(net.Parameters);
        var trainer = new Trainer<double>(net, new Sgd<double>(learningRate: 0.5), batchSize: 1, seed: 0);
        trainer.Fit(new Dataset<double>([1.0, 0.0], 2, [1.0], 1), epochs: 1);

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], net.Parameters[i], 1e-15);
        }
    }

    [Fact]
    public void DigitsReachesNinetyFivePercentOnHeldOutImages()
    {
        Dataset<float> all;
        using (var stream = typeof(GeneratedNetworkTrainingTests).Assembly.GetManifestResourceStream("digits.csv.gz")!)
        {
            all = CsvReader.Read<float>(stream, "digits.csv.gz", new CsvOptions { ClassCount = 10 });
        }

        Assert.Equal(1797, all.Count);
        var (train, test) = all.Split(testFraction: 0.2, seed: 7, stratify: true);
        var scaler = MinMaxScaler<float>.Fit(train);
        scaler.Transform(train);
        scaler.Transform(test);

        var net = new DigitsNet(seed: 42);
        new Trainer<float>(net, new Adam<float>(learningRate: 0.003), batchSize: 32, seed: 42).Fit(train, epochs: 20);
        var result = Evaluation.Evaluate(net, test);

        Assert.Equal(test.Count, result.Count);
        Assert.True(result.Accuracy >= 0.95, $"test accuracy {result.Accuracy:F4}");
    }

    [Fact]
    public void SteadyStateBackwardAndUpdateAllocateNothing()
    {
        var net = new DigitsNet(seed: 1);
        var optimizer = new Adam<float>(learningRate: 1e-3);
        const int batch = 16;
        var workspace = net.CreateWorkspace(batch);
        var gradient = new float[DigitsNet.ParameterCount];
        var inputs = new float[batch * DigitsNet.InputSize];
        var targets = new float[batch * DigitsNet.OutputSize];
        var random = new DeterministicRandom(3);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        for (int s = 0; s < batch; s++)
        {
            targets[(s * DigitsNet.OutputSize) + (s % 10)] = 1;
        }

        void Step()
        {
            Array.Clear(gradient);
            net.ForwardBackward(inputs, targets, gradient, workspace);
            optimizer.Step(net.Parameters, gradient);
        }

        // Warm up past tiered compilation's promotion thresholds: re-JIT bookkeeping can allocate on the calling thread.
        for (int i = 0; i < 200; i++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        var output = new float[DigitsNet.OutputSize];
        for (int i = 0; i < 200; i++)
        {
            net.Predict(inputs.AsSpan(0, DigitsNet.InputSize), output);
        }

        before = GC.GetAllocatedBytesForCurrentThread();
        net.Predict(inputs.AsSpan(0, DigitsNet.InputSize), output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RuntimeGradientCheckPassesOnGeneratedNetworksAndNamesTheTensors()
    {
        var net = GradientTests.Create<double>("G_Softplus_SoftmaxCrossEntropy_Identity_Double");
        var (inputs, targets) = GradientTests.MakeBatch(net, seed: 11);
        var result = GradientCheck.Run(net, inputs, targets);

        Assert.Equal(["W1", "b1", "W2", "b2", "W3", "b3"], result.Tensors.Select(t => t.Name));
        Assert.True(result.IsWithin(1e-6), result.ToString());
    }

    [Fact]
    public void PredictionsOfCrossEntropyNetworksAreProbabilities()
    {
        var net = new DigitsNet(seed: 5);
        var input = Enumerable.Range(0, DigitsNet.InputSize).Select(i => (float)(i % 7) / 7).ToArray();
        var output = new float[DigitsNet.OutputSize];
        net.Predict(input, output);
        Assert.All(output, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(1.0, output.Sum(), 1e-6);
    }

    [Fact]
    public void GeneratedEnumsMirrorTheRuntimeEnums()
    {
        // The generator cannot reference the runtime, so it keeps copies of the three enums; they must agree.
        var generator = typeof(NetGen.Generator.NetworkGenerator).Assembly;
        foreach (var (runtime, mirror) in new[] { (typeof(Activation), "ActivationKind"), (typeof(Loss), "LossKind"), (typeof(Precision), "PrecisionKind") })
        {
            var mirrorType = generator.GetType("NetGen.Generator.Model." + mirror, throwOnError: true)!;
            Assert.Equal(
                Enum.GetValues(runtime).Cast<object>().Select(v => (Enum.GetName(runtime, v), Convert.ToInt32(v))),
                Enum.GetValues(mirrorType).Cast<object>().Select(v => (Enum.GetName(mirrorType, v), Convert.ToInt32(v))));
        }
    }

    [Fact]
    public void ArgumentErrorsNameTheArgument()
    {
        var net = new XorNet();
        var error = Assert.Throws<ArgumentException>(() => net.Predict([1f, 2f, 3f], new float[1]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("3 values", error.Message, StringComparison.Ordinal);

        var workspace = net.CreateWorkspace(2);
        error = Assert.Throws<ArgumentException>(() => net.ForwardBackward(new float[6], new float[3], new float[XorNet.ParameterCount], workspace));
        Assert.Equal("workspace", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => net.ForwardBackward(new float[4], new float[3], new float[XorNet.ParameterCount], workspace));
        Assert.Equal("targets", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => net.ForwardBackward(new float[4], new float[2], new float[5], workspace));
        Assert.Equal("gradient", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => net.ForwardBackward(new float[4], new float[2], new float[XorNet.ParameterCount], new DigitsNet().CreateWorkspace(2)));
        Assert.Equal("workspace", error.ParamName);
    }
}
