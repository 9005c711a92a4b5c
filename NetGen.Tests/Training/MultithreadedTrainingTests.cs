using NetGen.Tests.Networks;

namespace NetGen.Tests.Training;

/// <summary>The trainer with worker threads: same seed, same bits, whatever the thread count.</summary>
public class MultithreadedTrainingTests
{
    private static Dataset<double> Data(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = Enumerable.Range(0, count * 6).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (int)(((features[i * 6] > 0 ? 1 : 0) + (features[(i * 6) + 1] > 0 ? 2 : 0)) % 4)).ToArray();
        return Dataset<double>.FromLabels(features, 6, labels, 4);
    }

    [Fact]
    public void OneTwoAndThreeThreadsTrainToBitIdenticalWeights()
    {
        var data = Data(300, seed: 1);
        double[]? reference = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            // A network with dropout, so the masks' independence from threads is checked too.
            var net = new DropoutNetDouble(seed: 8);
            // Batch 128 x 2,179 parameters is above ParallelGradient.MinParallelWork, so workers really run.
            using var trainer = new Trainer<double>(net, new Adam<double>(1e-2), batchSize: 128, seed: 5, new TrainerOptions { Threads = threads });
            Assert.Equal(threads, trainer.Threads);
            trainer.Fit(data, epochs: 3);
            var weights = net.Parameters.ToArray();
            if (reference is null)
            {
                reference = weights;
            }
            else
            {
                Assert.Equal(reference, weights);
            }
        }
    }

    [Fact]
    public void DropoutIsActiveWhileTrainingOnly()
    {
        // Same data, weights and seed: the training loss with dropout differs from the loss without it, and
        // evaluation afterwards (no dropout) is deterministic.
        var data = Data(64, seed: 2);
        var withDropout = new DropoutNetDouble(seed: 8);
        var without = new NoDropoutNetDouble(seed: 8);
        using var t1 = new Trainer<double>(withDropout, new Sgd<double>(0.0), batchSize: 64, seed: 1);
        using var t2 = new Trainer<double>(without, new Sgd<double>(0.0), batchSize: 64, seed: 1);
        double lossWith = t1.Fit(data, 1).Last!.TrainingLoss;
        double lossWithout = t2.Fit(data, 1).Last!.TrainingLoss;
        Assert.NotEqual(lossWithout, lossWith);
        Assert.Equal(Evaluation.Evaluate(without, data).Loss, Evaluation.Evaluate(withDropout, data).Loss, 1e-12);
    }

    [Fact]
    public void BatchProgressReportsEveryIntervalAndTheLastBatch()
    {
        var reports = new List<BatchReport>();
        var net = new DropoutNetDouble(seed: 1);
        using var trainer = new Trainer<double>(net, new Sgd<double>(0.01), batchSize: 10, seed: 1,
            new TrainerOptions { BatchProgress = new Collect(reports), BatchProgressInterval = 4 });
        trainer.Fit(Data(95, seed: 3), epochs: 1);

        // 10 batches (the last of 5 samples): reports after batches 4, 8 and 10.
        Assert.Equal([4, 8, 10], reports.Select(r => r.Batch));
        Assert.All(reports, r => Assert.Equal(10, r.BatchCount));
        Assert.Equal([40, 80, 95], reports.Select(r => r.SamplesDone));
    }

    [Fact]
    public void ThreadsMustBePositive() =>
        Assert.Equal("Threads", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { Threads = 0 }).ParamName);

    [Fact]
    public void DisposedTrainerRefusesToTrain()
    {
        var trainer = new Trainer<double>(new DropoutNetDouble(), new Sgd<double>(0.1), batchSize: 8, seed: 1, new TrainerOptions { Threads = 2 });
        trainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => trainer.Fit(Data(16, seed: 4), 1));
    }

    private sealed class Collect(List<BatchReport> reports) : IProgress<BatchReport>
    {
        public void Report(BatchReport value) => reports.Add(value);
    }
}
