using NetGen.Sample;
using NetGen.Sample.Runs;
using Xunit.Abstractions;

namespace NetGen.Tests.Training;

/// <summary>
/// The sample's two-input network (<c>[Input("image", 64)]</c>, <c>[Input("profile", 16)]</c>), fed from two named
/// feature blocks by <see cref="NamedInputBlocks"/>: each sample's vector is its image then its ink profile, and the
/// network learns the embedded digits. (Gradients of networks with named inputs, element by element, are checked
/// with the declared test networks against the dynamic graph and central differences.)
/// </summary>
public class TwoInputNetworkTests(ITestOutputHelper output)
{
    [Fact]
    public void EachSampleIsItsImageThenItsInkProfile()
    {
        Assert.Equal((0, 64, 64, 16, 80), (TwoInputDigitsNet.ImageInputOffset, TwoInputDigitsNet.ImageInputSize,
            TwoInputDigitsNet.ProfileInputOffset, TwoInputDigitsNet.ProfileInputSize, TwoInputDigitsNet.InputSize));
        var (digits, _, _) = SampleData.LoadDigits();
        var data = SampleData.ToTwoInputs(digits);
        Assert.Equal(digits.Count, data.Count);
        Assert.Equal(digits.Labels.ToArray(), data.Labels.ToArray());
        for (int s = 0; s < 3; s++)
        {
            var image = digits.Features(s).ToArray();
            var vector = data.Features(s).ToArray();
            Assert.Equal(image, vector[..64]);
            for (int k = 0; k < 8; k++)
            {
                // the mean ink of row k, then of column k
                Assert.Equal(Enumerable.Range(0, 8).Average(c => image[(k * 8) + c]), vector[64 + k], 5);
                Assert.Equal(Enumerable.Range(0, 8).Average(r => image[(r * 8) + k]), vector[72 + k], 5);
            }
        }
    }

    [Fact]
    public void ItLearnsTheDigitsFromTheImageAndItsInkProfile()
    {
        var (train, test) = SampleData.LoadTwoInputDigits();
        var net = new TwoInputDigitsNet(seed: 42);
        using var trainer = new Trainer<float>(net, new Adam<float>(learningRate: 0.003), batchSize: 32, seed: 42);
        trainer.Fit(train, epochs: 10);
        var result = Evaluation.Evaluate(net, test);
        output.WriteLine($"held-out accuracy of {test.Count} images after 10 epochs: {result.Accuracy:F4} (loss {result.Loss:F4})");
        Assert.True(result.Accuracy >= 0.9, $"held-out accuracy {result.Accuracy} (loss {result.Loss})");
    }
}
