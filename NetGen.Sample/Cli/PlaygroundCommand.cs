using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NetGen.Sample.Runs;

namespace NetGen.Sample.Cli;

/// <summary>The <c>playground</c> command: a 2-D problem, a small network and its decision boundary over the epochs.</summary>
internal sealed class PlaygroundCommand
{
    /// <summary>Creates the command; <paramref name="run"/> receives the parsed settings.</summary>
    public PlaygroundCommand(Func<PlaygroundSettings, int> run)
    {
        Problem = new Option<string>("--problem", "-p") { Description = $"The 2-D problem: {string.Join(", ", PlaneProblems.Names)}.", DefaultValueFactory = _ => "spirals" };
        Problem.AcceptOnlyFromAmong(PlaneProblems.Names);
        Samples = new Option<int>("--samples") { Description = "Points to generate (half per class).", DefaultValueFactory = _ => 300 };
        Samples.Validators.Add(result => CheckInteger(result, minimum: 2, "at least 2, one point per class"));
        Noise = new Option<double>("--noise") { Description = "Standard deviation of the Gaussian noise added to each coordinate.", DefaultValueFactory = _ => 0.05 };
        Noise.Validators.Add(result => CheckDouble(result, allowZero: true, "a finite number that is not negative"));
        Epochs = new Option<int>("--epochs", "-e") { Description = "Passes over the points.", DefaultValueFactory = _ => 1000 };
        Epochs.Validators.Add(result => CheckInteger(result, minimum: 1, "positive"));
        Frames = new Option<int>("--frames") { Description = "Pictures of the decision boundary, evenly spaced over the epochs (plus one before training).", DefaultValueFactory = _ => 50 };
        Frames.Validators.Add(result => CheckInteger(result, minimum: 1, "positive"));
        LearningRate = new Option<double>("--learning-rate", "--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 0.03 };
        LearningRate.Validators.Add(result => CheckDouble(result, allowZero: false, "a positive number"));
        BatchSize = new Option<int>("--batch-size", "-b") { Description = "Points per minibatch.", DefaultValueFactory = _ => 10 };
        BatchSize.Validators.Add(result => CheckInteger(result, minimum: 1, "positive"));
        Seed = new Option<int>("--seed", "-s") { Description = "Seeds the points, the weights and the shuffling.", DefaultValueFactory = _ => 1 };
        Output = new Option<string>("--output") { Description = "Folder for the page (playground-<problem>.html).", DefaultValueFactory = _ => SampleCommandLine.DefaultOutput };

        Command = new Command("playground", "Train a 2-16-16-1 tanh network on a 2-D problem (xor, circles or spirals, generated from the seed) and write an HTML page animating its decision boundary over the epochs, with the points.");
        foreach (Option option in new Option[] { Problem, Samples, Noise, Epochs, Frames, LearningRate, BatchSize, Seed, Output })
        {
            Command.Options.Add(option);
        }

        Command.Validators.Add(result =>
        {
            int epochs = result.GetValue(Epochs), frames = result.GetValue(Frames);
            if (frames > epochs && epochs > 0)
            {
                result.AddError($"--frames ({frames}) must not exceed --epochs ({epochs}): there is at most one picture per epoch.");
            }
        });
        Command.SetAction(result => run(Bind(result)));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>--problem.</summary>
    public Option<string> Problem { get; }

    /// <summary>--samples.</summary>
    public Option<int> Samples { get; }

    /// <summary>--noise.</summary>
    public Option<double> Noise { get; }

    /// <summary>--epochs.</summary>
    public Option<int> Epochs { get; }

    /// <summary>--frames.</summary>
    public Option<int> Frames { get; }

    /// <summary>--learning-rate.</summary>
    public Option<double> LearningRate { get; }

    /// <summary>--batch-size.</summary>
    public Option<int> BatchSize { get; }

    /// <summary>--seed.</summary>
    public Option<int> Seed { get; }

    /// <summary>--output.</summary>
    public Option<string> Output { get; }

    /// <summary>The settings a parse result holds.</summary>
    public PlaygroundSettings Bind(ParseResult result) => new(
        result.GetValue(Problem) ?? "spirals", result.GetValue(Samples), result.GetValue(Noise), result.GetValue(Epochs), result.GetValue(Frames),
        result.GetValue(LearningRate), result.GetValue(BatchSize), result.GetValue(Seed), result.GetValue(Output) ?? SampleCommandLine.DefaultOutput);

    /// <summary>Reports an integer below <paramref name="minimum"/> (the parser reports values that are not integers).</summary>
    internal static void CheckInteger(OptionResult result, int minimum, string requirement)
    {
        if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value < minimum)
        {
            result.AddError($"{result.Option.Name} must be {requirement}, not {value}.");
        }
    }

    /// <summary>Reports a number that is not finite, negative, or zero when <paramref name="allowZero"/> is false.</summary>
    internal static void CheckDouble(OptionResult result, bool allowZero, string requirement)
    {
        if (result.Tokens.Count > 0 && double.TryParse(result.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && !(double.IsFinite(value) && (allowZero ? value >= 0 : value > 0)))
        {
            result.AddError($"{result.Option.Name} must be {requirement}, not {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
