using System.Numerics;
using NetGen.Graph;

namespace NetGen.Tests.DynamicGraph;

/// <summary>Generated against dynamic gradients on the same parameters and batch, element by element.</summary>
internal static class GradientComparison
{
    /// <summary>
    /// Bound for double networks: |g - d| / max(|g|, |d|, <see cref="DoubleFloor"/> · max |gradient element|) ≤ 1e-10 for
    /// every element. Both sides compute the same formulas; only summation order and the exp/tanh implementations
    /// differ (a few ulps per operation). The floor matters only for elements ~1e-10 of the largest, which are sums
    /// of terms of both signs that cancel (seen: 2.2e-10 and -9.1e-9 in networks whose largest element is ~0.6, off by relative 9e-7 and 3e-8).
    /// </summary>
    public const double DoubleBound = 1e-10;

    /// <summary>The relative floor of double comparisons (a fraction of the network's largest gradient element).</summary>
    public const double DoubleFloor = 1e-4;

    /// <summary>
    /// Bound for float networks: |g - d| / max(|g|, |d|, 1e-2 · max |gradient element|) ≤ 1e-3 for every element,
    /// i.e. a relative error of 1e-3 (about 2^-10, against float's 2^-24 per rounding), measured absolutely below
    /// 1e-2 of the network's largest gradient element, where sums of many terms of both signs cancel (seen: an
    /// element of 1.5e-3 in a network whose largest is 29, off the exact value by 2% in generated and 7% in dynamic float).
    /// </summary>
    public const double SingleBound = 1e-3;

    /// <summary>The relative floor of float comparisons (a fraction of the largest gradient element).</summary>
    public const double SingleFloor = 1e-2;

    /// <summary>Runs both networks on one batch; returns both gradients and losses (as double).</summary>
    public static (double[] Generated, double[] Dynamic, double GeneratedLoss, double DynamicLoss) Gradients<T>(
        INetwork<T> generated, DynamicNetwork<T> dynamic, T[] inputs, T[] targets, Action<NetworkWorkspace<T>>? configure = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = inputs.Length / generated.InputSize;
        var wsG = generated.CreateWorkspace(batch);
        var wsD = dynamic.CreateWorkspace(batch);
        configure?.Invoke(wsG);
        configure?.Invoke(wsD);
        var gG = new T[generated.ParameterCount];
        var gD = new T[dynamic.ParameterCount];
        T lossG = generated.ForwardBackward(inputs, targets, gG, wsG);
        T lossD = dynamic.ForwardBackward(inputs, targets, gD, wsD);
        return (ToDouble(gG), ToDouble(gD), double.CreateChecked(lossG), double.CreateChecked(lossD));
    }

    /// <summary>The largest elementwise |a - b| / max(|a|, |b|, floor) and where it occurs.</summary>
    public static (double Error, int Index) WorstRelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double floor)
    {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < a.Length; i++)
        {
            double error = RelativeError(a[i], b[i], floor);
            if (error > worst || at < 0)
            {
                worst = error;
                at = i;
            }
        }

        return (worst, at);
    }

    public static double RelativeError(double a, double b, double floor)
    {
        double diff = Math.Abs(a - b);
        return diff == 0 ? 0 : diff / Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), floor);
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateChecked(values[i]);
        }

        return result;
    }

    public static string TensorOf(INetwork net, int index) =>
        index < 0 ? "-" : net.Description.Tensors.First(t => index >= t.Offset && index < t.Offset + t.Length) is var t
            ? $"{t.Name}[{index - t.Offset}]"
            : "?";

    /// <summary>
    /// Sets every layer norm's gain γ to a random value in [0.5, 1.5]: it starts at 1 everywhere, where a gain that
    /// were wrongly left out of a derivative would go unnoticed.
    /// </summary>
    public static void RandomizeLayerNormGains<T>(INetwork<T> net, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new DeterministicRandom(seed ^ 0x6A1);
        foreach (var layer in net.Description.Layers)
        {
            if (layer.Kind == LayerKind.LayerNorm && layer.Weights is { } gain)
            {
                var span = net.Parameters.Slice(gain.Offset, gain.Length);
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = T.CreateChecked(random.NextDouble(0.5, 1.5));
                }
            }
        }
    }

    /// <summary>Sets every bias to a small random value, so that no pre-activation is exactly zero by construction.</summary>
    public static void RandomizeBiases<T>(INetwork<T> net, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new DeterministicRandom(seed);
        foreach (var layer in net.Description.Layers)
        {
            if (layer.Bias is { } b)
            {
                var span = net.Parameters.Slice(b.Offset, b.Length);
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = T.CreateChecked(random.NextDouble(-0.2, 0.2));
                }
            }
        }
    }
}
