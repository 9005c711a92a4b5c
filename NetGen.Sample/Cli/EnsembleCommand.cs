using System.CommandLine;
using NetGen.Sample.Runs;

namespace NetGen.Sample.Cli;

/// <summary>The <c>ensemble</c> command: digits classifiers from several seeds, and their majority vote.</summary>
internal sealed class EnsembleCommand
{
    /// <summary>Creates the command; <paramref name="run"/> receives the parsed settings.</summary>
    public EnsembleCommand(Func<EnsembleSettings, int> run)
    {
        Members = new Option<int>("--members", "-n") { Description = "Networks to train, each from its own seed.", DefaultValueFactory = _ => 5 };
        Members.Validators.Add(result => PlaygroundCommand.CheckInteger(result, minimum: 2, "at least 2 (one network is not an ensemble)"));
        Parallel = new Option<int>("--parallel") { Description = $"Members trained at once (this machine has {Environment.ProcessorCount} cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        Parallel.Validators.Add(result => PlaygroundCommand.CheckInteger(result, minimum: 1, "positive"));
        Epochs = new Option<int>("--epochs", "-e") { Description = "Epochs per member.", DefaultValueFactory = _ => 10 };
        Epochs.Validators.Add(result => PlaygroundCommand.CheckInteger(result, minimum: 1, "positive"));
        Seed = new Option<int>("--seed", "-s") { Description = "The first member's seed; member i uses seed + i.", DefaultValueFactory = _ => 1 };

        Command = new Command("ensemble", "Train several 64-64-10 digits classifiers from different seeds (in parallel where cores allow), print each one's test accuracy and the ensemble's, by majority vote and by mean probability.");
        foreach (Option option in new Option[] { Members, Parallel, Epochs, Seed })
        {
            Command.Options.Add(option);
        }

        Command.SetAction(result => run(new EnsembleSettings(result.GetValue(Members), result.GetValue(Parallel), result.GetValue(Epochs), result.GetValue(Seed))));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>--members.</summary>
    public Option<int> Members { get; }

    /// <summary>--parallel.</summary>
    public Option<int> Parallel { get; }

    /// <summary>--epochs.</summary>
    public Option<int> Epochs { get; }

    /// <summary>--seed.</summary>
    public Option<int> Seed { get; }
}
