using NetGen.Graph;
using NetGen.Tests.Networks;

namespace NetGen.Tests.DynamicGraph;

/// <summary>The lecture notes' examples, built by hand on the dynamic graph, as exact values.</summary>
public class LectureNotesGraphTests
{
    [Fact]
    public void SumTimesSumAtTwoAndOne()
    {
        // e = (a + b)(b + 1) at a = 2, b = 1: c = a + b = 3, d = b + 1 = 2, e = 6;
        // de/da = d = 2; de/db = d + c = 5 (b feeds two nodes: its gradient accumulates).
        var g = new ComputationGraph<double>();
        var a = g.Scalar("a", 2);
        var b = g.Scalar("b", 1);
        var c = g.Add(a, b, "c");
        var d = g.Add(b, g.Constant(1.0), "d");
        var e = g.Multiply(c, d, "e");

        g.Forward(e);
        g.Backward(e);

        Assert.Equal(6.0, e.Value[0]);
        Assert.Equal(2.0, a.Gradient[0]);
        Assert.Equal(5.0, b.Gradient[0]);
        Assert.Equal(2.0, c.Gradient[0]); // de/dc = d
        Assert.Equal(3.0, d.Gradient[0]); // de/dd = c
        Assert.Equal([a, b, c, g.Nodes[3], d, e], g.Schedule(e));
    }

    [Fact]
    public void ProductWithSquare()
    {
        // f = x (y² + z): df/dx = y² + z, df/dy = 2 x y, df/dz = x.
        var g = new ComputationGraph<double>();
        var x = g.Scalar("x", 3);
        var y = g.Scalar("y", -2);
        var z = g.Scalar("z", 0.5);
        var f = g.Multiply(x, g.Add(g.Square(y), z));

        g.Forward(f);
        g.Backward(f);

        Assert.Equal(3 * (4 + 0.5), f.Value[0]);
        Assert.Equal(4.5, x.Gradient[0]);
        Assert.Equal(2 * 3 * -2.0, y.Gradient[0]);
        Assert.Equal(3.0, z.Gradient[0]);
    }

    [Fact]
    public void ParameterGradientsAccumulateUntilZeroed()
    {
        var g = new ComputationGraph<float>();
        var x = g.Scalar("x", 3);
        var f = g.Power(x, 3f);
        g.Forward(f);
        g.Backward(f);
        g.Backward(f);
        Assert.Equal(2 * 27f, x.Gradient[0]); // 3 x² twice
        g.ZeroParameterGradients();
        g.Backward(f);
        Assert.Equal(27f, x.Gradient[0]);
    }

    [Fact]
    public void HiddenLayerGradientOfTheNotesNetworkBuiltByHand()
    {
        // The notes' 2-2-1 network: sigmoid hidden units, linear output y, L = 1/2 (y - y*)²;
        // dL/dw22 = (y - y*) w21 z2 (1 - z2) x2, with w22 = W1[1, 1] and w21 = W2[0, 1].
        double[] parameters = [0.15, -0.25, 0.35, 0.45, 0.05, -0.05, 0.8, -0.6, 0.1];
        double x1 = 0.9, x2 = -0.7, target = 0.25;
        var g = new ComputationGraph<double>();
        var gradient = new double[9];
        var x = g.Input("x", 2);
        var t = g.Input("t", 1);
        var w1 = g.Parameter("W1", 2, 2, parameters, 0, gradient, 0);
        var b1 = g.Parameter("b1", 1, 2, parameters, 4, gradient, 4);
        var w2 = g.Parameter("W2", 1, 2, parameters, 6, gradient, 6);
        var b2 = g.Parameter("b2", 1, 1, parameters, 8, gradient, 8);
        var hidden = g.Sigmoid(g.AddBias(g.MatMul(x, w1), b1));
        var y = g.Linear(hidden, w2, b2);
        var loss = g.SquaredError(y, t);
        x.Value[0] = x1;
        x.Value[1] = x2;
        t.Value[0] = target;

        g.Forward(loss);
        g.Backward(loss);

        double z2 = 1 / (1 + Math.Exp(-((0.35 * x1) + (0.45 * x2) - 0.05)));
        double z1 = 1 / (1 + Math.Exp(-((0.15 * x1) + (-0.25 * x2) + 0.05)));
        double output = (0.8 * z1) + (-0.6 * z2) + 0.1;
        Assert.Equal(output, y.Value[0], 1e-15);
        Assert.Equal((output - target) * -0.6 * z2 * (1 - z2) * x2, gradient[3], 1e-15);
        Assert.Equal(0.5 * (output - target) * (output - target), loss.Value[0], 1e-15);
    }

    [Fact]
    public void HiddenLayerGradientOfTheNotesNetworkFromItsDescription()
    {
        double[] parameters = [0.15, -0.25, 0.35, 0.45, 0.05, -0.05, 0.8, -0.6, 0.1];
        var net = new DynamicNetwork<double>(NotesNet.NetworkDescription, parameters);
        double x1 = 0.9, x2 = -0.7, target = 0.25;
        double z2 = 1 / (1 + Math.Exp(-((0.35 * x1) + (0.45 * x2) - 0.05)));
        double z1 = 1 / (1 + Math.Exp(-((0.15 * x1) + (-0.25 * x2) + 0.05)));
        double y = (0.8 * z1) + (-0.6 * z2) + 0.1;

        var gradient = new double[NotesNet.ParameterCount];
        net.ForwardBackward([x1, x2], [target], gradient, net.CreateWorkspace(1));

        Assert.Equal((y - target) * -0.6 * z2 * (1 - z2) * x2, gradient[3], 1e-15);
    }

    [Fact]
    public void XorStepMatchesTheHandComputation()
    {
        // The same hand-derived step as LectureNotesTests.XorGradientMatchesHandComputation.
        double[] parameters = [0.2, -0.4, 0.7, 0.1, 0.1, -0.1, 0.6, -0.3, 0.05];
        double[] expected =
        [
            -0.016332762998027515, 0, 0.007642773017653498, 0,
            -0.016332762998027515, 0.007642773017653498,
            -0.06396614497161067, -0.07189604473412411,
            -0.1113534306733481,
        ];
        var net = new DynamicNetwork<double>(XorNetDouble.NetworkDescription, parameters);
        var gradient = new double[9];
        double loss = net.ForwardBackward([1.0, 0.0], [1.0], gradient, net.CreateWorkspace(1));

        Assert.Equal(0.10121682206584551, loss, 1e-15);
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], gradient[i], 1e-15);
        }
    }
}
