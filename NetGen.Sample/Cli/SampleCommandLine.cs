using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NetGen.Sample.Runs;

namespace NetGen.Sample.Cli;

/// <summary>The options of one training command, created with that command's defaults.</summary>
internal sealed class TrainingOptions
{
    /// <summary>The options whose values a resumed run takes from its checkpoint's settings.</summary>
    private readonly Option[] _savedWithCheckpoint;

    /// <summary>Creates the options; <paramref name="resumable"/> adds <c>--resume</c>.</summary>
    public TrainingOptions(CommandDefaults defaults, bool resumable = false)
    {
        Defaults = defaults;
        Epochs = new Option<int>("--epochs", "-e") { Description = "Passes over the training set.", DefaultValueFactory = _ => defaults.Epochs };
        Epochs.Validators.Add(Positive);
        BatchSize = new Option<int>("--batch-size", "-b") { Description = "Samples per minibatch.", DefaultValueFactory = _ => defaults.BatchSize };
        BatchSize.Validators.Add(Positive);
        Threads = new Option<int>("--threads", "-t") { Description = $"Threads computing each minibatch's gradient (this machine has {Environment.ProcessorCount} cores).", DefaultValueFactory = _ => defaults.Threads };
        Threads.Validators.Add(Positive);
        Optimizer = new Option<string>("--optimizer") { Description = $"The optimizer: {string.Join(", ", TrainSettings.Optimizers)}.", DefaultValueFactory = _ => defaults.Optimizer };
        Optimizer.Validators.Add(result =>
        {
            string? value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (value is not null && !TrainSettings.Optimizers.Contains(value.ToLowerInvariant()))
            {
                result.AddError($"Unknown optimizer '{value}' for --optimizer: use one of {string.Join(", ", TrainSettings.Optimizers)}.");
            }
        });
        LearningRate = new Option<double?>("--learning-rate", "--lr")
        {
            Description = $"The learning rate [default: {defaults.LearningRate.ToString(CultureInfo.InvariantCulture)} for {defaults.Optimizer}; otherwise sgd 0.1, momentum 0.05, adagrad 0.01, others 0.001].",
        };
        LearningRate.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && double.TryParse(result.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && !(rate > 0 && double.IsFinite(rate)))
            {
                result.AddError($"--learning-rate must be a positive number, not {rate.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        Seed = new Option<int>("--seed", "-s") { Description = "Seeds the weights, the shuffling and dropout.", DefaultValueFactory = _ => defaults.Seed };
        Output = new Option<string>("--output") { Description = "Folder for the model, the plot and the report.", DefaultValueFactory = _ => SampleCommandLine.DefaultOutput };
        _savedWithCheckpoint = [Epochs, BatchSize, Optimizer, LearningRate, Seed];
        if (resumable)
        {
            Resume = new Option<string?>("--resume")
            {
                Description = "Continue the run that Ctrl+C stopped from its checkpoint (<output>/<command>-checkpoint.ngm), with the settings saved beside it; ends with the same weights as a run never stopped. --threads and --output may differ.",
            };
            Resume.Validators.Add(result =>
            {
                string? path = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
                if (path is not null && !File.Exists(path))
                {
                    result.AddError($"--resume: the checkpoint '{path}' does not exist (Ctrl+C saves <output>/<command>-checkpoint.ngm).");
                }
            });
        }
    }

    /// <summary>--resume; null for commands that cannot resume.</summary>
    public Option<string?>? Resume { get; }

    /// <summary>The command's defaults.</summary>
    public CommandDefaults Defaults { get; }

    /// <summary>--epochs.</summary>
    public Option<int> Epochs { get; }

    /// <summary>--batch-size.</summary>
    public Option<int> BatchSize { get; }

    /// <summary>--threads.</summary>
    public Option<int> Threads { get; }

    /// <summary>--optimizer.</summary>
    public Option<string> Optimizer { get; }

    /// <summary>--learning-rate.</summary>
    public Option<double?> LearningRate { get; }

    /// <summary>--seed.</summary>
    public Option<int> Seed { get; }

    /// <summary>--output.</summary>
    public Option<string> Output { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Epochs, BatchSize, Threads, Optimizer, LearningRate, Seed, Output })
        {
            command.Options.Add(option);
        }

        if (Resume is not null)
        {
            command.Options.Add(Resume);

            // A resumed run must train with its own settings to end where the uninterrupted run would.
            command.Validators.Add(result =>
            {
                if (result.GetResult(Resume) is { Implicit: false })
                {
                    var given = _savedWithCheckpoint.Where(option => result.GetResult(option) is { Implicit: false }).Select(option => option.Name).ToList();
                    if (given.Count > 0)
                    {
                        result.AddError($"--resume continues with the settings saved beside the checkpoint, so {string.Join(", ", given)} cannot be given with it (only --threads and --output can change).");
                    }
                }
            });
        }
    }

    /// <summary>The settings a parse result holds.</summary>
    public TrainSettings Bind(ParseResult result)
    {
        string optimizer = (result.GetValue(Optimizer) ?? Defaults.Optimizer).ToLowerInvariant();
        double learningRate = result.GetValue(LearningRate)
            ?? (optimizer == Defaults.Optimizer ? Defaults.LearningRate : TrainSettings.DefaultLearningRate(optimizer));
        return new TrainSettings(result.GetValue(Epochs), result.GetValue(BatchSize), result.GetValue(Threads), optimizer, learningRate,
            result.GetValue(Seed), result.GetValue(Output) ?? SampleCommandLine.DefaultOutput, Resume is null ? null : result.GetValue(Resume));
    }

    private static void Positive(OptionResult result)
    {
        // Only values that parse as integers: the parser reports the others itself.
        if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value <= 0)
        {
            result.AddError($"{result.Option.Name} must be positive, not {value}.");
        }
    }
}

/// <summary>What <c>predict</c> was asked to do.</summary>
internal sealed record PredictRequest(string? File, string? Model, string Input, string OutputFolder, string DataFolder);

/// <summary>
/// The sample's command line: no arguments runs XOR then digits (the quick tour); <c>xor</c>, <c>digits</c>,
/// <c>fashion</c> train one network with options; <c>predict</c> classifies with a saved model.
/// </summary>
internal sealed class SampleCommandLine
{
    /// <summary>The default output folder, relative to the working directory.</summary>
    public const string DefaultOutput = "netgen-output";

    /// <summary>Creates the commands; the actions default to the real runs, tests pass their own.</summary>
    /// <param name="runDefault">Runs the tour (no arguments).</param>
    /// <param name="train">Runs a training command: its name, its settings and the data folder (fashion only).</param>
    /// <param name="predict">Runs <c>predict</c>.</param>
    /// <param name="graph">Runs <c>graph</c> for a network name.</param>
    /// <param name="playground">Runs <c>playground</c>.</param>
    /// <param name="grid">Runs <c>grid</c>.</param>
    /// <param name="vanishingGradients">Runs <c>vanishing</c>.</param>
    /// <param name="ensemble">Runs <c>ensemble</c>.</param>
    public SampleCommandLine(Func<int>? runDefault = null, Func<string, TrainSettings, string?, int>? train = null, Func<PredictRequest, int>? predict = null, Func<string, int>? graph = null,
        Func<PlaygroundSettings, int>? playground = null, Func<int>? grid = null, Func<TrainSettings, int>? vanishingGradients = null, Func<EnsembleSettings, int>? ensemble = null)
    {
        graph ??= SampleActions.Graph;
        runDefault ??= SampleActions.RunDefault;
        train ??= SampleActions.Train;
        predict ??= SampleActions.Predict;

        Xor = new TrainingOptions(new CommandDefaults(5000, 1, 1, "sgd", 0.5, Examples.XorSeed));
        Digits = new TrainingOptions(new CommandDefaults(30, 32, 1, "adam", 0.003, 42), resumable: true);
        Fashion = new TrainingOptions(new CommandDefaults(20, 128, Environment.ProcessorCount, "adam", 0.001, 42), resumable: true);
        Distributed = new TrainingOptions(new CommandDefaults(10, 64, 1, "adam", 0.003, 42));
        Residual = new TrainingOptions(new CommandDefaults(10, 32, 1, "adam", 0.001, 42), resumable: true);
        TwoInputs = new TrainingOptions(new CommandDefaults(20, 32, 1, "adam", 0.003, 42), resumable: true);
        Vanishing = new TrainingOptions(new CommandDefaults(30, 32, 1, "sgd", 0.1, 42));

        Root = new RootCommand(
            "NetGen sample: neural networks compiled to C# at build time, trained at run time. Without a command, trains XOR and the digits classifier (a few seconds).");
        Root.SetAction(_ => runDefault());

        var xor = new Command("xor", "Train the lecture notes' 2-2-1 XOR network (per-sample SGD, learning rate 0.5) and print its four predictions.");
        Xor.AddTo(xor);
        xor.SetAction(result => train("xor", Xor.Bind(result), null));

        var digits = new Command("digits", "Train a 64-64-10 classifier on the embedded UCI handwritten digits (1,797 images of 8x8) and print its held-out accuracy.");
        Digits.AddTo(digits);
        digits.SetAction(result => train("digits", Digits.Bind(result), null));

        var fashion = new Command("fashion", "Train a 784-256-128-10 MLP on Fashion-MNIST (60,000 training images, all cores) and print its accuracy on the 10,000 test images.");
        Fashion.AddTo(fashion);
        FashionData = new Option<string>("--data") { Description = "The folder with the four Fashion-MNIST .gz files.", DefaultValueFactory = _ => SampleData.FashionFolder };
        fashion.Options.Add(FashionData);
        fashion.SetAction(result => train("fashion", Fashion.Bind(result), result.GetValue(FashionData)));

        var predictCommand = new Command("predict", "Classify one input with a model saved by a previous run, and print the class and the probabilities.");
        PredictFile = new Option<string?>("--file", "-f") { Description = "The model file [default: <output>/<model>.ngm]." };
        PredictModel = new Option<string?>("--model", "-m") { Description = "The network: xor, digits or fashion [default: the network name stored in the file, or digits without --file]." };
        PredictModel.AcceptOnlyFromAmong([.. PredictRun.NetworkNames.Keys]);
        PredictInput = new Option<string>("--input", "-i")
        {
            Description = "An index into the test set (digits: the held-out split; fashion: t10k), or the features as a comma-separated line in the data's units (digits 0-16, fashion pixels 0-255, xor e.g. 1,0).",
            DefaultValueFactory = _ => "0",
        };
        PredictOutput = new Option<string>("--output") { Description = "The folder the training run wrote to.", DefaultValueFactory = _ => DefaultOutput };
        PredictData = new Option<string>("--data") { Description = "The Fashion-MNIST folder (for test-set indices).", DefaultValueFactory = _ => SampleData.FashionFolder };
        foreach (Option option in new Option[] { PredictFile, PredictModel, PredictInput, PredictOutput, PredictData })
        {
            predictCommand.Options.Add(option);
        }

        predictCommand.SetAction(result => predict(new PredictRequest(result.GetValue(PredictFile), result.GetValue(PredictModel),
            result.GetValue(PredictInput) ?? "0", result.GetValue(PredictOutput) ?? DefaultOutput, result.GetValue(PredictData) ?? SampleData.FashionFolder)));

        var graphCommand = new Command("graph", "Print a network's layers and its computation graph in Graphviz DOT, as the generator derived it: the forward pass and every backward step with its derivative (render with: dot -Tsvg).");
        GraphNetwork = new Argument<string>("network") { Description = "xor, digits, fashion, residual or two-inputs.", DefaultValueFactory = _ => "xor" };
        GraphNetwork.AcceptOnlyFromAmong([.. PredictRun.NetworkNames.Keys, "residual", "two-inputs"]);
        graphCommand.Arguments.Add(GraphNetwork);
        graphCommand.SetAction(result => graph(result.GetValue(GraphNetwork) ?? "xor"));

        Root.Subcommands.Add(xor);
        Root.Subcommands.Add(digits);
        Root.Subcommands.Add(fashion);
        Root.Subcommands.Add(predictCommand);
        Root.Subcommands.Add(graphCommand);

        var distributed = new Command("distributed", "Train the digits classifier data-parallel over MPI processes, one Allreduce of the gradient per minibatch: mpiexec -n 2 dotnet NetGen.Sample.dll distributed (--batch-size is the global batch, --threads per process).");
        Distributed.AddTo(distributed);
        distributed.SetAction(result => train("distributed", Distributed.Bind(result), null));
        Root.Subcommands.Add(distributed);

        var residual = new Command("residual", "Train a residual network, 784-256-256(+skip)-10 (a skip connection adds the first hidden layer to the second), on the embedded digits enlarged to 28x28, and print its held-out accuracy.");
        Residual.AddTo(residual);
        residual.SetAction(result => train("residual", Residual.Bind(result), null));
        Root.Subcommands.Add(residual);

        var twoInputs = new Command("two-inputs", "Train a network with two named inputs, the 8x8 digit image and its 16-value ink profile (each row's and each column's mean), each through its own dense layer and then concatenated, on the embedded digits; print its held-out accuracy.");
        TwoInputs.AddTo(twoInputs);
        twoInputs.SetAction(result => train("two-inputs", TwoInputs.Bind(result), null));
        Root.Subcommands.Add(twoInputs);

        var vanishing = new Command("vanishing", "Train a deep sigmoid MLP and a ReLU MLP of the same shape (64-32x6-10) on the digits side by side and write one figure of each layer's gradient norm per epoch (log scale): the sigmoid network's early layers get gradients decades smaller.");
        Vanishing.AddTo(vanishing);
        vanishing.SetAction(result => (vanishingGradients ?? (settings => VanishingGradientsRun.Run(settings, Console.Out)))(Vanishing.Bind(result)));
        Root.Subcommands.Add(vanishing);

        Ensemble = new EnsembleCommand(ensemble ?? (settings => EnsembleRun.Run(settings, Console.Out)));
        Root.Subcommands.Add(Ensemble.Command);

        var gridCommand = new Command("grid", "Choose the digits classifier's hidden-layer width (16, 32 or 64 ReLU units) and epoch count by 10-fold cross-validation on the training images, retrain the best on all of them and print its test accuracy (the README's cross-validation example).");
        gridCommand.SetAction(_ => (grid ?? SampleActions.Grid)());
        Root.Subcommands.Add(gridCommand);

        Playground = new PlaygroundCommand(playground ?? (settings => PlaygroundRun.Run(settings, Console.Out)));
        Root.Subcommands.Add(Playground.Command);
    }

    /// <summary>The <c>ensemble</c> command and its options.</summary>
    public EnsembleCommand Ensemble { get; }

    /// <summary>The <c>playground</c> command and its options.</summary>
    public PlaygroundCommand Playground { get; }

    /// <summary>The network argument of <c>graph</c>.</summary>
    public Argument<string> GraphNetwork { get; }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>The options of <c>xor</c>.</summary>
    public TrainingOptions Xor { get; }

    /// <summary>The options of <c>digits</c>.</summary>
    public TrainingOptions Digits { get; }

    /// <summary>The options of <c>fashion</c>.</summary>
    public TrainingOptions Fashion { get; }

    /// <summary>The options of <c>distributed</c>.</summary>
    public TrainingOptions Distributed { get; }

    /// <summary>The options of <c>residual</c>.</summary>
    public TrainingOptions Residual { get; }

    /// <summary>The options of <c>two-inputs</c>.</summary>
    public TrainingOptions TwoInputs { get; }

    /// <summary>The options of <c>vanishing</c>.</summary>
    public TrainingOptions Vanishing { get; }

    /// <summary><c>fashion --data</c>.</summary>
    public Option<string> FashionData { get; }

    /// <summary><c>predict --file</c>.</summary>
    public Option<string?> PredictFile { get; }

    /// <summary><c>predict --model</c>.</summary>
    public Option<string?> PredictModel { get; }

    /// <summary><c>predict --input</c>.</summary>
    public Option<string> PredictInput { get; }

    /// <summary><c>predict --output</c>.</summary>
    public Option<string> PredictOutput { get; }

    /// <summary><c>predict --data</c>.</summary>
    public Option<string> PredictData { get; }

    /// <summary>Parses and runs; returns the exit code.</summary>
    public int Invoke(string[] args) => Root.Parse(args).Invoke();
}
