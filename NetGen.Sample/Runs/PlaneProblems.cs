namespace NetGen.Sample.Runs;

/// <summary>
/// The 2-D classification problems of the notes' playground, generated from a seed: two classes of points in
/// [-1, 1]² (plus noise) that a line cannot separate.
/// </summary>
internal static class PlaneProblems
{
    /// <summary>The problem names the <c>playground</c> command accepts.</summary>
    public static readonly string[] Names = ["xor", "circles", "spirals"];

    /// <summary>
    /// Generates <paramref name="samples"/> points of <paramref name="problem"/>, half of each class (class 1 gets the
    /// odd one out), with Gaussian noise of standard deviation <paramref name="noise"/> added to each coordinate.
    /// </summary>
    /// <param name="problem">One of <see cref="Names"/>.</param>
    /// <param name="samples">The number of points; at least 2.</param>
    /// <param name="noise">The noise's standard deviation; finite and not negative.</param>
    /// <param name="seed">Seeds the points and the noise.</param>
    public static Dataset<float> Generate(string problem, int samples, double noise, int seed)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (samples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "'samples' must be at least 2, one per class.");
        }

        if (!double.IsFinite(noise) || noise < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "'noise' must be a finite number that is not negative.");
        }

        var random = new DeterministicRandom(seed);
        var features = new float[samples * 2];
        var labels = new int[samples];
        int perClass = samples / 2;
        for (int i = 0; i < samples; i++)
        {
            int label = i < perClass ? 0 : 1;
            int indexInClass = label == 0 ? i : i - perClass;
            int classSize = label == 0 ? perClass : samples - perClass;
            var (x, y) = problem switch
            {
                "xor" => XorPoint(label, random),
                "circles" => CirclePoint(label, random),
                "spirals" => SpiralPoint(label, indexInClass, classSize),
                _ => throw new ArgumentException($"Unknown problem '{problem}'; use one of {string.Join(", ", Names)}.", nameof(problem)),
            };
            features[2 * i] = (float)(x + (noise * random.NextGaussian()));
            features[(2 * i) + 1] = (float)(y + (noise * random.NextGaussian()));
            labels[i] = label;
        }

        return Dataset<float>.FromBinaryLabels(features, 2, labels);
    }

    /// <summary>XOR: class 1 where the signs of x and y differ; a margin of 0.05 keeps the classes apart before noise.</summary>
    private static (double X, double Y) XorPoint(int label, DeterministicRandom random)
    {
        double x = Margin(random.NextDouble(-1, 1));
        double y = Margin(random.NextDouble(-1, 1));
        bool signsDiffer = (x < 0) != (y < 0);
        return signsDiffer == (label == 1) ? (x, y) : (x, -y);
    }

    private static double Margin(double value) => value < 0 ? value - 0.05 : value + 0.05;

    /// <summary>Circles: class 1 inside radius 0.5, class 0 in the ring from 0.7 to 1.</summary>
    private static (double X, double Y) CirclePoint(int label, DeterministicRandom random)
    {
        double radius = label == 1 ? 0.5 * random.NextDouble() : random.NextDouble(0.7, 1.0);
        double angle = random.NextDouble(0, 2 * Math.PI);
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }

    /// <summary>Two spirals of 1.75 turns, the second the first turned by half a circle.</summary>
    private static (double X, double Y) SpiralPoint(int label, int index, int count)
    {
        double t = (double)index / count;
        double angle = (1.75 * 2 * Math.PI * t) + (label == 1 ? Math.PI : 0);
        return (t * Math.Sin(angle), t * Math.Cos(angle));
    }
}
