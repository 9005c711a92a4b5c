namespace NetGen.Generator.Ops;

/// <summary>
/// An activation that a dense layer's batch kernels apply as they store their results (the product's epilogue): the
/// forward kernel writes <c>a = f(z)</c> beside z, and the input gradient of the layer above writes dL/dz through
/// <c>f'</c> instead of dL/da. The op unit of the activation says whether and how (<see cref="Op.ProductEpilogue"/>).
/// </summary>
/// <param name="Kernels">What the kernels' names end with: <c>Rectified</c> for <c>DenseKernels.ForwardRectified</c> and <c>InputGradientRectified</c>.</param>
/// <param name="Argument">The activation's argument to both kernels, as code: <c>negativeSlope: 0f</c>.</param>
internal sealed record FusedActivation(string Kernels, string Argument)
{
    /// <summary>The rectifier with <paramref name="slope"/> (a literal) below zero.</summary>
    public static FusedActivation Rectifier(string slope) => new("Rectified", "negativeSlope: " + slope);
}

/// <summary>A fused activation as a product's code names it.</summary>
/// <param name="Activation">How the kernels apply it.</param>
/// <param name="Formula">Its step's formula, for the comment: <c>a1 = relu(z1)</c>, or <c>dL/dz1 = z1 &gt; 0 ? dL/da1 : 0</c>.</param>
/// <param name="Values">The batch view the forward kernel writes the activation into (<c>buffer.Slice(A1Offset)</c>), or that
/// the input gradient reads the activation's input from (<c>buffer.Slice(Z1Offset)</c>).</param>
/// <param name="Gradient">The input gradient's output, dL/d(the activation's input) (<c>buffer.Slice(Z1GradientOffset)</c>); empty forward.</param>
internal sealed record FusedActivationSite(FusedActivation Activation, string Formula, string Values, string Gradient);
