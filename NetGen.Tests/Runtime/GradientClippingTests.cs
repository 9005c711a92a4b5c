using Xunit;

namespace NetGen.Tests.Runtime;

public class GradientClippingTests
{
    [Fact]
    public void ANormFiveVector_ClippedToOne_IsExact()
    {
        double[] gradient = [3, 0, -4];
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm<double>(gradient, 1.0));
        Assert.Equal([0.6, 0, -0.8], gradient);

        float[] single = [3f, 0f, -4f];
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm<float>(single, 1.0));
        Assert.Equal([0.6f, 0f, -0.8f], single);
    }

    [Fact]
    public void AGradientWithinTheLimit_IsUnchanged()
    {
        double[] gradient = [0.3, -0.4];
        Assert.Equal(0.5, GradientClipping.ClipByGlobalNorm<double>(gradient, 1.0), 1e-15);
        Assert.Equal([0.3, -0.4], gradient);

        double[] atTheLimit = [3, 4];
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm<double>(atTheLimit, 5.0));
        Assert.Equal([3.0, 4.0], atTheLimit);
    }

    [Fact]
    public void ALongVector_KeepsItsDirection_AndGetsTheMaximumNorm()
    {
        // 37 ones: the vectorized body and the tail. Norm √37, each element becomes 1/√37 = 0.1643989873053573 (python3).
        var gradient = Enumerable.Repeat(1.0, 37).ToArray();
        Assert.Equal(Math.Sqrt(37), GradientClipping.ClipByGlobalNorm<double>(gradient, 1.0), 1e-14);
        Assert.All(gradient, g => Assert.Equal(0.1643989873053573, g, 1e-15));
        Assert.Equal(1.0, Math.Sqrt(gradient.Sum(g => g * g)), 1e-14);
    }

    [Fact]
    public void MaxNorm_MustBePositive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm<double>(new double[2], 0));
        Assert.Equal("maxNorm", error.ParamName);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm<double>(new double[2], double.PositiveInfinity)).ParamName);
        Assert.Equal("MaxGradientNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { MaxGradientNorm = -1 }).ParamName);
    }
}
