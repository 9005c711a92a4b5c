using Xunit;

namespace NetGen.Tests.Runtime;

public class TrainerTests
{
    /// <summary>
    /// y = 2x + 1 plus a fixed "noise" pattern at x = 0, 0.1, ..., 1.9. Its least-squares line, computed with
    /// python3 from the closed form a = cov(x, y) / var(x), b = mean(y) - a mean(x), is
    /// a = 1.9571428571428577, b = 1.0357142857142854, with a minimal mean loss 1/2 mean(residual²) = 0.021932142857142855.
    /// </summary>
    private static Dataset<double> NoisyLine()
    {
        var x = Enumerable.Range(0, 20).Select(i => i / 10.0).ToArray();
        var y = x.Select((value, i) => 2 * value + 1 + (i % 2 == 0 ? 0.1 : -0.1) * (1 + i % 3)).ToArray();
        return new Dataset<double>(x, 1, y, 1);
    }

    /// <summary>Two well-separated blobs in the plane, three classes, 20 samples each.</summary>
    private static Dataset<double> Blobs()
    {
        var random = new DeterministicRandom(5);
        (double X, double Y)[] centers = [(-3, 0), (3, 0), (0, 4)];
        var features = new List<double>();
        var labels = new List<int>();
        for (int i = 0; i < 60; i++)
        {
            int label = i % 3;
            features.Add(centers[label].X + random.NextDouble(-1, 1));
            features.Add(centers[label].Y + random.NextDouble(-1, 1));
            labels.Add(label);
        }

        return Dataset<double>.FromLabels(features.ToArray(), 2, labels.ToArray(), 3);
    }

    [Fact]
    public void Fit_ReachesTheLeastSquaresMinimum()
    {
        var model = new LinearModel<double>(1, 1, Loss.SquaredError);
        var trainer = new Trainer<double>(model, new Sgd<double>(0.5), batchSize: 20, seed: 1);
        var history = trainer.Fit(NoisyLine(), epochs: 600);

        Assert.Equal(1.9571428571428577, model.Parameters[0], 1e-9);
        Assert.Equal(1.0357142857142854, model.Parameters[1], 1e-9);
        Assert.Equal(0.021932142857142855, Evaluation.Evaluate(model, NoisyLine()).Loss, 1e-12);
        Assert.Equal(600, history.Epochs.Count);
        Assert.True(history.Epochs[0].TrainingLoss > history.Last!.TrainingLoss);
    }

    [Fact]
    public void Fit_WithTheSameSeed_GivesIdenticalWeights()
    {
        double[] Train(int seed)
        {
            var model = new LinearModel<double>(2, 3, Loss.SoftmaxCrossEntropy, seed: 9);
            new Trainer<double>(model, new Adam<double>(0.05), batchSize: 7, seed: seed).Fit(Blobs(), epochs: 5);
            return model.Parameters.ToArray();
        }

        Assert.Equal(Train(1), Train(1));
        Assert.NotEqual(Train(1), Train(2));
    }

    [Fact]
    public void Fit_ClassifiesSeparableData_AndReportsEveryEpoch()
    {
        var (train, test) = Blobs().Split(0.25, seed: 2, stratify: true);
        var model = new LinearModel<float>(2, 3, Loss.SoftmaxCrossEntropy);
        var reports = new List<EpochReport>();
        var history = new Trainer<float>(model, new Adam<float>(0.05), batchSize: 8, seed: 3)
            .Fit(ToSingle(train), epochs: 30, validation: ToSingle(test), progress: new SynchronousProgress(reports.Add));

        Assert.Equal(history.Epochs, reports);
        Assert.Equal(Enumerable.Range(1, 30), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.NotNull(r.ValidationLoss));
        Assert.Equal(1.0, history.Last!.ValidationAccuracy);
        Assert.Contains("epoch 30/30: loss ", history.Last.ToString());
    }

    [Fact]
    public void Evaluate_ComputesLossAndAccuracy()
    {
        // Weights chosen by hand: logits (x0, x1, 0). Sample 1 -> class 0 (right), sample 2 -> class 1 (wrong: label 2).
        var model = new LinearModel<double>(2, 3, Loss.SoftmaxCrossEntropy);
        double[] weights = [1, 0, 0, 1, 0, 0, 0, 0, 0];
        weights.CopyTo(model.Parameters);
        var data = Dataset<double>.FromLabels([2, 0, 0, 2], 2, [0, 2], 3);

        var result = Evaluation.Evaluate(model, data);
        Assert.Equal(0.5, result.Accuracy);
        Assert.Equal(2, result.Count);

        // Mean loss: (lse(2,0,0) - 2 + lse(0,2,0) - 0) / 2.
        double logSumExp = Math.Log(Math.Exp(2) + 2);
        Assert.Equal((logSumExp - 2 + logSumExp) / 2, result.Loss, 1e-14);
    }

    [Fact]
    public void Evaluate_OfRegression_HasNoAccuracy()
    {
        var model = new LinearModel<double>(1, 1, Loss.SquaredError);
        Assert.Null(Evaluation.Evaluate(model, NoisyLine()).Accuracy);
    }

    [Theory]
    [InlineData(new double[] { 0.5 }, 1)]
    [InlineData(new double[] { 0.49 }, 0)]
    [InlineData(new double[] { 0.2, 0.7, 0.7 }, 1)]
    public void Class_IsTheArgmaxOrTheHalfThreshold(double[] values, int expected) =>
        Assert.Equal(expected, Evaluation.Class<double>(values));

    [Fact]
    public void NonFiniteLoss_StopsWithEpochAndBatch_AndKeepsThePreviousWeights()
    {
        // 20 samples in batches of 8 make 3 batches per epoch; call 5 is epoch 2, batch 2.
        var model = new PoisonedModel(new LinearModel<double>(1, 1, Loss.SquaredError), poisonedCall: 5);
        var trainer = new Trainer<double>(model, new Sgd<double>(0.1), batchSize: 8, seed: 1);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(NoisyLine(), epochs: 3));
        Assert.Equal((2, 2), (error.Epoch, error.Batch));
        Assert.Contains("epoch 2, batch 2", error.Message);
        Assert.Single(error.History.Epochs);
        Assert.Equal(model.ParametersBeforePoisonedCall, model.Parameters.ToArray());
    }

    [Fact]
    public void Cancellation_StopsBetweenBatches_WithTheHistorySoFar()
    {
        using var cancellation = new CancellationTokenSource();
        var model = new LinearModel<double>(1, 1, Loss.SquaredError);
        var trainer = new Trainer<double>(model, new Sgd<double>(0.1), batchSize: 4, seed: 1);

        var error = Assert.Throws<TrainingCanceledException>(() =>
            trainer.Fit(NoisyLine(), epochs: 10, progress: new SynchronousProgress(_ => cancellation.Cancel()), cancellationToken: cancellation.Token));
        Assert.Equal(2, error.Epoch);
        Assert.Single(error.History.Epochs);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(5, model.ForwardBackwardCalls);
        Assert.All(model.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
    }

    [Fact]
    public void Fit_RejectsDataOfTheWrongShape()
    {
        var trainer = new Trainer<double>(new LinearModel<double>(2, 1, Loss.SquaredError), new Sgd<double>(0.1));
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(NoisyLine(), epochs: 1));
        Assert.Equal("train", error.ParamName);
        Assert.Contains("1 features", error.Message);
        Assert.Equal("epochs", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(new Dataset<double>(new double[2], 2, new double[1], 1), epochs: 0)).ParamName);
    }

    [Fact]
    public void TrainingSteps_DoNotAllocate()
    {
        var data = NoisyLine();
        var model = new LinearModel<double>(1, 1, Loss.SquaredError);
        var trainer = new Trainer<double>(model, new Adam<double>(), batchSize: 1, seed: 1);
        trainer.Fit(data, epochs: 1);

        // An epoch is 20 steps. The 20 extra epochs may allocate their reports (about 100 bytes each) but nothing
        // per step: even one small object per step would add 20 * 20 * 24 bytes.
        long before = GC.GetAllocatedBytesForCurrentThread();
        trainer.Fit(data, epochs: 1);
        long oneEpoch = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        trainer.Fit(data, epochs: 21);
        long manyEpochs = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(manyEpochs - oneEpoch < 20 * 200, $"one epoch: {oneEpoch} bytes, 21 epochs: {manyEpochs} bytes");
    }

    private static Dataset<float> ToSingle(Dataset<double> data)
    {
        var features = data.AllFeatures.ToArray().Select(v => (float)v).ToArray();
        var labels = Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
        return Dataset<float>.FromLabels(features, data.FeatureCount, labels, data.ClassCount);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }

    /// <summary>Wraps a model and returns a NaN loss from one ForwardBackward call.</summary>
    private sealed class PoisonedModel(LinearModel<double> inner, int poisonedCall) : DelegatingNetwork<double>(inner)
    {
        private int _calls;

        public double[] ParametersBeforePoisonedCall { get; private set; } = [];

        public override double ForwardBackward(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, Span<double> gradient, NetworkWorkspace<double> workspace)
        {
            if (++_calls == poisonedCall)
            {
                ParametersBeforePoisonedCall = Parameters.ToArray();
                base.ForwardBackward(inputs, targets, gradient, workspace);
                return double.NaN;
            }

            return base.ForwardBackward(inputs, targets, gradient, workspace);
        }
    }
}
