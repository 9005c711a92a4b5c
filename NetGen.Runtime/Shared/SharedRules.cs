// This file is compiled into both NetGen.Runtime and NetGen.Generator (linked from the generator's
// project), so each rule below exists once: the generator checks and plans with it at build time, the
// runtime validates and computes with it at run time, and the two cannot disagree.
#if NETGEN_GENERATOR
using ActivationKind = NetGen.Generator.Model.ActivationKind;
using LossKind = NetGen.Generator.Model.LossKind;
#else
using ActivationKind = NetGen.Activation;
using LossKind = NetGen.Loss;
#endif

namespace NetGen.Shared;

/// <summary>How a parameter tensor starts (dense weights, a layer norm's gain); biases always start at zero.</summary>
internal enum WeightInitializer
{
    /// <summary>Xavier/Glorot uniform, <c>U(-r, r)</c> with <c>r = sqrt(6 / (fanIn + fanOut))</c>.</summary>
    GlorotUniform,

    /// <summary>He (Kaiming) uniform, <c>U(-r, r)</c> with <c>r = sqrt(6 / fanIn)</c>.</summary>
    HeUniform,

    /// <summary>All ones, drawing nothing: a layer norm's gain, which starts as the identity.</summary>
    Ones,
}

/// <summary>The rules about a network as a whole that the generator and the runtime both apply.</summary>
internal static class NetworkRules
{
    /// <summary>The largest parameter count one network may have (the flat buffer is one array).</summary>
    public const long MaxParameters = 1L << 30;

    /// <summary>The slope of the leaky rectifier for negative inputs.</summary>
    public const double LeakyReLUSlope = 0.01;

    /// <summary>
    /// The initializer of a dense layer's weights, from the activation that follows it: He for the ReLU
    /// family (whose units pass on only half of their input variance), Glorot for the others.
    /// </summary>
    public static WeightInitializer InitializerFor(ActivationKind activation) => activation switch
    {
        ActivationKind.ReLU or ActivationKind.LeakyReLU => WeightInitializer.HeUniform,
        ActivationKind.Identity or ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Softplus or ActivationKind.Softmax
            => WeightInitializer.GlorotUniform,
        _ => throw new System.ArgumentOutOfRangeException(nameof(activation), activation, "Not a known activation."),
    };

    /// <summary>
    /// True when the loss is differentiated together with the output activation, reading the last dense
    /// layer's logits (sigmoid + log loss, softmax + cross-entropy: <c>dL/dz = p - t</c>), which is both
    /// cheaper and numerically stable. The other losses read the network's output.
    /// </summary>
    public static bool ReadsLogits(LossKind loss) => loss switch
    {
        LossKind.SoftmaxCrossEntropy or LossKind.BinaryCrossEntropy => true,
        LossKind.SquaredError or LossKind.MeanSquaredError => false,
        _ => throw new System.ArgumentOutOfRangeException(nameof(loss), loss, "Not a known loss."),
    };

    /// <summary>
    /// The activation that turns the logits into the prediction of a loss that <see cref="ReadsLogits"/>
    /// (softmax, sigmoid); the identity for the others. When the last layer does not apply it (softmax
    /// cross-entropy over identity logits), the graph adds it for <c>Predict</c>.
    /// </summary>
    public static ActivationKind PredictionActivation(LossKind loss) => loss switch
    {
        LossKind.SoftmaxCrossEntropy => ActivationKind.Softmax,
        LossKind.BinaryCrossEntropy => ActivationKind.Sigmoid,
        LossKind.SquaredError or LossKind.MeanSquaredError => ActivationKind.Identity,
        _ => throw new System.ArgumentOutOfRangeException(nameof(loss), loss, "Not a known loss."),
    };

    /// <summary>Why <paramref name="loss"/> cannot train a last layer with <paramref name="lastActivation"/>, or null when it can.</summary>
    public static string? LossOutputMismatch(LossKind loss, ActivationKind lastActivation) => (loss, lastActivation) switch
    {
        (LossKind.SoftmaxCrossEntropy, ActivationKind.Identity or ActivationKind.Softmax) => null,
        (LossKind.SoftmaxCrossEntropy, _) => "SoftmaxCrossEntropy applies the softmax itself, so the last layer must be Identity (logits) or Softmax",
        (LossKind.BinaryCrossEntropy, ActivationKind.Sigmoid) => null,
        (LossKind.BinaryCrossEntropy, _) => "BinaryCrossEntropy is the log loss of a sigmoid output, so the last layer must be Sigmoid",
        (_, ActivationKind.Softmax) => "a Softmax output is trained with SoftmaxCrossEntropy",
        _ => null,
    };

    /// <summary>
    /// True when a softmax (as the output activation or inside the loss) would see a single output, which it
    /// always maps to 1. (Sizes below one are a different mistake, reported on their own.)
    /// </summary>
    public static bool HasTooFewClasses(LossKind loss, ActivationKind lastActivation, int outputs) =>
        outputs == 1 && (loss == LossKind.SoftmaxCrossEntropy || lastActivation == ActivationKind.Softmax);

    /// <summary>
    /// The parameter layout of a dense layer: its weight matrix (<paramref name="units"/> rows of
    /// <paramref name="fanIn"/> columns, row-major) at <paramref name="offset"/>, then its bias vector.
    /// Returns the offset after the layer, which is where the next tensor starts.
    /// </summary>
    public static long DenseLayout(long offset, int fanIn, int units, out long weightsOffset, out long biasOffset)
    {
        weightsOffset = offset;
        biasOffset = offset + ((long)fanIn * units);
        return biasOffset + units;
    }

    /// <summary>
    /// Whether a dense layer of <paramref name="units"/> outputs and <paramref name="fanIn"/> inputs has a vector path
    /// for one sample with vectors of <paramref name="lanes"/> elements (<c>SampleDenseKernels</c>): rows of whole
    /// vectors, or rows that pack whole into vectors the outputs fill. The generator asks it at 128 bits (which every
    /// wider width backs up) to choose the kernel over unrolled scalar statements. Inlined, so that the kernels' choice of
    /// width folds to a constant for constant sizes and the widths not taken are never imported into the caller.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool HasSampleVectorPath(int lanes, int units, int fanIn) =>
        units > 0 && fanIn > 0 && (fanIn % lanes == 0 || (lanes % fanIn == 0 && units % lanes == 0));

    /// <summary>
    /// The parameter layout of a layer normalization over <paramref name="size"/> values: its gain γ
    /// (1 row of <paramref name="size"/>) at <paramref name="offset"/>, then its shift β. Returns the offset
    /// after the layer.
    /// </summary>
    public static long LayerNormLayout(long offset, int size, out long gainOffset, out long biasOffset)
    {
        gainOffset = offset;
        biasOffset = offset + size;
        return biasOffset + size;
    }
}

/// <summary>The dropout keep rule, shared by the generated code's constants and <c>DropoutMask</c>.</summary>
internal static class DropoutRule
{
    /// <summary>True for a rate in [0, 1): the probability of dropping a unit.</summary>
    public static bool IsValidRate(double rate) => rate >= 0 && rate < 1;

    /// <summary>
    /// The keep threshold for <paramref name="rate"/>: a unit is kept when its 32-bit hash is below it
    /// (2^32 for rate 0, so every unit is kept).
    /// </summary>
    public static ulong KeepThreshold(double rate) => (ulong)System.Math.Round((1 - rate) * 4294967296.0);
}
