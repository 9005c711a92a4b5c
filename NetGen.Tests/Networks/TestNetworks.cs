// Networks for the gradient tests: every hidden activation with every loss it can be trained with,
// in both precisions. Shape 4 -> 5 -> 19 -> 4: layer 1 (20 weights) and the loss are unrolled scalar code,
// layers 2 and 3 (95 and 76 weights) use the Vector<T> kernels, including their scalar remainders.
// The list is produced by the loops in GradientTests.Cases; keep the two in step.
using NetGen;

namespace NetGen.Tests.Networks;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class G_Identity_SquaredError_Identity_Single;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class G_Identity_MeanSquaredError_Identity_Single;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Identity_BinaryCrossEntropy_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class G_Identity_SoftmaxCrossEntropy_Identity_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Softmax)]
public partial class G_Identity_SoftmaxCrossEntropy_Softmax_Single;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Sigmoid_SquaredError_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Sigmoid_MeanSquaredError_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Sigmoid_BinaryCrossEntropy_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Identity)]
public partial class G_Sigmoid_SoftmaxCrossEntropy_Identity_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Softmax)]
public partial class G_Sigmoid_SoftmaxCrossEntropy_Softmax_Single;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
public partial class G_Tanh_SquaredError_Tanh_Single;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
public partial class G_Tanh_MeanSquaredError_Tanh_Single;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Tanh_BinaryCrossEntropy_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Identity)]
public partial class G_Tanh_SoftmaxCrossEntropy_Identity_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class G_Tanh_SoftmaxCrossEntropy_Softmax_Single;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Single)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
public partial class G_ReLU_SquaredError_ReLU_Single;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Single)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
public partial class G_ReLU_MeanSquaredError_ReLU_Single;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.Sigmoid)]
public partial class G_ReLU_BinaryCrossEntropy_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.Identity)]
public partial class G_ReLU_SoftmaxCrossEntropy_Identity_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class G_ReLU_SoftmaxCrossEntropy_Softmax_Single;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Single)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.LeakyReLU)]
public partial class G_LeakyReLU_SquaredError_LeakyReLU_Single;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Single)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.LeakyReLU)]
public partial class G_LeakyReLU_MeanSquaredError_LeakyReLU_Single;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.Sigmoid)]
public partial class G_LeakyReLU_BinaryCrossEntropy_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.Identity)]
public partial class G_LeakyReLU_SoftmaxCrossEntropy_Identity_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.Softmax)]
public partial class G_LeakyReLU_SoftmaxCrossEntropy_Softmax_Single;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
public partial class G_Softplus_SquaredError_Softplus_Single;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Single)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
public partial class G_Softplus_MeanSquaredError_Softplus_Single;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Softplus_BinaryCrossEntropy_Sigmoid_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Identity)]
public partial class G_Softplus_SoftmaxCrossEntropy_Identity_Single;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Single)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Softmax)]
public partial class G_Softplus_SoftmaxCrossEntropy_Softmax_Single;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class G_Identity_SquaredError_Identity_Double;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class G_Identity_MeanSquaredError_Identity_Double;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Identity_BinaryCrossEntropy_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class G_Identity_SoftmaxCrossEntropy_Identity_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Identity)]
[Dense(19, Activation.Identity)]
[Dense(4, Activation.Softmax)]
public partial class G_Identity_SoftmaxCrossEntropy_Softmax_Double;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Sigmoid_SquaredError_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Sigmoid_MeanSquaredError_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Sigmoid_BinaryCrossEntropy_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Identity)]
public partial class G_Sigmoid_SoftmaxCrossEntropy_Identity_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(19, Activation.Sigmoid)]
[Dense(4, Activation.Softmax)]
public partial class G_Sigmoid_SoftmaxCrossEntropy_Softmax_Double;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
public partial class G_Tanh_SquaredError_Tanh_Double;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
public partial class G_Tanh_MeanSquaredError_Tanh_Double;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Tanh_BinaryCrossEntropy_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Identity)]
public partial class G_Tanh_SoftmaxCrossEntropy_Identity_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Tanh)]
[Dense(19, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class G_Tanh_SoftmaxCrossEntropy_Softmax_Double;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
public partial class G_ReLU_SquaredError_ReLU_Double;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.ReLU)]
public partial class G_ReLU_MeanSquaredError_ReLU_Double;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.Sigmoid)]
public partial class G_ReLU_BinaryCrossEntropy_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.Identity)]
public partial class G_ReLU_SoftmaxCrossEntropy_Identity_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.ReLU)]
[Dense(19, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class G_ReLU_SoftmaxCrossEntropy_Softmax_Double;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.LeakyReLU)]
public partial class G_LeakyReLU_SquaredError_LeakyReLU_Double;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.LeakyReLU)]
public partial class G_LeakyReLU_MeanSquaredError_LeakyReLU_Double;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.Sigmoid)]
public partial class G_LeakyReLU_BinaryCrossEntropy_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.Identity)]
public partial class G_LeakyReLU_SoftmaxCrossEntropy_Identity_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.LeakyReLU)]
[Dense(19, Activation.LeakyReLU)]
[Dense(4, Activation.Softmax)]
public partial class G_LeakyReLU_SoftmaxCrossEntropy_Softmax_Double;

[Network(Inputs = 4, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
public partial class G_Softplus_SquaredError_Softplus_Double;

[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
public partial class G_Softplus_MeanSquaredError_Softplus_Double;

[Network(Inputs = 4, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Sigmoid)]
public partial class G_Softplus_BinaryCrossEntropy_Sigmoid_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Identity)]
public partial class G_Softplus_SoftmaxCrossEntropy_Identity_Double;

[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(5, Activation.Softplus)]
[Dense(19, Activation.Softplus)]
[Dense(4, Activation.Softmax)]
public partial class G_Softplus_SoftmaxCrossEntropy_Softmax_Double;

/// <summary>The XOR network of the lecture notes, in both precisions.</summary>
[Network(Inputs = 2, Loss = Loss.SquaredError)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

[Network(Inputs = 2, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNetDouble;

/// <summary>The 2-2-1 network of the notes with a linear output, for the hidden-layer gradient formula.</summary>
[Network(Inputs = 2, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(2, Activation.Sigmoid)]
[Dense(1)]
public partial class NotesNet;

/// <summary>A digits classifier (64 pixels, 10 classes).</summary>
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class DigitsNet;

/// <summary>Dropout between dense layers (and a rate-0 layer), for the dropout gradient tests.</summary>
[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(80, Activation.ReLU)]
[Dropout(0.5)]
[Dense(19, Activation.Tanh)]
[Dropout(0.25)]
[Dense(4)]
public partial class DropoutNetDouble;

/// <summary>The same layers without dropout: the same parameter layout, so gradients compare directly.</summary>
[Network(Inputs = 6, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(80, Activation.ReLU)]
[Dense(19, Activation.Tanh)]
[Dense(4)]
public partial class NoDropoutNetDouble;

/// <summary>Dropout on the input itself (no gradient flows into it) and a zero rate.</summary>
[Network(Inputs = 5, Loss = Loss.SquaredError)]
[Dropout(0.2)]
[Dense(7, Activation.Sigmoid)]
[Dropout(0)]
[Dense(2)]
public partial class InputDropoutNet;

/// <summary>A residual block small enough to unroll: layer 3 adds h1 to the second layer's output.</summary>
[Network(Inputs = 3, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(4, Activation.Tanh, Name = "h1")]
[Dense(4, Activation.Sigmoid)]
[Add("h1")]
[Dense(2)]
public partial class ResidualNetDouble;

/// <summary>A batched residual classifier: a skip over two layers, and a layer that reads the input past its neighbour.</summary>
[Network(Inputs = 20, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(32, Activation.ReLU, Name = "h1")]
[Dense(32, Activation.Tanh)]
[Dropout(0.25)]
[Dense(32, Activation.ReLU, Name = "h3")]
[Add("h1", "h3", Name = "sum")]
[Dense(12, Activation.Sigmoid, Name = "side", From = "h1")]
[Dense(12, Activation.ReLU, From = "sum")]
[Add("side")]
[Dense(5)]
public partial class SkipNetDouble;

/// <summary>The residual block in single precision.</summary>
[Network(Inputs = 3, Loss = Loss.SquaredError)]
[Dense(4, Activation.Tanh, Name = "h1")]
[Dense(4, Activation.Sigmoid)]
[Add("h1")]
[Dense(2)]
public partial class ResidualNet;

/// <summary>A concatenation small enough to unroll: the second layer's outputs, then h1's.</summary>
[Network(Inputs = 3, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(4, Activation.Tanh, Name = "h1")]
[Dense(3, Activation.Sigmoid, Name = "h2")]
[Concat("h2", "h1")]
[Dense(2)]
public partial class ConcatNetDouble;

/// <summary>A batched classifier that concatenates two branches of different widths and a layer with itself.</summary>
[Network(Inputs = 12, Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Dense(24, Activation.ReLU, Name = "trunk")]
[Dense(16, Activation.Tanh, Name = "left")]
[Dense(9, Activation.Sigmoid, Name = "right", From = "trunk")]
[Concat("left", "right", "right", Name = "both")]
[Dense(10, Activation.LeakyReLU)]
[Concat("both")]
[Dense(4)]
public partial class BranchConcatNetDouble;

/// <summary>The batched concatenation in single precision.</summary>
[Network(Inputs = 12, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(24, Activation.ReLU, Name = "trunk")]
[Dense(16, Activation.Tanh, Name = "left")]
[Dense(9, Activation.Sigmoid, Name = "right", From = "trunk")]
[Concat("left", "right", "right", Name = "both")]
[Dense(10, Activation.LeakyReLU)]
[Concat("both")]
[Dense(4)]
public partial class BranchConcatNet;

/// <summary>A gate small enough to unroll: a sigmoid layer scales a tanh layer unit by unit.</summary>
[Network(Inputs = 3, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(4, Activation.Sigmoid, Name = "gate")]
[Dense(4, Activation.Tanh)]
[Multiply("gate")]
[Dense(2)]
public partial class GatedNetDouble;

/// <summary>A batched product of three values, one of them twice (a square: one derivative term per use), then a residual sum.</summary>
[Network(Inputs = 10, Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Dense(20, Activation.Tanh, Name = "h1")]
[Dense(20, Activation.Sigmoid, Name = "gate")]
[Dense(20, Activation.Softplus, From = "h1", Name = "h3")]
[Multiply("h1", "gate", "h3", "h3", Name = "product")]
[Add("product", "h1")]
[Dense(3, Activation.Identity)]
public partial class ProductNetDouble;

/// <summary>The batched product in single precision.</summary>
[Network(Inputs = 10, Loss = Loss.MeanSquaredError)]
[Dense(20, Activation.Tanh, Name = "h1")]
[Dense(20, Activation.Sigmoid, Name = "gate")]
[Dense(20, Activation.Softplus, From = "h1", Name = "h3")]
[Multiply("h1", "gate", "h3", "h3", Name = "product")]
[Add("product", "h1")]
[Dense(3, Activation.Identity)]
public partial class ProductNet;

/// <summary>Two named inputs small enough to unroll: one through a dense layer, both into a concat, the second also gating.</summary>
[Network(Loss = Loss.SquaredError, Precision = Precision.Double)]
[Input("image", 4)]
[Input("meta", 2)]
[Dense(2, Activation.Tanh, From = "image", Name = "seen")]
[Multiply("seen", "meta", Name = "gated")]
[Concat("gated", "meta", "image")]
[Dense(2)]
public partial class TwoInputNetDouble;

/// <summary>Two named inputs through batched dense layers, one of them with dropout on the input itself.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Input("pixels", 30)]
[Input("extra", 5)]
[Dropout(0.2, From = "pixels")]
[Dense(16, Activation.ReLU, Name = "seen")]
[Dense(16, Activation.Tanh, From = "extra")]
[Add("seen")]
[Concat("extra")]
[Dense(3)]
public partial class TwoInputBatchedNetDouble;

/// <summary>The batched two-input network in single precision.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input("pixels", 30)]
[Input("extra", 5)]
[Dropout(0.2, From = "pixels")]
[Dense(16, Activation.ReLU, Name = "seen")]
[Dense(16, Activation.Tanh, From = "extra")]
[Add("seen")]
[Concat("extra")]
[Dense(3)]
public partial class TwoInputBatchedNet;

/// <summary>A layer norm small enough to unroll the layers around it.</summary>
[Network(Inputs = 3, Loss = Loss.SquaredError, Precision = Precision.Double)]
[Dense(4, Activation.Tanh)]
[LayerNorm]
[Dense(2)]
public partial class NormNetDouble;

/// <summary>A pre-norm residual block over a batched layer, and a layer norm of a named input.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Precision = Precision.Double)]
[Input("features", 12)]
[Input("context", 5)]
[LayerNorm(From = "context", Name = "contextNorm")]
[Dense(24, Activation.ReLU, From = "features", Name = "h1")]
[LayerNorm(Name = "norm")]
[Dense(24, Activation.Tanh)]
[Add("h1")]
[Concat("contextNorm")]
[Dense(4)]
public partial class PreNormNetDouble;

/// <summary>The pre-norm network in single precision.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input("features", 12)]
[Input("context", 5)]
[LayerNorm(From = "context", Name = "contextNorm")]
[Dense(24, Activation.ReLU, From = "features", Name = "h1")]
[LayerNorm(Name = "norm")]
[Dense(24, Activation.Tanh)]
[Add("h1")]
[Concat("contextNorm")]
[Dense(4)]
public partial class PreNormNet;

/// <summary>
/// W2's shape (4-16-3, tanh, softmax cross-entropy on the logits): small enough to run sample by sample, with rows that
/// fill vectors (one <c>SampleDenseKernels</c> call per product, the tanh kernel) and the loss over the batch.
/// </summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(3)]
public partial class SmallTanhClassifier;
