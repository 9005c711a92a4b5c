using Xunit;

namespace NetGen.Tests.Runtime;

/// <summary>Learning-rate schedules, gradient clipping and early stopping in the <see cref="Trainer{T}"/>.</summary>
public class TrainerOptionsTests
{
    /// <summary>The data of <see cref="TrainerTests"/>: y = 2x + 1 plus a fixed "noise" pattern at x = 0, 0.1, ..., 1.9.</summary>
    private static Dataset<double> NoisyLine()
    {
        var x = Enumerable.Range(0, 20).Select(i => i / 10.0).ToArray();
        var y = x.Select((value, i) => 2 * value + 1 + (i % 2 == 0 ? 0.1 : -0.1) * (1 + i % 3)).ToArray();
        return new Dataset<double>(x, 1, y, 1);
    }

    /// <summary>A line model starting from w = b = 0, so python3 can replay full-batch training exactly.</summary>
    private static LinearModel<double> ZeroLine()
    {
        var model = new LinearModel<double>(1, 1, Loss.SquaredError);
        model.Parameters.Clear();
        return model;
    }

    [Fact]
    public void Schedule_SetsTheRateBeforeEachEpoch_AndTheReportsShowIt()
    {
        var optimizer = new Sgd<double>(0.2);
        var trainer = new Trainer<double>(ZeroLine(), optimizer, batchSize: 20, options: new TrainerOptions { Schedule = LearningRateSchedule.Exponential(0.5) });
        var history = trainer.Fit(NoisyLine(), epochs: 3);

        Assert.Equal(0.2, trainer.BaseLearningRate);
        Assert.Equal([0.2, 0.1, 0.05], history.Epochs.Select(e => e.LearningRate!.Value));
        Assert.Equal(0.05, optimizer.LearningRate);
        Assert.Contains(", lr 0.05, ", history.Last!.ToString());

        // Every Fit call starts the schedule again from the base rate.
        Assert.Equal(0.2, trainer.Fit(NoisyLine(), epochs: 1).Last!.LearningRate);
    }

    [Fact]
    public void Schedule_RateIsWhatTheOptimizerUses()
    {
        // A rate of 0 from the second epoch on: three epochs end where one epoch ends.
        var oneEpoch = ZeroLine();
        new Trainer<double>(oneEpoch, new Sgd<double>(0.5), batchSize: 20).Fit(NoisyLine(), epochs: 1);

        var threeEpochs = ZeroLine();
        var options = new TrainerOptions { Schedule = LearningRateSchedule.Step(stepEpochs: 1, factor: 0) };
        new Trainer<double>(threeEpochs, new Sgd<double>(0.5), batchSize: 20, options: options).Fit(NoisyLine(), epochs: 3);

        Assert.Equal(oneEpoch.Parameters.ToArray(), threeEpochs.Parameters.ToArray());
    }

    [Fact]
    public void WithoutASchedule_ReportsTheOptimizersRate()
    {
        var history = new Trainer<double>(ZeroLine(), new Sgd<double>(0.3), batchSize: 20).Fit(NoisyLine(), epochs: 2);
        Assert.All(history.Epochs, e => Assert.Equal(0.3, e.LearningRate));
        Assert.Null(history.BestEpoch);
        Assert.False(history.StoppedEarly);
    }

    [Fact]
    public void MaxGradientNorm_ClipsTheMeanGradientBeforeTheStep()
    {
        // From w = b = 0 the mean gradient is (-3.401, -2.895), norm 4.466298915209325; clipped to 0.5 and stepped with
        // lr 1 it gives w = 3.401 / (norm / 0.5), b = 2.895 / (norm / 0.5) (python3).
        var model = ZeroLine();
        var options = new TrainerOptions { MaxGradientNorm = 0.5 };
        new Trainer<double>(model, new Sgd<double>(1.0), batchSize: 20, options: options).Fit(NoisyLine(), epochs: 1);

        Assert.Equal(0.38074030249278584, model.Parameters[0], 1e-14);
        Assert.Equal(0.3240938476085314, model.Parameters[1], 1e-14);
    }

    /// <summary>
    /// Full-batch SGD from w = b = 0 at lr 0.5 for 5 epochs, then 6 times that (3.0, above 2 / λmax of the loss's
    /// Hessian, about 0.96), which makes training oscillate and the validation loss grow after a while. Replayed
    /// with python3 in plain double arithmetic, the mean loss after epochs 8 to 12 is 0.022116418212027, 0.021981834911920,
    /// 0.021945921796623, 0.021946301274165, 0.022220996800893; after epoch 10, w = 1.9481234785231667 and
    /// b = 1.044996329102886.
    /// </summary>
    private sealed class TooHighLater : LearningRateSchedule
    {
        protected override double Compute(double baseLearningRate, int epoch) => epoch < 5 ? baseLearningRate : 6 * baseLearningRate;
    }

    private static (TrainingHistory History, LinearModel<double> Model, List<double[]> Snapshots) TrainWithEarlyStopping(EarlyStopping earlyStopping, int epochs)
    {
        var model = ZeroLine();
        var snapshots = new List<double[]>();
        var options = new TrainerOptions { Schedule = new TooHighLater(), EarlyStopping = earlyStopping };
        var trainer = new Trainer<double>(model, new Sgd<double>(0.5), batchSize: 20, seed: 1, options: options);
        var history = trainer.Fit(NoisyLine(), epochs, validation: NoisyLine(), progress: new SynchronousProgress(_ => snapshots.Add(model.Parameters.ToArray())));
        return (history, model, snapshots);
    }

    [Fact]
    public void EarlyStopping_StopsAfterPatience_AndRestoresTheBestEpoch()
    {
        var (history, model, snapshots) = TrainWithEarlyStopping(new EarlyStopping(patience: 2), epochs: 30);

        Assert.True(history.StoppedEarly);
        Assert.Equal(10, history.BestEpoch);
        Assert.Equal(12, history.Epochs.Count);
        Assert.Equal(12, snapshots.Count);
        Assert.Equal(0.021945921796623108, history.Epochs[9].ValidationLoss!.Value, 1e-13);
        Assert.Equal(history.Epochs.Min(e => e.ValidationLoss), history.Epochs[9].ValidationLoss);

        // Exactly the parameters the network had at the end of epoch 10, not those of the last epoch.
        Assert.Equal(snapshots[9], model.Parameters.ToArray());
        Assert.NotEqual(snapshots[11], model.Parameters.ToArray());
        Assert.Equal(1.9481234785231667, model.Parameters[0], 1e-12);
        Assert.Equal(1.044996329102886, model.Parameters[1], 1e-12);
    }

    [Fact]
    public void EarlyStopping_MinDelta_IgnoresSmallImprovements()
    {
        // Epoch 9 improves on epoch 8 by 1.3e-4, epoch 10 on epoch 9 by only 3.6e-5: with minDelta 1e-4 the best
        // epoch is 9, and epochs 10 and 11 use up the patience.
        var (history, model, snapshots) = TrainWithEarlyStopping(new EarlyStopping(patience: 2, minDelta: 1e-4), epochs: 30);

        Assert.True(history.StoppedEarly);
        Assert.Equal(9, history.BestEpoch);
        Assert.Equal(11, history.Epochs.Count);
        Assert.Equal(snapshots[8], model.Parameters.ToArray());
    }

    [Fact]
    public void EarlyStopping_WithoutStopping_StillEndsWithTheBestEpoch()
    {
        var (history, model, snapshots) = TrainWithEarlyStopping(new EarlyStopping(patience: 5), epochs: 12);

        Assert.False(history.StoppedEarly);
        Assert.Equal(12, history.Epochs.Count);
        Assert.Equal(10, history.BestEpoch);
        Assert.Equal(snapshots[9], model.Parameters.ToArray());
    }

    [Fact]
    public void EarlyStopping_NeedsValidationData_AndValidSettings()
    {
        var trainer = new Trainer<double>(ZeroLine(), new Sgd<double>(0.1), options: new TrainerOptions { EarlyStopping = new EarlyStopping(3) });
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(NoisyLine(), epochs: 2));
        Assert.Equal("validation", error.ParamName);

        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(0)).ParamName);
        Assert.Equal("minDelta", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(1, -0.1)).ParamName);
    }

    [Fact]
    public void TrainingStepsWithAllOptions_DoNotAllocate()
    {
        var data = NoisyLine();
        var model = new LinearModel<double>(1, 1, Loss.SquaredError);
        var options = new TrainerOptions
        {
            Schedule = LearningRateSchedule.Cosine(10).WithWarmUp(2),
            MaxGradientNorm = 0.1,
            EarlyStopping = new EarlyStopping(patience: 1000),
        };
        var trainer = new Trainer<double>(model, new RMSProp<double>(), batchSize: 1, seed: 1, options: options);
        trainer.Fit(data, epochs: 1, validation: data);

        // As in TrainerTests: 20 more epochs of 20 steps may allocate their reports, nothing per step.
        long before = GC.GetAllocatedBytesForCurrentThread();
        trainer.Fit(data, epochs: 1, validation: data);
        long oneEpoch = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        trainer.Fit(data, epochs: 21, validation: data);
        long manyEpochs = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(manyEpochs - oneEpoch < 20 * 200, $"one epoch: {oneEpoch} bytes, 21 epochs: {manyEpochs} bytes");
    }

    /// <summary>
    /// Trains the <see cref="TooHighLater"/> run with stopping rules. The run is full-batch on the same data it
    /// validates on, so epoch k's training loss (measured before its update) is epoch k-1's validation loss: by the
    /// python3 replay above, 0.02211641821202719 in epoch 9, 0.021981834911919886 in epoch 10, 0.021945921796623108
    /// (the lowest) in epoch 11, then 0.021946301274165372 and 0.022220996800892616.
    /// </summary>
    private static (TrainingHistory History, LinearModel<double> Model, List<double[]> Snapshots) TrainWithRules(params StoppingRule[] rules)
    {
        var model = ZeroLine();
        var snapshots = new List<double[]>();
        var options = new TrainerOptions { Schedule = new TooHighLater(), StoppingRules = rules };
        var trainer = new Trainer<double>(model, new Sgd<double>(0.5), batchSize: 20, seed: 1, options: options);
        var history = trainer.Fit(NoisyLine(), epochs: 30, validation: NoisyLine(), progress: new SynchronousProgress(_ => snapshots.Add(model.Parameters.ToArray())));
        return (history, model, snapshots);
    }

    [Fact]
    public void LossBelow_StopsAfterTheFirstEpochUnderTheThreshold_AndSaysWhy()
    {
        var rule = StoppingRule.LossBelow(0.022);
        var (history, model, snapshots) = TrainWithRules(rule);

        Assert.Equal(10, history.Epochs.Count);
        Assert.True(history.StoppedEarly);
        Assert.Same(rule, history.StoppedBy);
        Assert.Equal("the training loss 0.0219818 fell below the threshold 0.022 in epoch 10", history.StopReason);
        Assert.Equal(0.021981834911919886, history.Last!.TrainingLoss, 1e-13);

        // A stopping rule only stops: the network keeps the last epoch's parameters.
        Assert.Equal(snapshots[^1], model.Parameters.ToArray());
        Assert.Null(history.BestEpoch);
    }

    [Fact]
    public void NoImprovement_OnTheValidationLoss_StopsWithoutRestoring()
    {
        var (history, model, snapshots) = TrainWithRules(StoppingRule.NoImprovement(patience: 2));

        Assert.Equal(12, history.Epochs.Count);
        Assert.Equal("the validation loss has not improved on 0.0219459 (epoch 10) for 2 epochs", history.StopReason);
        Assert.Equal(snapshots[11], model.Parameters.ToArray());
    }

    [Fact]
    public void Rules_Combine_TheFirstThatHoldsStopsTraining()
    {
        // 0.0219 is below every training loss, so only the second rule can stop: training losses improve up to
        // epoch 11 and not in epochs 12 and 13.
        var never = StoppingRule.LossBelow(0.0219);
        var noImprovement = StoppingRule.NoImprovement(patience: 2, MonitoredLoss.Training);
        var (history, _, _) = TrainWithRules(never, noImprovement);

        Assert.Equal(13, history.Epochs.Count);
        Assert.Same(noImprovement, history.StoppedBy);
        Assert.Equal("the training loss has not improved on 0.0219459 (epoch 11) for 2 epochs", history.StopReason);

        // With a threshold both rules can reach, the one that holds first (epoch 10) stops.
        var (earlier, _, _) = TrainWithRules(noImprovement, StoppingRule.LossBelow(0.022));
        Assert.Equal(10, earlier.Epochs.Count);
        Assert.Equal(StoppingRuleKind.LossBelow, earlier.StoppedBy!.Kind);
    }

    [Fact]
    public void EarlyStopping_RecordsItsReason()
    {
        var (history, _, _) = TrainWithEarlyStopping(new EarlyStopping(patience: 2), epochs: 30);

        Assert.Equal("early stopping: the validation loss has not improved on 0.0219459 (epoch 10) for 2 epochs", history.StopReason);
        Assert.Null(history.StoppedBy);
    }

    [Fact]
    public void ARuleThatHoldsInTheLastEpoch_IsNotAnEarlyStop()
    {
        var model = ZeroLine();
        var options = new TrainerOptions { StoppingRules = [StoppingRule.LossBelow(100)] };
        var history = new Trainer<double>(model, new Sgd<double>(0.5), batchSize: 20, options: options).Fit(NoisyLine(), epochs: 1);

        Assert.False(history.StoppedEarly);
        Assert.Null(history.StopReason);
        Assert.Null(history.StoppedBy);
    }

    [Fact]
    public void StoppingRules_CheckTheirArguments()
    {
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => StoppingRule.NoImprovement(0)).ParamName);
        Assert.Equal("minDelta", Assert.Throws<ArgumentOutOfRangeException>(() => StoppingRule.NoImprovement(1, minDelta: -1)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => StoppingRule.LossBelow(double.NaN)).ParamName);
        Assert.Equal("monitor", Assert.Throws<ArgumentOutOfRangeException>(() => StoppingRule.LossBelow(1, (MonitoredLoss)7)).ParamName);
        var nullEntry = Assert.Throws<ArgumentException>(() => new TrainerOptions { StoppingRules = [StoppingRule.LossBelow(1), null!] });
        Assert.StartsWith("'StoppingRules' has null at position 1", nullEntry.Message);

        var trainer = new Trainer<double>(ZeroLine(), new Sgd<double>(0.5), options: new TrainerOptions { StoppingRules = [StoppingRule.NoImprovement(3)] });
        var noValidation = Assert.Throws<ArgumentException>(() => trainer.Fit(NoisyLine(), epochs: 1));
        Assert.Equal("validation", noValidation.ParamName);
        Assert.StartsWith("The stopping rule 'no improvement of the validation loss for 3 epochs' monitors the validation loss", noValidation.Message);
        Assert.Equal("training loss below 0.5", StoppingRule.LossBelow(0.5).ToString());
    }

    [Fact]
    public void LayerNorms_AreTheWeightGradientAndWeightNorms_PerEpoch()
    {
        // Full batch from w = b = 0 at lr 0.5 (python3): the mean gradient of w is -3.401, so w = 1.7005; in epoch 2
        // it is -0.07424249999999996 and w = 1.66337875.
        var model = ZeroLine();
        var history = new Trainer<double>(model, new Sgd<double>(0.5), batchSize: 20).Fit(NoisyLine(), epochs: 2);

        var first = Assert.Single(history.Epochs[0].LayerGradientNorms);
        Assert.Equal(1, first.Layer);
        Assert.Equal("W1", first.Name);
        Assert.Equal(3.401, first.GradientNorm, 1e-12);
        Assert.Equal(1.7005, first.WeightNorm, 1e-12);
        var second = Assert.Single(history.Epochs[1].LayerGradientNorms);
        Assert.Equal(0.07424249999999996, second.GradientNorm, 1e-12);
        Assert.Equal(1.66337875, second.WeightNorm, 1e-12);
        Assert.Equal("W1: gradient 0.07424, weights 1.663", second.ToString());
    }

    [Fact]
    public void LayerNorms_PerBatch_AverageToTheEpochsNorm_AndOffMeasuresNothing()
    {
        var batches = new List<BatchReport>();
        var options = new TrainerOptions { NormTracking = NormTracking.PerBatch, BatchProgress = new Progress(batches.Add) };
        var history = new Trainer<double>(ZeroLine(), new Sgd<double>(0.1), batchSize: 3, seed: 4, options: options).Fit(NoisyLine(), epochs: 1);

        Assert.Equal(7, batches.Count);
        Assert.All(batches, b => Assert.Single(b.LayerGradientNorms));
        double mean = batches.Sum(b => b.LayerGradientNorms[0].GradientNorm) / 7;
        Assert.Equal(mean, history.Last!.LayerGradientNorms[0].GradientNorm, 1e-15);
        Assert.Equal(batches[^1].LayerGradientNorms[0].WeightNorm, history.Last.LayerGradientNorms[0].WeightNorm);

        var off = new Trainer<double>(ZeroLine(), new Sgd<double>(0.1), options: new TrainerOptions { NormTracking = NormTracking.Off }).Fit(NoisyLine(), epochs: 1);
        Assert.Empty(off.Last!.LayerGradientNorms);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { NormTracking = (NormTracking)3 });
    }

    /// <summary>Batch reports on the calling thread.</summary>
    private sealed class Progress(Action<BatchReport> report) : IProgress<BatchReport>
    {
        public void Report(BatchReport value) => report(value);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
