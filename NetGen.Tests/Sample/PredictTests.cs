using NetGen.Sample;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Sample;

public class PredictTests
{
    [Fact]
    public void A_saved_digits_model_is_loaded_by_its_stored_name_and_classifies_a_test_sample()
    {
        string folder = Path.Combine(Path.GetTempPath(), "netgen-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (train, _, _) = SampleData.LoadDigits();
            var net = new DigitsNet(seed: 3);
            using (var trainer = new Trainer<float>(net, new Adam<float>(0.003), batchSize: 32, seed: 3))
            {
                trainer.Fit(train, epochs: 3);
            }

            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "my-model.ngm");
            ModelFile.Save(net, path);

            var output = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(0, PredictRun.Run(path, model: null, input: "5", folder, SampleData.FashionFolder, output, error));
            string text = output.ToString();
            Assert.Contains("(DigitsNet, 4,810 parameters)", text);
            Assert.Contains("input: test sample 5, actual class", text);
            Assert.Matches(@"class: \d, (correct|wrong \(actual \d\))", text);
            Assert.Equal(10, text.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal)));

            // A CSV line of 64 raw pixel values (0-16) works too.
            output = new StringWriter();
            Assert.Equal(0, PredictRun.Run(path, "digits", string.Join(",", Enumerable.Repeat("8", 64)), folder, SampleData.FashionFolder, output, error));
            Assert.Contains("64 features from the command line", output.ToString());

            // The wrong network type is refused with the model file's message.
            error = new StringWriter();
            Assert.Equal(1, PredictRun.Run(path, "xor", "0", folder, SampleData.FashionFolder, new StringWriter(), error));
            Assert.Contains("mismatch", error.ToString());

            // Too few features.
            error = new StringWriter();
            Assert.Equal(1, PredictRun.Run(path, null, "1,2,3", folder, SampleData.FashionFolder, new StringWriter(), error));
            Assert.Contains("--input has 3 values; digits takes 64", error.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_missing_model_file_says_how_to_make_one()
    {
        var error = new StringWriter();
        Assert.Equal(1, PredictRun.Run(null, "fashion", "0", "/nonexistent-folder", SampleData.FashionFolder, new StringWriter(), error));
        Assert.Contains("dotnet run --project NetGen.Sample -- fashion", error.ToString());
    }

    [Fact]
    public void Missing_fashion_files_are_named_with_the_install_command()
    {
        string folder = "/nonexistent-fashion";
        var missing = SampleData.MissingFashionFiles(folder);
        Assert.Equal(4, missing.Count);
        string message = SampleData.FashionMissingMessage(folder, missing);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", message);
        Assert.Contains("train-images-idx3-ubyte.gz", message);
    }
}
