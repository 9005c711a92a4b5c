using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>Limits the size of gradients before an optimizer step.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Clips <paramref name="gradient"/> by its global L2 norm: when the norm <c>‖g‖</c> exceeds
    /// <paramref name="maxNorm"/>, scales the whole vector so its norm is <paramref name="maxNorm"/>, keeping its
    /// direction; otherwise leaves it unchanged. Vectorized; allocates nothing.
    /// </summary>
    /// <remarks>
    /// The scaling divides by <c>‖g‖ / maxNorm</c> (one exactly rounded division per element), so a gradient
    /// (3, 4) clipped to 1 becomes exactly (0.6, 0.8). Unlike PyTorch's <c>clip_grad_norm_</c>, no 1e-6 is added to
    /// the norm. A gradient whose norm is not finite is left unchanged (the norm is returned so the caller can
    /// detect it).
    /// </remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="gradient">The gradient (all parameters together), clipped in place.</param>
    /// <param name="maxNorm">The largest allowed norm; finite and positive.</param>
    /// <returns>The norm before clipping.</returns>
    public static double ClipByGlobalNorm<T>(Span<T> gradient, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMaxNorm(maxNorm, nameof(maxNorm));
        double norm = double.CreateTruncating(TensorPrimitives.Norm<T>(gradient));
        if (double.IsFinite(norm) && norm > maxNorm)
        {
            TensorPrimitives.Divide(gradient, T.CreateTruncating(norm / maxNorm), gradient);
        }

        return norm;
    }

    /// <summary>Throws unless <paramref name="maxNorm"/> is finite and positive.</summary>
    internal static void CheckMaxNorm(double maxNorm, string name)
    {
        if (!double.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(name, maxNorm, $"'{name}' must be a finite, positive number.");
        }
    }
}
