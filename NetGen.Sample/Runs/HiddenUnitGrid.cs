// The README's cross-validation example is the code between the "README.md" markers of this file, verbatim:
// HiddenUnitGridTests compares the two, so the README shows code that compiles and runs.
using NetGen;

namespace NetGen.Sample;

// README.md: begin
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)] [Dense(16, Activation.ReLU)] [Dense(10)] public partial class Digits16;
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)] [Dense(32, Activation.ReLU)] [Dense(10)] public partial class Digits32;
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)] [Dense(64, Activation.ReLU)] [Dense(10)] public partial class Digits64;
// README.md: end

/// <summary>
/// The notes' way of choosing the number of hidden units and of epochs: 10-fold cross-validation of each candidate
/// network on the training set, then the best one retrained on all of it, and the test set touched once.
/// </summary>
internal static class HiddenUnitGrid
{
    /// <summary>What the grid found.</summary>
    /// <param name="Candidates">Each candidate's name and cross-validation, in grid order.</param>
    /// <param name="Network">The chosen network, retrained on all of <c>train</c>.</param>
    /// <param name="Epochs">Its best epoch count by cross-validation.</param>
    /// <param name="TestAccuracy">The retrained network's accuracy on <c>test</c>.</param>
    internal sealed record Result(IReadOnlyList<(string Name, CrossValidationResult CrossValidation)> Candidates, INetwork<float> Network, int Epochs, double TestAccuracy);

    /// <summary>Runs the grid on <paramref name="train"/> and evaluates the winner on <paramref name="test"/>, printing one line per candidate and one for the winner.</summary>
    public static Result Run(Dataset<float> train, Dataset<float> test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);

        // README.md: begin
        var results = new List<(Func<int, INetwork<float>> Create, CrossValidationResult Cv)>();
        Func<int, INetwork<float>>[] grid = [seed => new Digits16(seed), seed => new Digits32(seed), seed => new Digits64(seed)];
        foreach (var create in grid)
        {
            var cv = CrossValidation.KFold(train, folds: 10, fold =>
            {
                using var trainer = new Trainer<float>(create(fold.Index), new Adam<float>(0.003), batchSize: 32, seed: fold.Index);
                return trainer.Fit(fold.Train, epochs: 30, validation: fold.Validation);
            });
            Console.WriteLine($"{create(0).Description.Name}: {cv.BestEpochCount} epochs, {cv.Best}");
            results.Add((create, cv));
        }

        // The lowest mean validation loss wins; retrain it on all the training data for its epoch count, then test once.
        var (best, bestCv) = results.MinBy(r => r.Cv.Best.MeanValidationLoss);
        var network = best(0);
        using (var trainer = new Trainer<float>(network, new Adam<float>(0.003), batchSize: 32, seed: 0))
        {
            trainer.Fit(train, epochs: bestCv.BestEpochCount);
        }

        double testAccuracy = Evaluation.Evaluate(network, test).Accuracy!.Value;
        Console.WriteLine($"{network.Description.Name}, {bestCv.BestEpochCount} epochs on all {train.Count} training images: test accuracy {testAccuracy:F4}");
        // README.md: end

        return new Result([.. results.Select(r => (r.Create(0).Description.Name, r.Cv))], network, bestCv.BestEpochCount, testAccuracy);
    }
}
