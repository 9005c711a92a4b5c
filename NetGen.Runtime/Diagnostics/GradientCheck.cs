using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// Compares a network's analytic gradient (<see cref="INetwork{T}.ForwardBackward"/>) with central differences
/// of its summed loss (<see cref="INetwork{T}.ComputeLoss"/>), parameter by parameter.
/// </summary>
/// <remarks>
/// <para>
/// For every parameter <c>p</c>: <c>(L(p + h) - L(p - h)) / (h+ + h-)</c>, where <c>h+</c> and <c>h-</c> are the
/// steps actually taken after rounding <c>p ± ε</c> to the element type (so the difference quotient is not
/// skewed by that rounding). The truncation error is <c>O(ε²)</c>; the rounding error of the loss grows like
/// <c>1/ε</c>, which is why <see cref="float"/> needs a much larger <c>ε</c> than <see cref="double"/>.
/// </para>
/// <para>
/// The error of a pair is <c>|a - n| / max(|a|, |n|, floor)</c>: relative where the gradient is large, and
/// absolute (divided by <c>floor</c>) where both values are tiny, so that noise around a zero gradient does not
/// register as a huge relative error. Every parameter is restored to its exact original value, even when the
/// network throws.
/// </para>
/// </remarks>
public static class GradientCheck
{
    /// <summary>
    /// The default <c>ε</c> for <see cref="double"/> networks: near the cube root of the machine epsilon, where
    /// truncation and rounding errors balance. (On linear and softmax-regression models 1e-5 gave errors around
    /// 1e-7, against 1e-6 for <c>ε</c> = 1e-6.)
    /// </summary>
    public const double DefaultDoubleEpsilon = 1e-5;

    /// <summary>
    /// The default <c>ε</c> for <see cref="float"/> networks. The loss itself is rounded to float, so the estimate
    /// is only good to about 1e-2 relative error; check gradients of <see cref="Precision.Double"/> networks when
    /// precision matters.
    /// </summary>
    public const double DefaultSingleEpsilon = 1e-2;

    /// <summary>
    /// The default floor of the error's denominator for <see cref="double"/> networks: gradients below 1e-6 are
    /// compared absolutely, since central differences of a summed loss carry an absolute noise of roughly
    /// <c>1e-16 |L| / ε</c>.
    /// </summary>
    public const double DefaultDoubleFloor = 1e-6;

    /// <summary>The default floor of the error's denominator for <see cref="float"/> networks, matching float's coarser noise.</summary>
    public const double DefaultSingleFloor = 1e-2;

    /// <summary>Checks every parameter of <paramref name="network"/> on one batch.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="network">The network; its parameters are perturbed one at a time and restored exactly.</param>
    /// <param name="inputs">The batch's inputs, <c>n * InputSize</c> values.</param>
    /// <param name="targets">The batch's targets, <c>n * OutputSize</c> values.</param>
    /// <param name="epsilon">
    /// The perturbation <c>ε</c>; positive. Null for <see cref="DefaultDoubleEpsilon"/> or <see cref="DefaultSingleEpsilon"/>.
    /// </param>
    /// <param name="floor">
    /// The smallest denominator of the error; positive. Null for <see cref="DefaultDoubleFloor"/> or <see cref="DefaultSingleFloor"/>.
    /// </param>
    /// <param name="workspace">Scratch memory for the batch; null to create one.</param>
    /// <returns>The largest error of every parameter tensor.</returns>
    public static GradientCheckResult Run<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
        double? epsilon = null, double? floor = null, NetworkWorkspace<T>? workspace = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        bool single = typeof(T) == typeof(float);
        double step = epsilon ?? (single ? DefaultSingleEpsilon : DefaultDoubleEpsilon);
        double errorFloor = floor ?? (single ? DefaultSingleFloor : DefaultDoubleFloor);
        if (!double.IsFinite(step) || step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "'epsilon' must be a positive finite number.");
        }

        if (!double.IsFinite(errorFloor) || errorFloor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, "'floor' must be a positive finite number.");
        }

        if (inputs.IsEmpty || inputs.Length % network.InputSize != 0)
        {
            throw new ArgumentException($"'inputs' has {inputs.Length} values, which is not a positive multiple of the network's {network.InputSize} inputs.", nameof(inputs));
        }

        int batch = inputs.Length / network.InputSize;
        if (targets.Length != batch * network.OutputSize)
        {
            throw new ArgumentException($"'targets' has {targets.Length} values; {batch} samples need {batch * network.OutputSize}.", nameof(targets));
        }

        workspace ??= network.CreateWorkspace(batch);
        var analytic = new T[network.ParameterCount];
        network.ForwardBackward(inputs, targets, analytic, workspace);

        var tensors = new List<TensorGradientCheck>();
        foreach (var tensor in network.Description.Tensors)
        {
            TensorGradientCheck? worst = null;
            for (int k = 0; k < tensor.Length; k++)
            {
                int index = tensor.Offset + k;
                double numeric = CentralDifference(network, inputs, targets, workspace, index, step);
                double exact = double.CreateTruncating(analytic[index]);
                double denominator = Math.Max(Math.Max(Math.Abs(exact), Math.Abs(numeric)), errorFloor);
                double error = Math.Abs(exact - numeric) / denominator;

                // NaN compares false, so test it explicitly: a NaN anywhere must be reported as the worst.
                if (worst is null || double.IsNaN(error) || error > worst.RelativeError)
                {
                    worst = new TensorGradientCheck(tensor.Name, tensor.Offset, k / tensor.Columns, k % tensor.Columns, error, exact, numeric);
                    if (double.IsNaN(error))
                    {
                        break;
                    }
                }
            }

            if (worst is not null)
            {
                tensors.Add(worst);
            }
        }

        return new GradientCheckResult(tensors, step, errorFloor);
    }

    private static double CentralDifference<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, NetworkWorkspace<T> workspace, int index, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T original = network.Parameters[index];
        double originalValue = double.CreateTruncating(original);
        T plus = T.CreateTruncating(originalValue + epsilon);
        T minus = T.CreateTruncating(originalValue - epsilon);
        try
        {
            network.Parameters[index] = plus;
            double lossPlus = double.CreateTruncating(network.ComputeLoss(inputs, targets, workspace));
            network.Parameters[index] = minus;
            double lossMinus = double.CreateTruncating(network.ComputeLoss(inputs, targets, workspace));

            // The steps actually taken, after rounding p ± ε to T; exact in double.
            double width = double.CreateTruncating(plus) - double.CreateTruncating(minus);
            return (lossPlus - lossMinus) / width;
        }
        finally
        {
            network.Parameters[index] = original;
        }
    }
}

/// <summary>The worst disagreement between analytic and numerical gradient within one parameter tensor.</summary>
/// <param name="Name">The tensor's name (<c>W1</c>, <c>b1</c>, ...).</param>
/// <param name="Offset">The tensor's offset in the flat parameter buffer.</param>
/// <param name="Row">The 0-based row of the worst element.</param>
/// <param name="Column">The 0-based column of the worst element.</param>
/// <param name="RelativeError"><c>|analytic - numeric| / max(|analytic|, |numeric|, floor)</c> at that element.</param>
/// <param name="Analytic">The gradient from <see cref="INetwork{T}.ForwardBackward"/>.</param>
/// <param name="Numeric">The central-difference estimate.</param>
public sealed record TensorGradientCheck(string Name, int Offset, int Row, int Column, double RelativeError, double Analytic, double Numeric);

/// <summary>The outcome of <see cref="GradientCheck.Run{T}"/>: the worst element of every parameter tensor.</summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(IReadOnlyList<TensorGradientCheck> tensors, double epsilon, double floor)
    {
        Tensors = tensors;
        Epsilon = epsilon;
        Floor = floor;
        Worst = tensors.Count == 0 ? null : tensors.Aggregate((a, b) => double.IsNaN(a.RelativeError) || a.RelativeError >= b.RelativeError ? a : b);
    }

    /// <summary>The worst element of every parameter tensor, in buffer order.</summary>
    public IReadOnlyList<TensorGradientCheck> Tensors { get; }

    /// <summary>The tensor with the largest error overall; null for a network without parameters.</summary>
    public TensorGradientCheck? Worst { get; }

    /// <summary>The largest error over all parameters (NaN if any comparison was NaN).</summary>
    public double MaxRelativeError => Worst?.RelativeError ?? 0;

    /// <summary>The perturbation used.</summary>
    public double Epsilon { get; }

    /// <summary>The floor of the error's denominator used.</summary>
    public double Floor { get; }

    /// <summary>True when every error is at most <paramref name="tolerance"/> (and none is NaN).</summary>
    public bool IsWithin(double tolerance) => MaxRelativeError <= tolerance;

    /// <summary>A table with one row per tensor: name, worst element, error, both gradient values.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Gradient check (epsilon {Epsilon:G3}, floor {Floor:G3}): max relative error {MaxRelativeError:E2}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"tensor",-10} {"element",-12} {"rel. error",11} {"analytic",15} {"numeric",15}");
        foreach (var tensor in Tensors)
        {
            string element = $"[{tensor.Row},{tensor.Column}]";
            text.AppendLine(CultureInfo.InvariantCulture, $"{tensor.Name,-10} {element,-12} {tensor.RelativeError,11:E2} {tensor.Analytic,15:G8} {tensor.Numeric,15:G8}");
        }

        return text.ToString();
    }
}
