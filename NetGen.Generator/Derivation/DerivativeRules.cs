using NetGen.Generator.Graph;
using NetGen.Generator.Model;

namespace NetGen.Generator.Derivation;

/// <summary>The derivative rules the deriver applies, one per operation (and per fused loss).</summary>
internal enum RuleKind
{
    SquaredErrorLoss,
    MeanSquaredErrorLoss,
    SoftmaxCrossEntropyLoss,
    BinaryCrossEntropyLoss,
    Sigmoid,
    Tanh,
    ReLU,
    LeakyReLU,
    Softplus,
    Dropout,
    LinearBias,
    LinearWeights,
    LinearInput,
}

/// <summary>
/// The chain rule, one entry per operation, as data: which rule differentiates a node, and the
/// formula it implements. The emitter prints the formula as the comment on the code it writes
/// for the rule, substituting the names of the values involved:
/// <c>{z}</c> the node's input (pre-activation), <c>{a}</c> the node's output, <c>{in}</c> a linear
/// node's input, <c>{W}</c> and <c>{b}</c> its parameters.
/// </summary>
internal static class DerivativeRules
{
    public static string Formula(RuleKind rule) => rule switch
    {
        RuleKind.SquaredErrorLoss => "dL/d{a} = {a} - t            (L = 1/2 Σ ({a} - t)²)",
        RuleKind.MeanSquaredErrorLoss => "dL/d{a} = 2 ({a} - t) / n      (L = 1/n Σ ({a} - t)²)",
        RuleKind.SoftmaxCrossEntropyLoss => "dL/d{z} = p Σt - t            (softmax and cross-entropy fused: p - t for one-hot t)",
        RuleKind.BinaryCrossEntropyLoss => "dL/d{z} = {a} - t             (sigmoid and log loss fused)",
        RuleKind.Sigmoid => "dL/d{z} = dL/d{a} * {a} * (1 - {a})",
        RuleKind.Tanh => "dL/d{z} = dL/d{a} * (1 - {a}²)",
        RuleKind.ReLU => "dL/d{z} = dL/d{a} * ({z} > 0 ? 1 : 0)",
        RuleKind.LeakyReLU => "dL/d{z} = dL/d{a} * ({z} > 0 ? 1 : 0.01)",
        RuleKind.Softplus => "dL/d{z} = dL/d{a} * sigmoid({z})",
        RuleKind.Dropout => "dL/d{z} = dL/d{a} * {a}Mask      (the forward pass's mask: 1 / (1 - rate) where kept, else 0)",
        RuleKind.LinearBias => "dL/d{b} += dL/d{z}",
        RuleKind.LinearWeights => "dL/d{W} += dL/d{z} · {in}ᵀ",
        RuleKind.LinearInput => "dL/d{in} = {W}ᵀ · dL/d{z}",
        _ => string.Empty,
    };

    /// <summary>The rule that takes an activation's output gradient to its input gradient.</summary>
    public static RuleKind ForActivation(ActivationKind activation) => activation switch
    {
        ActivationKind.Sigmoid => RuleKind.Sigmoid,
        ActivationKind.Tanh => RuleKind.Tanh,
        ActivationKind.ReLU => RuleKind.ReLU,
        ActivationKind.LeakyReLU => RuleKind.LeakyReLU,
        ActivationKind.Softplus => RuleKind.Softplus,
        // Softmax only ever appears fused with cross-entropy (the parser enforces it), and the
        // identity has no node; reaching here is a bug in the graph builder.
        _ => throw new System.ArgumentOutOfRangeException(nameof(activation), activation, "No stand-alone derivative rule."),
    };

    /// <summary>The rule that starts the backward pass at the loss.</summary>
    public static RuleKind ForLoss(LossKind loss) => loss switch
    {
        LossKind.SquaredError => RuleKind.SquaredErrorLoss,
        LossKind.MeanSquaredError => RuleKind.MeanSquaredErrorLoss,
        LossKind.BinaryCrossEntropy => RuleKind.BinaryCrossEntropyLoss,
        _ => RuleKind.SoftmaxCrossEntropyLoss,
    };
}
