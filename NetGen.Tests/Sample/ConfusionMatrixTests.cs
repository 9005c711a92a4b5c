using NetGen.Sample;
using NetGen.Sample.Reporting;

namespace NetGen.Tests.Sample;

public class ConfusionMatrixTests
{
    [Fact]
    public void Counts_recall_precision_and_accuracy_of_known_predictions()
    {
        // actual -> predicted: class 0 three times right, once as 2; class 1 twice right; class 2 once right, once as 1.
        var matrix = ConfusionMatrix.FromPredictions(3, [(0, 0), (0, 0), (0, 0), (0, 2), (1, 1), (1, 1), (2, 2), (2, 1)]);

        Assert.Equal(8, matrix.Total);
        Assert.Equal(6, matrix.Correct);
        Assert.Equal(0.75, matrix.Accuracy);
        Assert.Equal(3, matrix[0, 0]);
        Assert.Equal(1, matrix[0, 2]);
        Assert.Equal(1, matrix[2, 1]);
        Assert.Equal(0, matrix[1, 0]);
        Assert.Equal(0.75, matrix.Recall(0));
        Assert.Equal(1.0, matrix.Recall(1));
        Assert.Equal(0.5, matrix.Recall(2));
        Assert.Equal(2.0 / 3, matrix.Precision(1)!.Value, 12);
        Assert.Equal(0.5, matrix.Precision(2));
        Assert.Equal(4, matrix.ActualCount(0));
        Assert.Equal(3, matrix.PredictedCount(1));
    }

    [Fact]
    public void Classes_without_samples_have_no_recall()
    {
        var matrix = ConfusionMatrix.FromPredictions(3, [(0, 0), (1, 0)]);
        Assert.Null(matrix.Recall(2));
        Assert.Null(matrix.Precision(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(3, 0));
    }

    [Fact]
    public void Computed_from_a_network_it_agrees_with_the_evaluation()
    {
        var (train, test, _) = NetGen.Sample.Runs.SampleData.LoadDigits();
        var net = new DigitsNet(seed: 1);
        using (var trainer = new Trainer<float>(net, new Adam<float>(0.003), batchSize: 32, seed: 1))
        {
            trainer.Fit(train, epochs: 2);
        }

        var matrix = ConfusionMatrix.Compute(net, test);
        Assert.Equal(test.Count, matrix.Total);
        Assert.Equal(Evaluation.Evaluate(net, test).Accuracy!.Value, matrix.Accuracy, 12);
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(test.Labels.ToArray().Count(l => l == c), matrix.ActualCount(c));
        }
    }
}
