using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Ops;

/// <summary>
/// The loss of a network as one unit: how it attaches to the graph (whether it reads the logits, fused
/// with the output activation), its derivative formula, and the code of one sample's loss and gradient.
/// </summary>
internal abstract record LossOp
{
    /// <summary>The loss as the <c>NetGen.Loss</c> enum names it.</summary>
    public abstract LossKind Kind { get; }

    /// <summary>
    /// True when the loss differentiates the last dense layer's logits together with the output
    /// activation (see <see cref="NetworkRules.ReadsLogits"/>, the rule the dynamic graph applies too).
    /// </summary>
    public bool ReadsLogits => NetworkRules.ReadsLogits(Kind);

    /// <summary>The activation whose value is the prediction when the loss reads the logits; null otherwise.</summary>
    public abstract Op? PredictionActivation { get; }

    /// <summary>
    /// The derivative that starts the backward pass, with <paramref name="input"/> the node the loss reads
    /// and <paramref name="prediction"/> the network's prediction: <c>dL/dz2 = p - t</c>.
    /// </summary>
    public abstract string Formula(string input, string prediction);

    /// <summary>Writes the body of <c>SampleLoss</c>: adds the loss to <c>loss</c> and writes its gradient into <c>d{input}</c>.</summary>
    public abstract void EmitSampleLoss(ILossSite site);

    /// <summary>The loss unit of <paramref name="kind"/>.</summary>
    public static LossOp For(LossKind kind) => kind switch
    {
        LossKind.SquaredError => SquaredErrorLoss.Instance,
        LossKind.MeanSquaredError => MeanSquaredErrorLoss.Instance,
        LossKind.BinaryCrossEntropy => BinaryCrossEntropyLoss.Instance,
        LossKind.SoftmaxCrossEntropy => SoftmaxCrossEntropyLoss.Instance,
        _ => throw new GeneratorBugException("no loss unit for " + kind),
    };
}

/// <summary>A loss unit's view of <c>SampleLoss</c>: names, size and where to write.</summary>
internal interface ILossSite
{
    /// <summary>The value the loss reads (the output, or the logits).</summary>
    string Input { get; }

    /// <summary>The prediction (the same value unless the loss reads the logits).</summary>
    string Prediction { get; }

    /// <summary>Outputs per sample.</summary>
    int Size { get; }

    string ElementType { get; }

    Notation Notation { get; }

    /// <summary>The fully qualified name of a runtime type generated code calls.</summary>
    string Runtime(string type);

    void Line(string text);

    System.IDisposable Block(string header);
}
