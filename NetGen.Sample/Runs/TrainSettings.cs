namespace NetGen.Sample.Runs;

/// <summary>The settings of a training command, as parsed from its options.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per minibatch.</param>
/// <param name="Threads">Threads computing each minibatch's gradient.</param>
/// <param name="Optimizer">One of <see cref="Optimizers"/>.</param>
/// <param name="LearningRate">The (base) learning rate.</param>
/// <param name="Seed">Seeds the weights, the shuffling and dropout.</param>
/// <param name="OutputFolder">Where the model, the plot and the report go.</param>
/// <param name="Resume">A checkpoint saved by Ctrl+C to continue from (<c>--resume</c>); null to start afresh.</param>
internal sealed record TrainSettings(int Epochs, int BatchSize, int Threads, string Optimizer, double LearningRate, int Seed, string OutputFolder, string? Resume = null)
{
    /// <summary>The optimizer names the commands accept.</summary>
    public static readonly string[] Optimizers = ["sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad"];

    /// <summary>A sensible learning rate for each optimizer, used when --learning-rate is not given and the optimizer is not the command's default.</summary>
    public static double DefaultLearningRate(string optimizer) => optimizer switch
    {
        "sgd" => 0.1,
        "momentum" => 0.05,
        "adagrad" => 0.01,
        _ => 0.001,
    };

    /// <summary>Creates the optimizer.</summary>
    public Optimizer<float> CreateOptimizer() => Optimizer switch
    {
        "sgd" => new Sgd<float>(LearningRate),
        "momentum" => new Sgd<float>(LearningRate, momentum: 0.9),
        "adam" => new Adam<float>(LearningRate),
        "adamw" => new AdamW<float>(LearningRate),
        "rmsprop" => new RMSProp<float>(LearningRate),
        "adagrad" => new AdaGrad<float>(LearningRate),
        _ => throw new ArgumentException($"Unknown optimizer '{Optimizer}'; use one of {string.Join(", ", Optimizers)}."),
    };

    /// <summary>The optimizer as a person reads it, e.g. <c>adam, learning rate 0.001</c>.</summary>
    public string DescribeOptimizer() => Optimizer switch
    {
        "momentum" => $"SGD with momentum 0.9, learning rate {LearningRate:G4}",
        "sgd" => $"SGD, learning rate {LearningRate:G4}",
        "adam" => $"Adam, learning rate {LearningRate:G4}",
        "adamw" => $"AdamW (weight decay 0.01), learning rate {LearningRate:G4}",
        "rmsprop" => $"RMSProp, learning rate {LearningRate:G4}",
        "adagrad" => $"AdaGrad, learning rate {LearningRate:G4}",
        _ => Optimizer,
    };
}

/// <summary>The defaults of one training command.</summary>
internal sealed record CommandDefaults(int Epochs, int BatchSize, int Threads, string Optimizer, double LearningRate, int Seed);
