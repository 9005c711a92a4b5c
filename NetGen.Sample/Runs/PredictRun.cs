using System.Globalization;

namespace NetGen.Sample.Runs;

/// <summary>Loads a saved model and classifies one input.</summary>
internal static class PredictRun
{
    /// <summary>The model names <c>predict --model</c> accepts, and the network class each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> NetworkNames = new Dictionary<string, string>
    {
        ["xor"] = nameof(XorNet),
        ["digits"] = nameof(DigitsNet),
        ["fashion"] = nameof(FashionNet),
    };

    /// <summary>Creates an untrained network of a model name.</summary>
    public static INetwork<float> Create(string model) => model switch
    {
        "xor" => new XorNet(),
        "digits" => new DigitsNet(),
        "fashion" => new FashionNet(),
        _ => throw new ArgumentException($"Unknown model '{model}'."),
    };

    /// <summary>Runs <c>predict</c>; returns the exit code.</summary>
    public static int Run(string? file, string? model, string input, string outputFolder, string dataFolder, TextWriter output, TextWriter error)
    {
        string path = file ?? Path.Combine(outputFolder, $"{model ?? "digits"}.ngm");
        if (!File.Exists(path))
        {
            error.WriteLine($"No model file at {path}. Train one first, e.g. `dotnet run --project NetGen.Sample -- {model ?? "digits"}`, or pass --file.");
            return 1;
        }

        ModelFileInfo info;
        try
        {
            info = ModelFile.ReadInfo(path);
        }
        catch (ModelFileException e)
        {
            error.WriteLine($"{path} is not a NetGen model file: {e.Message}");
            return 1;
        }

        if (model is null)
        {
            model = NetworkNames.FirstOrDefault(pair => pair.Value == info.NetworkName).Key;
            if (model is null)
            {
                error.WriteLine($"{path} holds a {info.NetworkName}, which this sample does not know; pass --model {string.Join("|", NetworkNames.Keys)}.");
                return 1;
            }
        }

        var network = Create(model);
        try
        {
            ModelFile.Load(network, path);
        }
        catch (ModelFileException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }

        output.WriteLine($"model: {path} ({info.NetworkName}, {info.ParameterCount:N0} parameters)");
        var features = new float[network.InputSize];
        int? actual = null;
        string[] classNames = model switch
        {
            "fashion" => SampleData.FashionClasses,
            "digits" => SampleData.DigitClasses,
            _ => ["0", "1"],
        };

        if (int.TryParse(input, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            Dataset<float> test;
            switch (model)
            {
                case "xor":
                    test = Dataset<float>.FromBinaryLabels([0, 0, 0, 1, 1, 0, 1, 1], 2, [0, 1, 1, 0]);
                    break;
                case "digits":
                    test = SampleData.LoadDigits().Test;
                    break;
                default:
                    var missing = SampleData.MissingFashionFiles(dataFolder);
                    if (missing.Count > 0)
                    {
                        error.WriteLine(SampleData.FashionMissingMessage(dataFolder, missing));
                        return 2;
                    }

                    test = SampleData.LoadFashionTest(dataFolder);
                    break;
            }

            if (index < 0 || index >= test.Count)
            {
                error.WriteLine($"--input {index} is not a test-set index: the {model} test set has {test.Count} samples (0 to {test.Count - 1}).");
                return 1;
            }

            test.Features(index).CopyTo(features);
            actual = test.HasLabels ? test.Label(index) : Evaluation.Class<float>(test.Targets(index));
            output.WriteLine($"input: test sample {index}, actual class {actual}{(classNames[actual.Value] == actual.Value.ToString(CultureInfo.InvariantCulture) ? "" : $" ({classNames[actual.Value]})")}");
        }
        else
        {
            var parts = input.Split([',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != network.InputSize)
            {
                error.WriteLine($"--input has {parts.Length} values; {model} takes {network.InputSize} (or give an index into the test set).");
                return 1;
            }

            for (int i = 0; i < parts.Length; i++)
            {
                if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out features[i]))
                {
                    error.WriteLine($"--input value {i + 1}, '{parts[i]}', is not a number.");
                    return 1;
                }
            }

            // The same preprocessing as training: digits min-max scaled with the training split's scaler, Fashion-MNIST pixels / 255.
            if (model == "digits")
            {
                SampleData.LoadDigits().Scaler.Transform(features);
            }
            else if (model == "fashion")
            {
                for (int i = 0; i < features.Length; i++)
                {
                    features[i] /= 255f;
                }
            }

            output.WriteLine($"input: {parts.Length} features from the command line");
        }

        string Named(int c) => classNames[c] == c.ToString(CultureInfo.InvariantCulture) ? classNames[c] : $"{c} ({classNames[c]})";
        var outputs = new float[network.OutputSize];
        network.Predict(features, outputs);
        float[] probabilities = outputs.Length == 1 ? [1 - outputs[0], outputs[0]] : outputs;
        int predicted = Evaluation.Class<float>(outputs);
        output.WriteLine($"class: {Named(predicted)}{(actual is { } a ? (a == predicted ? ", correct" : $", wrong (actual {Named(a)})") : "")}");
        output.WriteLine("probabilities:");
        var labels = Enumerable.Range(0, probabilities.Length).Select(c => Reporting.ConfusionMatrix.RowLabel(c, classNames)).ToList();
        int labelWidth = labels.Max(n => n.Length);
        for (int c = 0; c < probabilities.Length; c++)
        {
            string bar = new('#', (int)Math.Round(probabilities[c] * 40));
            output.WriteLine($"  {labels[c].PadRight(labelWidth)}  {probabilities[c]:F4}  {bar}".TrimEnd());
        }

        return 0;
    }
}
