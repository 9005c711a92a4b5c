using NetGen.Sample.Cli;
using NetGen.Sample.Reporting;
using NetGen.Sample.Runs;
using Xunit;

namespace NetGen.Tests.Sample;

/// <summary>The playground's problems, its command line and its page.</summary>
public class PlaygroundTests
{
    [Fact]
    public void Problems_SplitTheClassesInHalves_AndRepeatWithTheSeed()
    {
        var data = PlaneProblems.Generate("circles", 7, noise: 0.1, seed: 3);

        Assert.Equal([0, 0, 0, 1, 1, 1, 1], data.Labels.ToArray());
        Assert.Equal(data.AllFeatures.ToArray(), PlaneProblems.Generate("circles", 7, noise: 0.1, seed: 3).AllFeatures.ToArray());
        Assert.NotEqual(data.AllFeatures.ToArray(), PlaneProblems.Generate("circles", 7, noise: 0.1, seed: 4).AllFeatures.ToArray());
    }

    [Fact]
    public void Problems_WithoutNoise_HaveTheirShapes()
    {
        var circles = PlaneProblems.Generate("circles", 200, noise: 0, seed: 1);
        for (int i = 0; i < circles.Count; i++)
        {
            double radius = Math.Sqrt((circles.Features(i)[0] * circles.Features(i)[0]) + (circles.Features(i)[1] * circles.Features(i)[1]));
            Assert.True(circles.Label(i) == 1 ? radius <= 0.5 + 1e-6 : radius is >= 0.7 - 1e-6 and <= 1 + 1e-6, $"point {i}: radius {radius}, class {circles.Label(i)}");
        }

        var xor = PlaneProblems.Generate("xor", 200, noise: 0, seed: 1);
        for (int i = 0; i < xor.Count; i++)
        {
            float x = xor.Features(i)[0], y = xor.Features(i)[1];
            Assert.Equal(xor.Label(i) == 1, (x < 0) != (y < 0));
            Assert.True(Math.Abs(x) >= 0.05f && Math.Abs(y) >= 0.05f);
        }

        // 8 points, 4 per spiral: class 0's third point has t = 2/4, angle 1.75·2π·0.5 = 1.75π, so it is
        // 0.5 (sin 1.75π, cos 1.75π) = (-0.353553, 0.353553); class 1's is turned by π: (0.353553, -0.353553).
        var spirals = PlaneProblems.Generate("spirals", 8, noise: 0, seed: 1);
        Assert.Equal(-0.35355339f, spirals.Features(2)[0], 1e-6f);
        Assert.Equal(0.35355339f, spirals.Features(2)[1], 1e-6f);
        Assert.Equal(0.35355339f, spirals.Features(6)[0], 1e-6f);
        Assert.Equal(-0.35355339f, spirals.Features(6)[1], 1e-6f);
    }

    [Fact]
    public void Problems_CheckTheirArguments()
    {
        Assert.StartsWith("Unknown problem 'moons'; use one of xor, circles, spirals.", Assert.Throws<ArgumentException>(() => PlaneProblems.Generate("moons", 10, 0, 1)).Message);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => PlaneProblems.Generate("xor", 1, 0, 1)).ParamName);
        Assert.Equal("noise", Assert.Throws<ArgumentOutOfRangeException>(() => PlaneProblems.Generate("xor", 10, -0.1, 1)).ParamName);
    }

    [Theory]
    [InlineData("playground --frames 0", "--frames must be positive, not 0.")]
    [InlineData("playground --epochs 10 --frames 20", "--frames (20) must not exceed --epochs (10): there is at most one picture per epoch.")]
    [InlineData("playground --noise -1", "--noise must be a finite number that is not negative, not -1.")]
    [InlineData("playground --lr 0", "--learning-rate must be a positive number, not 0.")]
    [InlineData("playground --samples 1", "--samples must be at least 2, one point per class, not 1.")]
    public void Command_RejectsBadOptions_WithAClearMessage(string line, string message)
    {
        PlaygroundSettings? ran = null;
        var cli = new SampleCommandLine(playground: settings => { ran = settings; return 0; });
        var errors = cli.Root.Parse(line).Errors;
        Assert.Contains(errors, e => e.Message == message);
        Assert.Null(ran);
        Assert.NotEmpty(cli.Root.Parse("playground --problem moons").Errors);
    }

    [Fact]
    public void Command_BindsItsOptions()
    {
        PlaygroundSettings? ran = null;
        var cli = new SampleCommandLine(playground: settings => { ran = settings; return 0; });
        Assert.Equal(0, cli.Root.Parse("playground --problem xor --samples 50 --noise 0.2 --epochs 30 --frames 3 --lr 0.1 --batch-size 5 --seed 8 --output out").Invoke());
        Assert.Equal(new PlaygroundSettings("xor", 50, 0.2, 30, 3, 0.1, 5, 8, "out"), ran);
    }

    [Fact]
    public void Training_TakesAFrameBeforeTrainingAndAtEvenlySpacedEpochs_AndThePageHoldsThemAll()
    {
        var settings = new PlaygroundSettings("xor", 40, 0.05, 10, 4, 0.03, 10, 1, "");
        var data = PlaneProblems.Generate(settings.Problem, settings.Samples, settings.Noise, settings.Seed);
        var frames = PlaygroundRun.Train(settings, data);

        // round(k · 10 / 4) for k = 1..4, halves to even: 2 (2.5), 5, 8 (7.5), 10.
        Assert.Equal([0, 2, 5, 8, 10], frames.Select(f => f.Epoch));
        Assert.All(frames, f => Assert.Equal(PlaygroundRun.GridSize * PlaygroundRun.GridSize, f.Probabilities.Length));

        var net = new NetGen.Sample.PlaygroundNet(seed: 1);
        Assert.Equal(PlaygroundRun.Picture(net), frames[0].Probabilities);

        string page = PlaygroundPage.Build("test", data, [new BoundaryFrame(3, 0.25, 0.5, [0.5f, 1f, 0f, 0.123f])], gridSize: 2, extent: 1.5);
        Assert.Contains("\"frames\":[{\"epoch\":3,\"loss\":0.2500,\"accuracy\":0.5000,\"p\":\"50990012\"}]", page);
        Assert.Contains("{\"grid\":2,\"extent\":1.5,\"points\":[[", page);
    }
}
