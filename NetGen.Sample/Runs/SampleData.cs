namespace NetGen.Sample.Runs;

/// <summary>The data sets of the sample: the embedded UCI digits and Fashion-MNIST from its Debian package.</summary>
internal static class SampleData
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the four files.</summary>
    public const string FashionFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The file names of Fashion-MNIST, as published.</summary>
    public static readonly string[] FashionFiles =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    /// <summary>The Fashion-MNIST class names, by label.</summary>
    public static readonly string[] FashionClasses =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>The digit class names, by label.</summary>
    public static readonly string[] DigitClasses = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// The embedded UCI digits (1,797 images of 8x8 pixels, values 0-16), split 80/20 (stratified, seed 7), pixels
    /// min-max scaled on the training split. The split and the scaler are deterministic, so <c>predict</c> gets the
    /// same held-out images and scaling as the run that trained the model.
    /// </summary>
    public static (Dataset<float> Train, Dataset<float> Test, FeatureScaler<float> Scaler) LoadDigits()
    {
        Dataset<float> all;
        using (var stream = typeof(SampleData).Assembly.GetManifestResourceStream("digits.csv.gz")
            ?? throw new InvalidOperationException("The embedded data set digits.csv.gz is missing from the sample."))
        {
            all = CsvReader.Read<float>(stream, "digits.csv.gz", new CsvOptions { ClassCount = 10 });
        }

        var (train, test) = all.Split(testFraction: 0.2, seed: 7, stratify: true);
        var scaler = MinMaxScaler<float>.Fit(train);
        scaler.Transform(train);
        scaler.Transform(test);
        return (train, test, scaler);
    }

    /// <summary>The side of the enlarged digits: 28x28 pixels, the geometry of MNIST and Fashion-MNIST.</summary>
    public const int EnlargedSide = 28;

    /// <summary>
    /// The embedded digits (<see cref="LoadDigits"/>: the same split and scaling) enlarged from 8x8 to 28x28 pixels by
    /// bilinear interpolation, so that a 784-input network made for MNIST-sized images trains on them in seconds.
    /// </summary>
    public static (Dataset<float> Train, Dataset<float> Test) LoadEnlargedDigits()
    {
        var (train, test, _) = LoadDigits();
        return (Enlarge(train, EnlargedSide), Enlarge(test, EnlargedSide));
    }

    /// <summary>
    /// Each sample's square image (its features, row by row) resampled to <paramref name="side"/>x<paramref name="side"/>
    /// pixels by bilinear interpolation with the corners aligned; targets and labels are kept.
    /// </summary>
    public static Dataset<float> Enlarge(Dataset<float> images, int side)
    {
        int from = (int)Math.Round(Math.Sqrt(images.FeatureCount));
        if (from * from != images.FeatureCount)
        {
            throw new ArgumentException($"The samples have {images.FeatureCount} features, which is not a square image.", nameof(images));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(side, 2);
        var features = new float[images.Count * side * side];
        double scale = (from - 1) / (double)(side - 1);
        for (int s = 0; s < images.Count; s++)
        {
            var source = images.Features(s);
            var target = features.AsSpan(s * side * side, side * side);
            for (int row = 0; row < side; row++)
            {
                double y = row * scale;
                int y0 = Math.Min((int)y, from - 2);
                double fy = y - y0;
                for (int column = 0; column < side; column++)
                {
                    double x = column * scale;
                    int x0 = Math.Min((int)x, from - 2);
                    double fx = x - x0;
                    double top = (source[(y0 * from) + x0] * (1 - fx)) + (source[(y0 * from) + x0 + 1] * fx);
                    double bottom = (source[((y0 + 1) * from) + x0] * (1 - fx)) + (source[((y0 + 1) * from) + x0 + 1] * fx);
                    target[(row * side) + column] = (float)((top * (1 - fy)) + (bottom * fy));
                }
            }
        }

        return new Dataset<float>(features, side * side, images.AllTargets.ToArray(), images.TargetCount, images.HasLabels ? images.Labels.ToArray() : null, images.ClassCount);
    }

    /// <summary>
    /// The embedded digits (<see cref="LoadDigits"/>: the same split and scaling) as two named feature blocks for
    /// <see cref="TwoInputDigitsNet"/>: <c>image</c>, the 64 pixels, and <c>profile</c>, the mean ink of each of the 8 rows
    /// and then of each of the 8 columns.
    /// </summary>
    public static (Dataset<float> Train, Dataset<float> Test) LoadTwoInputDigits()
    {
        var (train, test, _) = LoadDigits();
        return (ToTwoInputs(train), ToTwoInputs(test));
    }

    /// <summary>The blocks <c>image</c> and <c>profile</c> of 8x8 digit images, assembled for <see cref="TwoInputDigitsNet"/>.</summary>
    public static Dataset<float> ToTwoInputs(Dataset<float> digits)
    {
        const int side = 8;
        var profile = new float[digits.Count * 2 * side];
        for (int s = 0; s < digits.Count; s++)
        {
            var image = digits.Features(s);
            for (int row = 0; row < side; row++)
            {
                for (int column = 0; column < side; column++)
                {
                    float ink = image[(row * side) + column] / side;
                    profile[(s * 2 * side) + row] += ink;
                    profile[(s * 2 * side) + side + column] += ink;
                }
            }
        }

        var blocks = new Dictionary<string, float[]> { ["image"] = digits.AllFeatures.ToArray(), ["profile"] = profile };
        return NamedInputBlocks.ToDataset(TwoInputDigitsNet.NetworkDescription, blocks, digits.Labels, digits.ClassCount);
    }

    /// <summary>The Fashion-MNIST files missing from <paramref name="folder"/>; empty when all four are there.</summary>
    public static IReadOnlyList<string> MissingFashionFiles(string folder) =>
        FashionFiles.Where(file => !File.Exists(Path.Combine(folder, file))).ToList();

    /// <summary>What to tell a user whose Fashion-MNIST files are missing.</summary>
    public static string FashionMissingMessage(string folder, IReadOnlyList<string> missing) =>
        $"""
        Fashion-MNIST was not found: {string.Join(", ", missing)} missing in {folder}.
        Install it with:

            sudo apt-get install dataset-fashion-mnist

        or put the four files ({string.Join(", ", FashionFiles)}) in a folder and pass it with --data.
        """;

    /// <summary>The 60,000 training images of Fashion-MNIST, pixels scaled to [0, 1].</summary>
    public static Dataset<float> LoadFashionTrain(string folder) => IdxReader.ReadDataset<float>(
        Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"), classCount: 10);

    /// <summary>The 10,000 test images of Fashion-MNIST, pixels scaled to [0, 1].</summary>
    public static Dataset<float> LoadFashionTest(string folder) => IdxReader.ReadDataset<float>(
        Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), classCount: 10);
}
