using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>The op unit of each <c>NetGen.Activation</c>.</summary>
internal static class Activations
{
    /// <summary>The op that applies <paramref name="activation"/>, or null for the identity (no node at all).</summary>
    public static Op? For(ActivationKind activation) => activation switch
    {
        ActivationKind.Identity => null,
        ActivationKind.Sigmoid => SigmoidOp.Instance,
        ActivationKind.Tanh => TanhOp.Instance,
        ActivationKind.ReLU => ReLUOp.Instance,
        ActivationKind.LeakyReLU => LeakyReLUOp.Instance,
        ActivationKind.Softplus => SoftplusOp.Instance,
        ActivationKind.Softmax => SoftmaxOp.Instance,
        _ => throw new GeneratorBugException("no op unit for activation " + activation),
    };
}
