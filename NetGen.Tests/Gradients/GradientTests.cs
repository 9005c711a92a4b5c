using System.Numerics;
using NetGen.Tests.Infrastructure;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Gradients;

/// <summary>
/// The generated backward pass against central differences (an independent derivative: it
/// only runs the forward pass), for every activation with every loss it fits.
/// </summary>
public class GradientTests
{
    private const int Batch = 3;

    public static TheoryData<string> Cases() => DeclaredNetworks.Names(IsActivationAndLossCase);

    private static IEnumerable<Type> DoubleNetworks() => DeclaredNetworks.Where(IsActivationAndLossCase);

    /// <summary>The G_{activation}_{loss}_{output}_Double networks.</summary>
    private static bool IsActivationAndLossCase(Type type) =>
        type.Name.StartsWith("G_", StringComparison.Ordinal) && type.Name.EndsWith("_Double", StringComparison.Ordinal);

    [Fact]
    public void EveryActivationAndLossCombinationIsCovered()
    {
        // 6 activations x (SquaredError, MeanSquaredError, BinaryCrossEntropy, SoftmaxCrossEntropy on logits or softmax).
        Assert.Equal(30, DoubleNetworks().Count());
        foreach (var activation in Enum.GetNames<Activation>().Where(a => a != nameof(Activation.Softmax)))
        {
            foreach (var loss in Enum.GetNames<Loss>())
            {
                Assert.Contains(DoubleNetworks(), t => t.Name.StartsWith($"G_{activation}_{loss}_", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>
    /// Double precision: every gradient element agrees with the central difference
    /// (f(θ+h) - f(θ-h)) / 2h, h = 1e-6, to a relative error |g - n| / max(|g|, |n|, 1e-2) of at most 1e-6.
    /// The floor of 1e-2 keeps round-off of near-zero elements (absolute error ~1e-10) from counting as relative.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedGradientMatchesCentralDifferences(string networkName)
    {
        var (worst, worstAt) = WorstCentralDifferenceError(Create<double>(networkName), networkName);
        Assert.True(worst <= 1e-6, $"{networkName}: relative error {worst:E2} at {worstAt}");
    }

    /// <summary>The declared double networks that are DAGs (a layer other than dense or dropout): the same bound.</summary>
    public static TheoryData<string> GraphCases() =>
        DeclaredNetworks.Names(t => typeof(INetwork<double>).IsAssignableFrom(t)
            && ((INetwork)Activator.CreateInstance(t, 0)!).Description.Layers.Any(l => l.Kind is not (LayerKind.Dense or LayerKind.Dropout)));

    [Theory]
    [MemberData(nameof(GraphCases))]
    public void GraphNetworkGradientMatchesCentralDifferences(string networkName)
    {
        var net = Create<double>(networkName);
        var random = new DeterministicRandom(17);
        foreach (var tensor in net.Description.Tensors)
        {
            // Biases (and layer-norm gains) away from their starting values, so every term of each derivative matters.
            var view = tensor.Slice(net.Parameters);
            for (int i = 0; i < view.Length; i++)
            {
                view[i] += random.NextDouble(-0.3, 0.3);
            }
        }

        var (worst, worstAt) = WorstCentralDifferenceError(net, networkName);
        Assert.True(worst <= 1e-6, $"{networkName}: relative error {worst:E2} at {worstAt}");
    }

    /// <summary>
    /// The largest relative error |g - n| / max(|g|, |n|, 1e-2) of the generated gradient g against the central
    /// difference n = (f(θ+h) - f(θ-h)) / 2h, h = 1e-6, over every parameter, and where it is.
    /// </summary>
    private static (double Worst, string At) WorstCentralDifferenceError(INetwork<double> net, string networkName)
    {
        var (inputs, targets) = MakeBatch<double>(net, seed: networkName.GetHashCode(StringComparison.Ordinal) & 0xffff);
        var workspace = net.CreateWorkspace(Batch);
        var analytic = new double[net.ParameterCount];
        net.ForwardBackward(inputs, targets, analytic, workspace);

        const double h = 1e-6;
        double worst = 0;
        string worstAt = string.Empty;
        var parameters = net.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            double saved = parameters[i];
            parameters[i] = saved + h;
            double plus = net.ComputeLoss(inputs, targets, workspace);
            parameters[i] = saved - h;
            double minus = net.ComputeLoss(inputs, targets, workspace);
            parameters[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double error = Math.Abs(analytic[i] - numeric) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)), 1e-2);
            if (error > worst)
            {
                worst = error;
                worstAt = $"{TensorOf(net, i)} (parameter {i}: analytic {analytic[i]:R}, numeric {numeric:R})";
            }
        }

        return (worst, worstAt);
    }

    /// <summary>
    /// Float against double on the same parameters and batch: the largest difference of a gradient element is
    /// at most 2e-5 of the largest gradient element (float carries about 7 significant digits; the backward pass
    /// adds a few roundings per element).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatGradientAgreesWithDouble(string networkName)
    {
        var netDouble = Create<double>(networkName);
        var netFloat = Create<float>(networkName.Replace("_Double", "_Single", StringComparison.Ordinal));
        for (int i = 0; i < netDouble.ParameterCount; i++)
        {
            // Round the double parameters to float so both networks compute the same function.
            netFloat.Parameters[i] = (float)netDouble.Parameters[i];
            netDouble.Parameters[i] = netFloat.Parameters[i];
        }

        var (inputsD, targetsD) = MakeBatch<double>(netDouble, seed: 7);
        var inputsF = inputsD.Select(v => (float)v).ToArray();
        var targetsF = targetsD.Select(v => (float)v).ToArray();
        inputsD = inputsF.Select(v => (double)v).ToArray();
        targetsD = targetsF.Select(v => (double)v).ToArray();

        var gradientD = new double[netDouble.ParameterCount];
        var gradientF = new float[netFloat.ParameterCount];
        double lossD = netDouble.ForwardBackward(inputsD, targetsD, gradientD, netDouble.CreateWorkspace(Batch));
        float lossF = netFloat.ForwardBackward(inputsF, targetsF, gradientF, netFloat.CreateWorkspace(Batch));

        Assert.Equal(lossD, lossF, tolerance: 1e-5 * Math.Max(1, Math.Abs(lossD)));
        double scale = gradientD.Max(Math.Abs);
        double worst = gradientD.Zip(gradientF, (d, f) => Math.Abs(d - f)).Max();
        Assert.True(worst <= 2e-5 * scale, $"{networkName}: float differs from double by {worst:E2} (largest gradient element {scale:E2})");
    }

    internal static INetwork<T> Create<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var type = typeof(XorNet).Assembly.GetType(typeof(XorNet).Namespace + "." + name, throwOnError: true)!;
        return (INetwork<T>)Activator.CreateInstance(type, 3)!;
    }

    /// <summary>Inputs in [-1, 1]; targets that fit the loss (probabilities for the cross-entropies).</summary>
    internal static (T[] Inputs, T[] Targets) MakeBatch<T>(INetwork<T> net, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new DeterministicRandom(seed);
        var inputs = new T[Batch * net.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = T.CreateChecked(random.NextDouble(-1, 1));
        }

        var targets = new T[Batch * net.OutputSize];
        for (int s = 0; s < Batch; s++)
        {
            var row = targets.AsSpan(s * net.OutputSize, net.OutputSize);
            switch (net.Description.Loss)
            {
                case Loss.SoftmaxCrossEntropy:
                    // A soft target distribution: exercises p * Σt - t with Σt = 1.
                    double total = 0;
                    var raw = new double[row.Length];
                    for (int k = 0; k < raw.Length; k++)
                    {
                        raw[k] = random.NextDouble(0.1, 1);
                        total += raw[k];
                    }

                    for (int k = 0; k < raw.Length; k++)
                    {
                        row[k] = T.CreateChecked(raw[k] / total);
                    }

                    break;
                case Loss.BinaryCrossEntropy:
                    for (int k = 0; k < row.Length; k++)
                    {
                        row[k] = T.CreateChecked(random.NextDouble());
                    }

                    break;
                default:
                    for (int k = 0; k < row.Length; k++)
                    {
                        row[k] = T.CreateChecked(random.NextDouble(-1, 1));
                    }

                    break;
            }
        }

        return (inputs, targets);
    }

    private static string TensorOf(INetwork net, int index) =>
        net.Description.Tensors.First(t => index >= t.Offset && index < t.Offset + t.Length).Name;
}
