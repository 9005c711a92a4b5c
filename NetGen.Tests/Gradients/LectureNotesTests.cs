using NetGen.Tests.Networks;

namespace NetGen.Tests.Gradients;

/// <summary>The worked examples of the lecture notes, as exact values.</summary>
public class LectureNotesTests
{
    // One training step of the 2-2-1 XOR network, derived by hand with the chain rule as the notes do:
    //   W1 = [[0.2, -0.4], [0.7, 0.1]], b1 = [0.1, -0.1], W2 = [0.6, -0.3], b2 = 0.05; x = (1, 0), t = 1.
    //   z1 = W1 x + b1          = (0.3, 0.6)
    //   a1 = sigmoid(z1)         = (0.574442516811659, 0.6456563062257954)
    //   z2 = W2 a1 + b2          = 0.6 * 0.5744425 - 0.3 * 0.6456563 + 0.05 = 0.20096861821925682
    //   y  = sigmoid(z2)         = 0.5500737347834748
    //   L  = 1/2 (y - t)^2       = 0.10121682206584551
    //   δ2 = (y - t) y (1 - y)   = -0.1113534306733481            = dL/db2
    //   dL/dW2 = δ2 a1           = (-0.06396614497161067, -0.07189604473412411)
    //   δ1 = W2ᵀ δ2 ⊙ a1 (1 - a1) = (-0.016332762998027515, 0.007642773017653498) = dL/db1
    //   dL/dW1 = δ1 xᵀ           = [[δ1₁, 0], [δ1₂, 0]]  (x2 = 0 gives no gradient to the second column)
    // The arithmetic of each line was checked with a calculator (Python floats); the test asserts it.
    private static readonly double[] Parameters = [0.2, -0.4, 0.7, 0.1, 0.1, -0.1, 0.6, -0.3, 0.05];
    private static readonly double[] ExpectedGradient =
    [
        -0.016332762998027515, 0, 0.007642773017653498, 0,
        -0.016332762998027515, 0.007642773017653498,
        -0.06396614497161067, -0.07189604473412411,
        -0.1113534306733481,
    ];

    [Fact]
    public void XorForwardMatchesHandComputation()
    {
        var net = new XorNetDouble();
        Parameters.CopyTo(net.Parameters);
        var output = new double[1];
        net.Predict([1.0, 0.0], output);
        Assert.Equal(0.5500737347834748, output[0], 1e-15);
    }

    [Fact]
    public void XorGradientMatchesHandComputation()
    {
        var net = new XorNetDouble();
        Parameters.CopyTo(net.Parameters);
        var gradient = new double[XorNetDouble.ParameterCount];
        double loss = net.ForwardBackward([1.0, 0.0], [1.0], gradient, net.CreateWorkspace(1));

        Assert.Equal(0.10121682206584551, loss, 1e-15);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.Equal(ExpectedGradient[i], gradient[i], 1e-15);
        }
    }

    [Fact]
    public void XorGradientInFloatMatchesHandComputation()
    {
        var net = new XorNet();
        for (int i = 0; i < Parameters.Length; i++)
        {
            net.Parameters[i] = (float)Parameters[i];
        }

        var gradient = new float[XorNet.ParameterCount];
        float loss = net.ForwardBackward([1f, 0f], [1f], gradient, net.CreateWorkspace(1));

        Assert.Equal(0.10121682206584551, loss, 1e-6);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.Equal(ExpectedGradient[i], gradient[i], 1e-6);
        }
    }

    [Fact]
    public void HiddenLayerGradientOfTheNotesNetwork()
    {
        // The notes' 2-2-1 network: sigmoid hidden units z1, z2, linear output y = w11 z1 + w21 z2 + b,
        // L = 1/2 (y - y*)^2. For the weight w22 from input x2 to hidden unit 2:
        //   dL/dw22 = (y - y*) w21 z2 (1 - z2) x2.
        // In NetGen's layout w22 is W1[1, 1] (parameter 3) and w21 is W2[0, 1] (parameter 7).
        var net = new NotesNet();
        double[] parameters = [0.15, -0.25, 0.35, 0.45, 0.05, -0.05, 0.8, -0.6, 0.1];
        parameters.CopyTo(net.Parameters);
        double x1 = 0.9, x2 = -0.7, target = 0.25;

        double z2 = 1 / (1 + Math.Exp(-((0.35 * x1) + (0.45 * x2) - 0.05)));
        double z1 = 1 / (1 + Math.Exp(-((0.15 * x1) + (-0.25 * x2) + 0.05)));
        double y = (0.8 * z1) + (-0.6 * z2) + 0.1;
        double expected = (y - target) * -0.6 * z2 * (1 - z2) * x2;

        var gradient = new double[NotesNet.ParameterCount];
        net.ForwardBackward([x1, x2], [target], gradient, net.CreateWorkspace(1));
        Assert.Equal(expected, gradient[3], 1e-15);
    }
}
