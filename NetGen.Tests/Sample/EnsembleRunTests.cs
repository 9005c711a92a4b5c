using NetGen.Sample;
using NetGen.Sample.Cli;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Sample;

/// <summary>The sample's <c>ensemble</c> command: members from consecutive seeds, trained in parallel, voting.</summary>
public class EnsembleRunTests
{
    [Fact]
    public void Members_are_the_networks_each_seed_trains_alone_in_parallel_or_not_and_the_ensemble_votes_as_counted_by_hand()
    {
        var (allTrain, test, _) = SampleData.LoadDigits();
        var train = allTrain.Subset([.. Enumerable.Range(0, 300)]);
        var settings = new EnsembleSettings(Members: 3, Parallel: 2, Epochs: 2, Seed: 5);
        var parallel = EnsembleRun.Train(settings, train);
        var sequential = EnsembleRun.Train(settings with { Parallel = 1 }, train);

        var alone = new DigitsNet(seed: 6);
        using (var trainer = new Trainer<float>(alone, new Adam<float>(0.003), batchSize: 32, seed: 6))
        {
            trainer.Fit(train, epochs: 2);
        }

        Assert.Equal(3, parallel.Members.Count);
        Assert.Equal(alone.Parameters.ToArray(), parallel.Members[1].Parameters.ToArray());
        for (int m = 0; m < 3; m++)
        {
            Assert.Equal(sequential.Members[m].Parameters.ToArray(), parallel.Members[m].Parameters.ToArray());
        }

        Assert.NotEqual(parallel.Members[0].Parameters.ToArray(), parallel.Members[2].Parameters.ToArray());

        // The votes and the mean probabilities, counted here from each member's own predictions.
        int members = parallel.Members.Count, voteCorrect = 0, meanCorrect = 0;
        var memberCorrect = new int[members];
        var output = new float[10];
        for (int i = 0; i < test.Count; i++)
        {
            var votes = new int[10];
            var mean = new float[10];
            for (int m = 0; m < members; m++)
            {
                parallel.Members[m].Predict(test.Features(i), output);
                int predicted = Array.IndexOf(output, output.Max());
                votes[predicted]++;
                memberCorrect[m] += predicted == test.Label(i) ? 1 : 0;
                for (int c = 0; c < 10; c++)
                {
                    mean[c] += output[c] / members;
                }
            }

            int vote = Enumerable.Range(0, 10).OrderByDescending(c => votes[c]).ThenByDescending(c => mean[c]).First();
            voteCorrect += vote == test.Label(i) ? 1 : 0;
            meanCorrect += Array.IndexOf(mean, mean.Max()) == test.Label(i) ? 1 : 0;
        }

        var evaluation = parallel.Evaluate(test);
        Assert.Equal(memberCorrect.Select(c => (double)c / test.Count), evaluation.MemberAccuracies);
        Assert.Equal((double)voteCorrect / test.Count, evaluation.VoteAccuracy);
        Assert.Equal((double)meanCorrect / test.Count, evaluation.MeanProbabilityAccuracy);
    }

    [Fact]
    public void The_report_names_every_member_and_both_ensemble_accuracies()
    {
        var output = new StringWriter();
        Assert.Equal(0, EnsembleRun.Run(new EnsembleSettings(Members: 2, Parallel: 2, Epochs: 1, Seed: 3), output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ensemble of 2 digits classifiers (64-64-10 ReLU, Adam 0.003, batch 32, 1 epochs each) from seeds 3 to 4, 1,438 training and 359 test images", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^  member 0 \(seed 3\): test accuracy 0\.\d{4}$", lines[2]);
        Assert.Matches(@"^  member 1 \(seed 4\): test accuracy 0\.\d{4}$", lines[3]);
        Assert.Matches(@"^majority vote: test accuracy 0\.\d{4}$", lines[^2]);
        Assert.Matches(@"^mean probability: test accuracy 0\.\d{4}$", lines[^1]);
    }

    [Fact]
    public void The_command_checks_its_options()
    {
        EnsembleSettings? received = null;
        var cli = new SampleCommandLine(ensemble: settings => { received = settings; return 0; });
        Assert.Equal(0, cli.Invoke(["ensemble", "--members", "4", "--parallel", "1", "--epochs", "3", "--seed", "7"]));
        Assert.Equal(new EnsembleSettings(4, 1, 3, 7), received);
        Assert.Equal(0, cli.Invoke(["ensemble"]));
        Assert.Equal(new EnsembleSettings(5, Environment.ProcessorCount, 10, 1), received);
        Assert.Equal(["--members must be at least 2 (one network is not an ensemble), not 1."], cli.Root.Parse("ensemble --members 1").Errors.Select(e => e.Message));
        Assert.Equal(["--parallel must be positive, not 0."], cli.Root.Parse("ensemble --parallel 0").Errors.Select(e => e.Message));
        Assert.Equal(["--epochs must be positive, not -2."], cli.Root.Parse("ensemble --epochs -2").Errors.Select(e => e.Message));
    }
}
