using System.Diagnostics;

namespace NetGen.Sample.Runs;

/// <summary>What <c>ensemble</c> was asked to do.</summary>
/// <param name="Members">Networks to train, from seeds <paramref name="Seed"/>, <paramref name="Seed"/> + 1, ...</param>
/// <param name="Parallel">Members trained at once.</param>
/// <param name="Epochs">Epochs per member.</param>
/// <param name="Seed">The first member's seed.</param>
internal sealed record EnsembleSettings(int Members, int Parallel, int Epochs, int Seed);

/// <summary>
/// The notes' "several trials with different random initial weights with majority or voting": digits classifiers
/// trained from different seeds, in parallel where cores allow, each reported, and the ensemble by majority vote and
/// by mean probability.
/// </summary>
internal static class EnsembleRun
{
    /// <summary>Trains, evaluates on the test images and prints one line per member and two for the ensemble; returns the exit code.</summary>
    public static int Run(EnsembleSettings settings, TextWriter output)
    {
        var (train, test, _) = SampleData.LoadDigits();
        output.WriteLine($"ensemble of {settings.Members} digits classifiers (64-64-10 ReLU, Adam 0.003, batch 32, {settings.Epochs} epochs each) from seeds {settings.Seed} to {settings.Seed + settings.Members - 1}, {train.Count:N0} training and {test.Count:N0} test images");
        var stopwatch = Stopwatch.StartNew();
        var ensemble = Train(settings, train);
        output.WriteLine($"trained in {stopwatch.Elapsed.TotalSeconds:F1} s, {Math.Min(settings.Parallel, settings.Members)} member{(Math.Min(settings.Parallel, settings.Members) == 1 ? "" : "s")} at a time on {Environment.ProcessorCount} core{(Environment.ProcessorCount == 1 ? "" : "s")}");
        var evaluation = ensemble.Evaluate(test);
        for (int m = 0; m < evaluation.MemberAccuracies.Count; m++)
        {
            output.WriteLine($"  member {m} (seed {settings.Seed + m}): test accuracy {evaluation.MemberAccuracies[m]:F4}");
        }

        output.WriteLine($"  members' mean: {evaluation.MemberAccuracies.Average():F4}, best {evaluation.MemberAccuracies.Max():F4}");
        output.WriteLine($"majority vote: test accuracy {evaluation.VoteAccuracy:F4}");
        output.WriteLine($"mean probability: test accuracy {evaluation.MeanProbabilityAccuracy:F4}");
        return 0;
    }

    /// <summary>Trains the members: member i is a <see cref="DigitsNet"/> from seed <c>Seed + i</c>, trained with that seed.</summary>
    public static Ensemble<float> Train(EnsembleSettings settings, Dataset<float> train) =>
        Ensemble<float>.Train(settings.Members, seed =>
        {
            var network = new DigitsNet(seed);
            using var trainer = new Trainer<float>(network, new Adam<float>(0.003), batchSize: 32, seed: seed);
            trainer.Fit(train, settings.Epochs);
            return network;
        }, settings.Parallel, settings.Seed);
}
