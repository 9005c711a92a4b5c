using NetGen.Sample;
using NetGen.Sample.Runs;
using Xunit.Abstractions;

namespace NetGen.Tests.Training;

/// <summary>
/// The sample's residual network, 784-256-256(+skip)-10, compiled by the generator: it is wired as declared and
/// learns the embedded digits enlarged to 28x28. (Its gradients, element by element, are covered by the generated vs
/// dynamic vs central differences checks of <see cref="DynamicGraph.RandomDagTests"/> and the declared networks.)
/// </summary>
public class ResidualNetworkTests(ITestOutputHelper output)
{
    [Fact]
    public void TheSkipConnectionAddsTheFirstHiddenLayerToTheSecond()
    {
        var layers = ResidualNet.NetworkDescription.Layers;
        Assert.Equal(["Dense", "Dense", "Add", "Dense"], layers.Select(l => l.Kind.ToString()));
        Assert.Equal([0], layers[0].Sources);
        Assert.Equal([1], layers[1].Sources);
        Assert.Equal([2, 1], layers[2].Sources);
        Assert.Equal([3], layers[3].Sources);
        Assert.Equal((784 * 256) + 256 + (256 * 256) + 256 + (256 * 10) + 10, ResidualNet.ParameterCount);
    }

    [Fact]
    public void ItLearnsTheEnlargedDigits()
    {
        var (train, test) = SampleData.LoadEnlargedDigits();
        Assert.Equal(ResidualNet.InputSize, train.FeatureCount);
        var net = new ResidualNet(seed: 42);
        double before = Evaluation.Evaluate(net, test).Accuracy ?? 0;
        using var trainer = new Trainer<float>(net, new Adam<float>(learningRate: 1e-3), batchSize: 32, seed: 42);
        trainer.Fit(train, epochs: 4);
        var after = Evaluation.Evaluate(net, test);
        output.WriteLine($"held-out accuracy of {test.Count} images: {before:F4} untrained, {after.Accuracy:F4} after 4 epochs (loss {after.Loss:F4})");

        // 359 held-out images; an untrained network is near chance (0.1); this one reaches 0.9526 after 4 epochs.
        Assert.True(before < 0.3, $"untrained accuracy {before}");
        Assert.True(after.Accuracy >= 0.92, $"held-out accuracy after 4 epochs {after.Accuracy} (loss {after.Loss})");
    }

    [Fact]
    public void EnlargingInterpolatesBetweenPixelsWithTheCornersKept()
    {
        // 2x2 [0 1; 2 3] to 3x3: corners kept, edges their two neighbours' mean, the centre the mean of all four.
        var image = new Dataset<float>([0, 1, 2, 3], 4, [1, 0], 2, [0], 2);
        var enlarged = SampleData.Enlarge(image, 3);
        Assert.Equal([0f, 0.5f, 1f, 1f, 1.5f, 2f, 2f, 2.5f, 3f], enlarged.Features(0).ToArray());
        Assert.Equal([1f, 0f], enlarged.Targets(0).ToArray());
        Assert.Equal(0, enlarged.Label(0));

        var notSquare = Assert.Throws<ArgumentException>(() => SampleData.Enlarge(new Dataset<float>([0, 1, 2], 3, [1], 1), 3));
        Assert.Contains("3 features, which is not a square image", notSquare.Message, StringComparison.Ordinal);
    }
}
