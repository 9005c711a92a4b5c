using System.ComponentModel;
using System.Numerics;

namespace NetGen.CompilerServices;

/// <summary>Weight initializers. Generated networks call these from <c>InitializeParameters</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Initializers
{
    /// <summary>
    /// Xavier/Glorot uniform: <c>U(-r, r)</c> with <c>r = sqrt(6 / (fanIn + fanOut))</c>, which keeps the
    /// variance of activations and gradients steady through sigmoid, tanh and linear layers.
    /// </summary>
    public static void GlorotUniform<T>(Span<T> weights, int fanIn, int fanOut, DeterministicRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        Uniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
    }

    /// <summary>
    /// He (Kaiming) uniform: <c>U(-r, r)</c> with <c>r = sqrt(6 / fanIn)</c>, for the ReLU family, whose
    /// units pass on only half of their input variance.
    /// </summary>
    public static void HeUniform<T>(Span<T> weights, int fanIn, DeterministicRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        Uniform(weights, Math.Sqrt(6.0 / fanIn), random);
    }

    /// <summary>Fills <paramref name="values"/> from <c>U(-limit, limit)</c>.</summary>
    public static void Uniform<T>(Span<T> values, double limit, DeterministicRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(random.NextDouble(-limit, limit));
        }
    }
}
