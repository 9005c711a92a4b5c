using NetGen.Tests.Runtime;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>k-fold splits, the per-epoch statistics over folds, and ensembles' votes.</summary>
public class CrossValidationTests
{
    [Fact]
    public void Folds_WithoutLabels_HaveSizesThatDifferByAtMostOne_AndCoverEverySampleOnce()
    {
        var folds = CrossValidation.Folds(10, 3, seed: 1);

        Assert.Equal([4, 3, 3], folds.Select(f => f.Length));
        Assert.Equal(Enumerable.Range(0, 10), folds.SelectMany(f => f).Order());
        Assert.All(folds, f => Assert.Equal(f.Order(), f));
        Assert.Equal(folds, CrossValidation.Folds(10, 3, seed: 1));
    }

    [Fact]
    public void Folds_WithLabels_AreStratified()
    {
        // Class 0 has 7 samples, dealt to folds 0, 1, 2, 0, 1, 2, 0: 3, 2, 2. Class 1's 5 continue at fold 1:
        // 1, 2, 0, 1, 2: 1, 2, 2. Every fold gets 4 samples.
        int[] labels = [0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0];
        var folds = CrossValidation.Folds(12, 3, seed: 5, labels);

        Assert.Equal([4, 4, 4], folds.Select(f => f.Length));
        Assert.Equal([3, 2, 2], folds.Select(f => f.Count(i => labels[i] == 0)));
        Assert.Equal([1, 2, 2], folds.Select(f => f.Count(i => labels[i] == 1)));
        Assert.Equal(Enumerable.Range(0, 12), folds.SelectMany(f => f).Order());
    }

    [Fact]
    public void Folds_CheckTheirArguments()
    {
        Assert.Equal("folds", Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Folds(10, 1, 0)).ParamName);
        var tooFew = Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Folds(3, 4, 0));
        Assert.StartsWith("3 samples cannot fill 4 folds; use at most 3 folds.", tooFew.Message);
        var labels = Assert.Throws<ArgumentException>(() => CrossValidation.Folds(4, 2, 0, [0, 1, 0]));
        Assert.StartsWith("'labels' has 3 values for 4 samples", labels.Message);
        Assert.Throws<ArgumentException>(() => CrossValidation.Folds(2, 2, 0, [0, -1]));
    }

    [Fact]
    public void KFold_TrainsOneNetworkPerFold_AndAveragesTheValidationLossPerEpoch()
    {
        // The noisy line of the trainer tests, 20 samples in 4 folds of 5, full-batch SGD from zero for 3 epochs.
        var x = Enumerable.Range(0, 20).Select(i => i / 10.0).ToArray();
        var y = x.Select((value, i) => 2 * value + 1 + (i % 2 == 0 ? 0.1 : -0.1) * (1 + i % 3)).ToArray();
        var data = new Dataset<double>(x, 1, y, 1);
        var sizes = new List<(int Index, int Train, int Validation)>();
        var result = CrossValidation.KFold(data, folds: 4, fold =>
        {
            sizes.Add((fold.Index, fold.Train.Count, fold.Validation.Count));
            var model = new LinearModel<double>(1, 1, Loss.SquaredError);
            model.Parameters.Clear();
            return new Trainer<double>(model, new Sgd<double>(0.5), batchSize: 15).Fit(fold.Train, epochs: 3, validation: fold.Validation);
        }, seed: 2);

        Assert.Equal([(0, 15, 5), (1, 15, 5), (2, 15, 5), (3, 15, 5)], sizes);
        Assert.Equal(4, result.Folds.Count);
        Assert.Equal([1, 2, 3], result.Epochs.Select(e => e.Epoch));
        for (int e = 0; e < 3; e++)
        {
            double[] losses = [.. result.Folds.Select(h => h.Epochs[e].ValidationLoss!.Value)];
            double mean = (losses[0] + losses[1] + losses[2] + losses[3]) / 4;
            double spread = Math.Sqrt(losses.Sum(l => (l - mean) * (l - mean)) / 3);
            Assert.Equal(mean, result.Epochs[e].MeanValidationLoss, 1e-15);
            Assert.Equal(spread, result.Epochs[e].ValidationLossStandardDeviation, 1e-15);
            Assert.Equal(4, result.Epochs[e].Folds);
            Assert.Null(result.Epochs[e].MeanValidationAccuracy);
        }

        // Full-batch training from zero improves every epoch at this rate, so the last epoch is best.
        Assert.Equal(3, result.BestEpochCount);
        Assert.EndsWith("best epoch count: 3", result.ToString());
    }

    [Fact]
    public void BestEpochCount_ComesFromEpochsEveryFoldReached()
    {
        // Fold 0 stopped after 2 epochs; epoch 3 has the lowest mean but only one fold, so epoch 2 (mean 0.3) wins.
        var result = new CrossValidationResult([History(0.5, 0.3), History(0.4, 0.3, 0.1)]);

        Assert.Equal([2, 2, 1], result.Epochs.Select(e => e.Folds));
        Assert.Equal([0.45, 0.3, 0.1], result.Epochs.Select(e => e.MeanValidationLoss));
        Assert.Equal(2, result.BestEpochCount);
        Assert.Equal(0, result.Best.ValidationLossStandardDeviation);
        Assert.Equal("epoch 2: validation loss 0.3000 ± 0.0000, accuracy 90.00% ± 0.00% (2 folds)", result.Best.ToString());
    }

    private static TrainingHistory History(params double[] validationLosses)
    {
        var history = new TrainingHistory();
        for (int e = 0; e < validationLosses.Length; e++)
        {
            history.Add(new EpochReport(e + 1, 3, 1, validationLosses[e], 0.9, TimeSpan.Zero));
        }

        return history;
    }

    [Fact]
    public void KFold_NeedsTheValidationLossOfEveryFold()
    {
        var data = new Dataset<double>([1, 2, 3, 4], 1, [1, 2, 3, 4], 1);
        var error = Assert.Throws<InvalidOperationException>(() => CrossValidation.KFold(data, 2, fold =>
            new Trainer<double>(new LinearModel<double>(1, 1, Loss.SquaredError), new Sgd<double>(0.1)).Fit(fold.Train, 1)));
        Assert.Equal("Fold 0's history has epochs without a validation loss; pass fold.Validation to Fit as its validation set.", error.Message);
    }

    /// <summary>A one-input softmax model whose output is the fixed probabilities (p, 1 - p): zero weights, biases ln p and ln(1 - p).</summary>
    private static LinearModel<double> Constant(double p)
    {
        var model = new LinearModel<double>(1, 2, Loss.SoftmaxCrossEntropy);
        model.Parameters.Clear();
        model.Parameters[2] = Math.Log(p);
        model.Parameters[3] = Math.Log(1 - p);
        return model;
    }

    [Fact]
    public void Ensemble_VoteAndMeanProbability_CanDisagree()
    {
        // Members say class 0 with 0.9, class 1 with 0.6, class 1 with 0.6: the vote is 2 to 1 for class 1, the mean
        // probabilities are (0.5667, 0.4333), so the mean says class 0.
        var ensemble = new Ensemble<double>([Constant(0.9), Constant(0.4), Constant(0.4)]);
        var mean = new double[2];

        Assert.Equal(1, ensemble.PredictVote([0.0]));
        Assert.Equal(0, ensemble.PredictMean([0.0], mean));
        Assert.Equal(1.7 / 3, mean[0], 1e-15);
        Assert.Equal(1.3 / 3, mean[1], 1e-15);

        // One sample of class 1: the members score 0, 1, 1; the vote is right and the mean is wrong.
        var evaluation = ensemble.Evaluate(Dataset<double>.FromLabels([0.0], 1, [1], 2));
        Assert.Equal([0.0, 1.0, 1.0], evaluation.MemberAccuracies);
        Assert.Equal(1.0, evaluation.VoteAccuracy);
        Assert.Equal(0.0, evaluation.MeanProbabilityAccuracy);
        Assert.EndsWith("majority vote: accuracy 1.0000" + Environment.NewLine + "mean probability: accuracy 0.0000", evaluation.ToString());
    }

    [Fact]
    public void Ensemble_Ties_GoToTheHigherMeanProbability()
    {
        // One vote each; the mean probability of class 0 is (0.9 + 0.3) / 2 = 0.6 in the first case and
        // (0.6 + 0.1) / 2 = 0.35 in the second.
        Assert.Equal(0, new Ensemble<double>([Constant(0.9), Constant(0.3)]).PredictVote([0.0]));
        Assert.Equal(1, new Ensemble<double>([Constant(0.6), Constant(0.1)]).PredictVote([0.0]));
    }

    [Fact]
    public void Ensemble_Train_GivesEachMemberItsSeed_InSeedOrder()
    {
        var seeds = new System.Collections.Concurrent.ConcurrentBag<int>();
        var ensemble = Ensemble<double>.Train(4, seed =>
        {
            seeds.Add(seed);
            return new LinearModel<double>(1, 2, Loss.SoftmaxCrossEntropy, seed: seed);
        }, maxParallelism: 2, firstSeed: 10);

        Assert.Equal([10, 11, 12, 13], seeds.Order());
        for (int m = 0; m < 4; m++)
        {
            Assert.Equal(new LinearModel<double>(1, 2, Loss.SoftmaxCrossEntropy, seed: 10 + m).Parameters.ToArray(), ensemble.Members[m].Parameters.ToArray());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Ensemble<double>.Train(0, _ => Constant(0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ensemble<double>.Train(2, _ => Constant(0.5), maxParallelism: 0));
        var shapes = Assert.Throws<ArgumentException>(() => new Ensemble<double>([Constant(0.5), new LinearModel<double>(2, 2, Loss.SoftmaxCrossEntropy)]));
        Assert.StartsWith("Member 1 takes 2 inputs and gives 2 outputs, but member 0 takes 1 and gives 2", shapes.Message);
    }
}
