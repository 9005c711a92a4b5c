using System.Globalization;
using NetGen.Sample.Reporting;

namespace NetGen.Sample.Runs;

/// <summary>What <c>playground</c> was asked to do.</summary>
/// <param name="Problem">One of <see cref="PlaneProblems.Names"/>.</param>
/// <param name="Samples">Points to generate.</param>
/// <param name="Noise">The noise's standard deviation.</param>
/// <param name="Epochs">Passes over the points.</param>
/// <param name="Frames">Pictures of the decision boundary, evenly spaced over the epochs (plus the untrained network).</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="BatchSize">Points per minibatch.</param>
/// <param name="Seed">Seeds the points, the weights and the shuffling.</param>
/// <param name="OutputFolder">Where the page goes.</param>
internal sealed record PlaygroundSettings(string Problem, int Samples, double Noise, int Epochs, int Frames, double LearningRate, int BatchSize, int Seed, string OutputFolder);

/// <summary>One picture of the decision boundary: the probability of class 1 on a grid, after an epoch.</summary>
/// <param name="Epoch">The epoch after which it was taken; 0 before training.</param>
/// <param name="Loss">The training loss of that epoch (before training: of the initial weights).</param>
/// <param name="Accuracy">The share of points classified correctly.</param>
/// <param name="Probabilities">The probability of class 1 at each grid cell's center, row by row from the top.</param>
internal sealed record BoundaryFrame(int Epoch, double Loss, double Accuracy, float[] Probabilities);

/// <summary>
/// The notes' playground: trains <see cref="PlaygroundNet"/> on a 2-D problem and writes an HTML page that
/// animates its decision boundary over the epochs, with the points.
/// </summary>
internal static class PlaygroundRun
{
    /// <summary>Grid cells per side of the pictures.</summary>
    public const int GridSize = 64;

    /// <summary>The pictures cover [-Extent, Extent]² (the points lie in [-1, 1]² before noise).</summary>
    public const double Extent = 1.5;

    /// <summary>Trains, prints one line per frame and writes the page; returns the exit code.</summary>
    public static int Run(PlaygroundSettings settings, TextWriter output)
    {
        var data = PlaneProblems.Generate(settings.Problem, settings.Samples, settings.Noise, settings.Seed);
        var frames = Train(settings, data);
        Directory.CreateDirectory(settings.OutputFolder);
        string path = Path.Combine(settings.OutputFolder, $"playground-{settings.Problem}.html");
        string title = $"{settings.Problem}: {settings.Samples} points, noise {settings.Noise.ToString(CultureInfo.InvariantCulture)}, 2-16-16-1 tanh network, Adam {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}, batch {settings.BatchSize}, seed {settings.Seed}";
        File.WriteAllText(path, PlaygroundPage.Build(title, data, frames, GridSize, Extent));
        output.WriteLine($"playground {settings.Problem}: {settings.Samples} points, {PlaygroundNet.ParameterCount} parameters (2-16-16-1, tanh, sigmoid output)");
        foreach (var frame in frames)
        {
            output.WriteLine($"  epoch {frame.Epoch,4}: loss {frame.Loss:F4}, accuracy {frame.Accuracy:F4}");
        }

        output.WriteLine($"written: {path} (open it in a browser: the decision boundary over {frames.Count} frames)");
        return 0;
    }

    /// <summary>Trains and takes the frames: one before training and one after each of <c>Frames</c> evenly spaced epochs.</summary>
    public static IReadOnlyList<BoundaryFrame> Train(PlaygroundSettings settings, Dataset<float> data)
    {
        var network = new PlaygroundNet(settings.Seed);
        var frameEpochs = new HashSet<int>(Enumerable.Range(1, settings.Frames).Select(k => (int)Math.Round((double)k * settings.Epochs / settings.Frames)));
        var initial = Evaluation.Evaluate(network, data);
        var frames = new List<BoundaryFrame> { new(0, initial.Loss, initial.Accuracy ?? 0, Picture(network)) };
        using var trainer = new Trainer<float>(network, new Adam<float>(settings.LearningRate), settings.BatchSize, settings.Seed);
        trainer.Fit(data, settings.Epochs, progress: new CallbackProgress<EpochReport>(report =>
        {
            if (frameEpochs.Contains(report.Epoch))
            {
                frames.Add(new BoundaryFrame(report.Epoch, report.TrainingLoss, Evaluation.Evaluate(network, data).Accuracy ?? 0, Picture(network)));
            }
        }));
        return frames;
    }

    /// <summary>The probability of class 1 at every grid cell's center, top row first.</summary>
    public static float[] Picture(INetwork<float> network)
    {
        var probabilities = new float[GridSize * GridSize];
        Span<float> input = stackalloc float[2];
        Span<float> output = stackalloc float[1];
        double cell = 2 * Extent / GridSize;
        for (int row = 0; row < GridSize; row++)
        {
            for (int column = 0; column < GridSize; column++)
            {
                input[0] = (float)(-Extent + ((column + 0.5) * cell));
                input[1] = (float)(Extent - ((row + 0.5) * cell));
                network.Predict(input, output);
                probabilities[(row * GridSize) + column] = output[0];
            }
        }

        return probabilities;
    }
}
