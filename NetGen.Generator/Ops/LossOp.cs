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

    /// <summary>
    /// The op whose value is the prediction when the loss reads the logits (softmax, sigmoid), from the
    /// rule the dynamic graph shares (<see cref="NetworkRules.PredictionActivation"/>); null otherwise.
    /// </summary>
    public Op? PredictionActivation => Activations.For(NetworkRules.PredictionActivation(Kind));

    /// <summary>
    /// The derivative that starts the backward pass, with <paramref name="input"/> the node the loss reads
    /// and <paramref name="prediction"/> the network's prediction: <c>dL/dz2 = p - t</c>.
    /// </summary>
    public abstract string Formula(string input, string prediction);

    /// <summary>
    /// The loss's function in <c>NetGen.CompilerServices.SampleLoss</c>: the one implementation that generated
    /// code, the dynamic graph and the public <c>Losses</c> all run.
    /// </summary>
    public abstract string RuntimeFunction { get; }

    /// <summary>
    /// True when <c>SampleLoss</c> also has this loss over a whole batch of per-sample regions (an overload of
    /// <see cref="RuntimeFunction"/> taking the workspace, its stride and the two offsets) for up to
    /// <see cref="MaxBatchFormOutputs"/> outputs: a network then computes every sample's loss in one call between its
    /// forward and backward passes.
    /// </summary>
    public virtual bool HasBatchForm => false;

    /// <summary>
    /// The most outputs the batch form takes (the runtime's <c>SampleLoss.MaxBatchClasses</c>, which a test keeps equal):
    /// a wider output keeps the loss sample by sample.
    /// </summary>
    public const int MaxBatchFormOutputs = 64;

    /// <summary>The loss itself, as the comment above the call says it.</summary>
    public abstract string Definition(string input);

    /// <summary>Writes the body of <c>SampleLoss</c>: returns the loss and writes its gradient into <c>d{input}</c>.</summary>
    public void EmitSampleLoss(ILossSite site)
    {
        site.Line("// " + Definition(site.Input));
        site.Line("// " + Formula(site.Input, site.Prediction));
        site.Line("return " + site.CompilerService("SampleLoss") + "." + RuntimeFunction + "(" + site.Input + ", t, d" + site.Input + ");");
    }

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

    /// <summary>The fully qualified name of a type in <c>NetGen.CompilerServices</c> (see <see cref="IOpSite.CompilerService"/>).</summary>
    string CompilerService(string type);

    void Line(string text);
}
