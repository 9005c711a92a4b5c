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
