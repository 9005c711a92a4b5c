using Microsoft.ML.OnnxRuntime;
using NetGen.Sample;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Sample;

public class RunOutputsTests
{
    [Fact]
    public void A_run_writes_its_model_also_as_ONNX_that_predicts_what_the_network_predicts()
    {
        string folder = Path.Combine(Path.GetTempPath(), "netgen-outputs-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var network = new DigitsNet(seed: 5);
            var files = ClassifierRun.WriteOutputs("digits", network, PlainReportTests.Summary(), folder);
            Assert.Equal(["digits.ngm", "digits.onnx", "digits-training.svg", "digits-report.html", "digits-history.csv"], files.Select(Path.GetFileName));
            Assert.All(files, f => Assert.True(File.Exists(f), f));

            var input = Enumerable.Range(0, DigitsNet.InputSize).Select(i => (i % 17) / 16f).ToArray();
            var expected = new float[DigitsNet.OutputSize];
            network.Predict(input, expected);
            using var session = new InferenceSession(Path.Combine(folder, "digits.onnx"));
            using var value = OrtValue.CreateTensorValueFromMemory(input, [1, DigitsNet.InputSize]);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [OnnxExport.InputName], [value], [OnnxExport.OutputName]);
            var actual = results[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5f * expected.Max(), $"{p.First} vs {p.Second}"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
