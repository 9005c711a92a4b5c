namespace NetGen.Tests.Differentiable;

/// <summary>
/// The notes' expression examples through the companions the generator wrote for
/// <see cref="LectureNotesFunctions"/>: exact values, derived by hand.
/// </summary>
public class LectureNotesGradientTests
{
    [Fact]
    public void XTimesYSquaredPlusZ()
    {
        // f = x(y² + z) = -2 (25 - 4) = -42; df/dx = y² + z = 21; df/dy = 2xy = -20; df/dz = x = -2
        var (f, dx, dy, dz) = LectureNotesFunctions.FGradient(-2, 5, -4);
        Assert.Equal(-42.0, f);
        Assert.Equal(21.0, dx);
        Assert.Equal(-20.0, dy);
        Assert.Equal(-2.0, dz);
    }

    [Fact]
    public void APlusBTimesBPlusOne()
    {
        // e = (a + b)(b + 1) = 3 · 2 = 6; de/da = b + 1 = 2; de/db = (b + 1) + (a + b) = 5
        var (e, da, db) = LectureNotesFunctions.EGradient(2, 1);
        Assert.Equal(6.0, e);
        Assert.Equal(2.0, da);
        Assert.Equal(5.0, db);
    }

    [Theory]
    [InlineData(3.0, 1.0, 3.0, 1.0, 0.0)]
    [InlineData(-1.0, 4.0, 4.0, 0.0, 1.0)]
    [InlineData(2.0, 2.0, 2.0, 1.0, 0.0)] // at a tie the derivative goes to the first argument
    public void MaxRoutesTheGradientToTheLargerInput(double x, double y, double value, double dx, double dy)
    {
        var gradient = LectureNotesFunctions.MaxGradient(x, y);
        Assert.Equal((value, dx, dy), gradient);
    }

    [Fact]
    public void SinglePrecisionWithAPower()
    {
        var (f, dx, dy, dz) = LectureNotesFunctions.FSingleGradient(-2, 5, -4);
        Assert.Equal(-42f, f);
        Assert.Equal(21f, dx);
        Assert.Equal(-20f, dy);
        Assert.Equal(-2f, dz);
    }

    [Fact]
    public void SigmoidNeuronMatchesTheHandDerivedChainRule()
    {
        const double w = 0.5, x = 2, b = -0.25, t = 1;
        double z = (w * x) + b;
        double a = 1 / (1 + Math.Exp(-z));
        double dz = (a - t) * a * (1 - a); // dL/da · da/dz
        var gradient = LectureNotesFunctions.NeuronGradient(w, x, b, t);
        Assert.Equal(0.5 * (a - t) * (a - t), gradient.Value, 15);
        Assert.Equal(dz * x, gradient.dw, 15);
        Assert.Equal(dz * w, gradient.dx, 15);
        Assert.Equal(dz, gradient.db, 15);
        Assert.Equal(-(a - t), gradient.dt, 15);
        Assert.Equal(LectureNotesFunctions.Neuron(w, x, b, t), gradient.Value);
    }
}
