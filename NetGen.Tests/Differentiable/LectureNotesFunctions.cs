namespace NetGen.Tests.Differentiable;

/// <summary>The lecture notes' worked examples, written as plain C# and differentiated by the generator at build time.</summary>
public static partial class LectureNotesFunctions
{
    /// <summary>f(x, y, z) = x(y² + z).</summary>
    [Differentiable]
    public static double F(double x, double y, double z) => x * (y * y + z);

    /// <summary>e(a, b) = (a + b)(b + 1), with the notes' intermediate names c = a + b and d = b + 1.</summary>
    [Differentiable]
    public static double E(double a, double b)
    {
        double c = a + b;
        double d = b + 1;
        return c * d;
    }

    /// <summary>f(x, y) = max(x, y).</summary>
    [Differentiable]
    public static double Max(double x, double y) => Math.Max(x, y);

    /// <summary>The same f as <see cref="F"/> in single precision, with y² written as a power.</summary>
    [Differentiable]
    public static float FSingle(float x, float y, float z) => x * (MathF.Pow(y, 2) + z);

    /// <summary>A sigmoid neuron with a squared error: every supported construct the notes use in one function.</summary>
    [Differentiable]
    internal static double Neuron(double w, double x, double b, double t)
    {
        var z = w * x + b;
        var a = 1 / (1 + Math.Exp(-z));
        var e = a - t;
        return 0.5 * e * e;
    }
}
