using NetGen.Sample.Reporting;
using NetGen.Sample.Runs;

namespace NetGen.Sample.Cli;

/// <summary>The real actions behind the commands.</summary>
internal static class SampleActions
{
    /// <summary>The tour: XOR, then digits; ends with <c>test accuracy: 0.9xxx</c>.</summary>
    public static int RunDefault()
    {
        Console.WriteLine("NetGen sample: networks compiled at build time, trained at run time.");
        Console.WriteLine();
        Examples.Xor();
        Console.WriteLine();
        Examples.Digits();
        return 0;
    }

    /// <summary>Runs a training command.</summary>
    public static int Train(string command, TrainSettings settings, string? dataFolder)
    {
        switch (command)
        {
            case "xor":
            {
                var net = Examples.Xor(settings);
                Directory.CreateDirectory(settings.OutputFolder);
                string path = Path.Combine(settings.OutputFolder, "xor.ngm");
                ModelFile.Save(net, path);
                Console.WriteLine($"   model saved to {path}");
                return 0;
            }

            case "digits":
            {
                var (train, test, _) = SampleData.LoadDigits();
                return ClassifierRun.Run(ClassifierSpec.Digits, settings, train, test, TrainingDisplay.ForConsole());
            }

            case "residual":
            {
                var (train, test) = SampleData.LoadEnlargedDigits();
                var spec = new ClassifierSpec("residual", "Handwritten digits (UCI) enlarged to 28x28", "784-256-256(+skip)-10 residual MLP (ReLU)", seed => new ResidualNet(seed), SampleData.DigitClasses, CosineSchedule: false);
                return ClassifierRun.Run(spec, settings, train, test, TrainingDisplay.ForConsole());
            }

            case "two-inputs":
            {
                var (train, test) = SampleData.LoadTwoInputDigits();
                var spec = new ClassifierSpec("two-inputs", "Handwritten digits (UCI): the image and its ink profile as two named inputs", "image 64 -> 64 ReLU, profile 16 -> 16 tanh, concatenated -> 10", seed => new TwoInputDigitsNet(seed), SampleData.DigitClasses, CosineSchedule: false);
                return ClassifierRun.Run(spec, settings, train, test, TrainingDisplay.ForConsole());
            }

            case "distributed":
                return DistributedRun.Run(settings, Console.Out, Console.Error);

            default:
            {
                string folder = dataFolder ?? SampleData.FashionFolder;
                var missing = SampleData.MissingFashionFiles(folder);
                if (missing.Count > 0)
                {
                    Console.Error.WriteLine(SampleData.FashionMissingMessage(folder, missing));
                    return 2;
                }

                var display = TrainingDisplay.ForConsole();
#if DEBUG
                display.Line("note: this is a Debug build, about 20 times slower; for the full run use `dotnet run -c Release --project NetGen.Sample -- fashion`");
#endif
                var loading = System.Diagnostics.Stopwatch.StartNew();
                var train = SampleData.LoadFashionTrain(folder);
                var test = SampleData.LoadFashionTest(folder);
                display.Line($"loaded Fashion-MNIST from {folder} in {loading.Elapsed.TotalSeconds:F1} s");
                return ClassifierRun.Run(ClassifierSpec.Fashion, settings, train, test, display);
            }
        }
    }

    /// <summary><c>grid</c>: the README's cross-validation example on the digits; ends with the winner's test accuracy.</summary>
    public static int Grid()
    {
        var (train, test, _) = SampleData.LoadDigits();
        Console.WriteLine($"hidden units of the digits classifier by 10-fold cross-validation on {train.Count:N0} training images, 30 epochs of Adam per fold");
        HiddenUnitGrid.Run(train, test);
        return 0;
    }

    /// <summary><c>graph</c>: the network's description and its computation graph in DOT, both from the generated class.</summary>
    public static int Graph(string network)
    {
        var (description, dot) = network switch
        {
            "digits" => (DigitsNet.NetworkDescription, DigitsNet.ComputationGraphDot),
            "fashion" => (FashionNet.NetworkDescription, FashionNet.ComputationGraphDot),
            "residual" => (ResidualNet.NetworkDescription, ResidualNet.ComputationGraphDot),
            "two-inputs" => (TwoInputDigitsNet.NetworkDescription, TwoInputDigitsNet.ComputationGraphDot),
            _ => (XorNet.NetworkDescription, XorNet.ComputationGraphDot),
        };
        foreach (var line in description.ToString().TrimEnd().Split('\n'))
        {
            Console.WriteLine("// " + line.TrimEnd('\r'));
        }

        Console.Write(dot);
        return 0;
    }

    /// <summary>Runs <c>predict</c>.</summary>
    public static int Predict(PredictRequest request) =>
        PredictRun.Run(request.File, request.Model, request.Input, request.OutputFolder, request.DataFolder, Console.Out, Console.Error);
}
