using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>Checkpoints: a run stopped (as by Ctrl+C) and resumed from its saved file ends with the uninterrupted run's bits.</summary>
public class ResumeTests
{
    private const int Epochs = 5;

    private static Dataset<double> Data(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = Enumerable.Range(0, count * 6).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => ((features[i * 6] > 0 ? 1 : 0) + (features[(i * 6) + 1] > 0 ? 2 : 0)) % 4).ToArray();
        return Dataset<double>.FromLabels(features, 6, labels, classCount: 4);
    }

    /// <summary>
    /// Everything that carries state from batch to batch: dropout (the random sequence), Adam's moments, a schedule
    /// with warm-up, norms, early stopping (its best parameters) and a stopping rule, 50 samples in batches of 7
    /// (8 batches per epoch, the last one short).
    /// </summary>
    private static Trainer<double> CreateTrainer(DropoutNetDouble network, IProgress<BatchReport>? batches = null, int threads = 1) =>
        new(network, new Adam<double>(0.01), batchSize: 7, seed: 3, new TrainerOptions
        {
            Schedule = LearningRateSchedule.Cosine(Epochs).WithWarmUp(1),
            EarlyStopping = new EarlyStopping(patience: 100),
            StoppingRules = [StoppingRule.NoImprovement(100, MonitoredLoss.Training)],
            BatchProgress = batches,
            Threads = threads,
        });

    private static (double[] Parameters, double[][] OptimizerState, TrainingHistory History) Uninterrupted()
    {
        var network = new DropoutNetDouble(seed: 1);
        using var trainer = CreateTrainer(network);
        var history = trainer.Fit(Data(50, 1), Epochs, validation: Data(20, 2));
        return (network.Parameters.ToArray(), [.. trainer.Optimizer.StateBuffers.Select(b => b.ToArray())], history);
    }

    /// <summary>Trains until <paramref name="stopAfterBatches"/> batches are done, cancels, and saves parameters and checkpoint.</summary>
    private static string Interrupted(int stopAfterBatches, string name)
    {
        var network = new DropoutNetDouble(seed: 1);
        using var cancel = new CancellationTokenSource();
        int batches = 0;
        using var trainer = CreateTrainer(network, new Progress(_ =>
        {
            if (++batches == stopAfterBatches)
            {
                cancel.Cancel();
            }
        }));
        Assert.Throws<TrainingCanceledException>(() => trainer.Fit(Data(50, 1), Epochs, validation: Data(20, 2), cancellationToken: cancel.Token));
        string path = Path.Combine(Path.GetTempPath(), $"netgen-resume-{name}-{Environment.ProcessId}.ngm");
        ModelFile.Save(network, path, trainer.CaptureCheckpoint());
        return path;
    }

    [Theory]
    [InlineData(19, 1)] // in epoch 3, after its third batch
    [InlineData(16, 1)] // after the last batch of epoch 2: epoch 3 is shuffled but has no batch yet
    [InlineData(1, 2)] // after the first batch, resumed on two threads
    public void Resumed_EndsBitIdenticalToTheUninterruptedRun(int stopAfterBatches, int resumeThreads)
    {
        var expected = Uninterrupted();
        string path = Interrupted(stopAfterBatches, $"{stopAfterBatches}");
        try
        {
            Assert.True(ModelFile.ReadInfo(path).HasTrainingCheckpoint);
            Assert.Equal(2, ModelFile.ReadInfo(path).Version);

            // A fresh process would do this: other initial weights, a new optimizer, the same settings.
            var network = new DropoutNetDouble(seed: 99);
            using var trainer = CreateTrainer(network, threads: resumeThreads);
            var checkpoint = ModelFile.LoadCheckpoint(network, path);
            Assert.NotNull(checkpoint);
            Assert.Equal(stopAfterBatches / 8 + 1, checkpoint.Epoch);
            Assert.Equal(stopAfterBatches, checkpoint.StepCount);
            Assert.Equal("Adam", checkpoint.OptimizerName);
            trainer.RestoreCheckpoint(checkpoint);
            var history = trainer.Fit(Data(50, 1), Epochs, validation: Data(20, 2));

            Assert.Equal(expected.Parameters, network.Parameters.ToArray());
            Assert.Equal(expected.OptimizerState, trainer.Optimizer.StateBuffers.Select(b => b.ToArray()));
            Assert.Equal(expected.History.BestEpoch, history.BestEpoch);
            Assert.Equal(Enumerable.Range(checkpoint.Epoch, Epochs - checkpoint.Epoch + 1), history.Epochs.Select(e => e.Epoch));

            // The interrupted epoch's loss includes the batches before the stop, so every resumed epoch reports what the uninterrupted run did.
            Assert.Equal(expected.History.Epochs.Skip(checkpoint.Epoch - 1).Select(e => (e.TrainingLoss, e.ValidationLoss, e.LearningRate)),
                history.Epochs.Select(e => (e.TrainingLoss, e.ValidationLoss, e.LearningRate)));
            Assert.Equal(expected.History.Last!.LayerGradientNorms, history.Last!.LayerGradientNorms);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFileWithoutCheckpoint_LoadsWithNone_AndMismatchesAreNamed()
    {
        string path = Interrupted(3, "mismatch");
        string plain = path + ".plain.ngm";
        try
        {
            var network = new DropoutNetDouble(seed: 1);
            ModelFile.Save(network, plain);
            Assert.Null(ModelFile.LoadCheckpoint(new DropoutNetDouble(seed: 2), plain));
            Assert.Equal(1, ModelFile.ReadInfo(plain).Version);
            Assert.False(ModelFile.ReadInfo(plain).HasTrainingCheckpoint);

            // A version-2 file still loads as plain parameters.
            ModelFile.Load(network, path);
            var checkpoint = ModelFile.LoadCheckpoint(network, path)!;

            var otherBatch = new Trainer<double>(network, new Adam<double>(0.01), batchSize: 8, seed: 3, new TrainerOptions { EarlyStopping = new EarlyStopping(100) });
            var batchError = Assert.Throws<ArgumentException>(() => otherBatch.RestoreCheckpoint(checkpoint));
            Assert.StartsWith("The checkpoint was taken with batch size 7 but this trainer's is 8", batchError.Message);

            var otherOptimizer = new Trainer<double>(network, new Sgd<double>(0.01), batchSize: 7, seed: 3);
            var optimizerError = Assert.Throws<ArgumentException>(() => otherOptimizer.RestoreCheckpoint(checkpoint));
            Assert.StartsWith("The checkpoint holds the state of a Adam optimizer but this trainer's is Sgd", optimizerError.Message);

            using var trainer = CreateTrainer(network);
            trainer.RestoreCheckpoint(checkpoint);
            var dataError = Assert.Throws<ArgumentException>(() => trainer.Fit(Data(49, 1), Epochs, validation: Data(20, 2)));
            Assert.StartsWith("The checkpoint was taken while training on 50 samples, but 'train' has 49", dataError.Message);

            Assert.Throws<InvalidOperationException>(() => new Trainer<double>(network, new Sgd<double>(0.1)).CaptureCheckpoint());
        }
        finally
        {
            File.Delete(path);
            File.Delete(plain);
        }
    }

    [Fact]
    public void ADamagedCheckpoint_IsReportedAsCorrupted()
    {
        string path = Interrupted(3, "damaged");
        try
        {
            // Change the state's layout version (its first int) and fix the file checksum, so only the state's reader can notice.
            byte[] file = File.ReadAllBytes(path);
            int stateStart = 96 + BitConverter.ToInt32(file, 48) + BitConverter.ToInt32(file, 52) + (BitConverter.ToInt32(file, 12) * sizeof(double)) + sizeof(int);
            Assert.Equal(1, BitConverter.ToInt32(file, stateStart));
            file[stateStart] = 9;
            System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, file.Length - 32), file.AsSpan(file.Length - 32));
            File.WriteAllBytes(path, file);

            var network = new DropoutNetDouble(seed: 1);
            var before = network.Parameters.ToArray();
            var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadCheckpoint(network, path));
            Assert.Equal(ModelFileError.Corrupted, error.Error);
            Assert.Contains("corrupted: the training state has layout version 9; this NetGen reads version 1.", error.Message);
            Assert.Equal(before, network.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Batch reports on the calling thread.</summary>
    private sealed class Progress(Action<BatchReport> report) : IProgress<BatchReport>
    {
        public void Report(BatchReport value) => report(value);
    }
}
