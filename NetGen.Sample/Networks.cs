using NetGen;

namespace NetGen.Sample;

/// <summary>The XOR network of the lecture notes: two sigmoid hidden units, one sigmoid output.</summary>
[Network(Inputs = 2, Loss = Loss.SquaredError)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

/// <summary>A classifier for the 8x8 UCI handwritten digits.</summary>
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(10)]
public partial class DigitsNet;

/// <summary>
/// A multilayer perceptron for Fashion-MNIST (28x28 grey images, 10 classes): 784 -> 256 ReLU -> 128 ReLU -> 10
/// logits, with dropout after each hidden layer while training.
/// </summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dropout(0.1)]
[Dense(10)]
public partial class FashionNet;

/// <summary>
/// A residual network for 28x28 images: 784 -> 256 ReLU -> 256 ReLU, plus a skip connection that adds the first
/// hidden layer's output to the second's, -> 10 logits. The sample trains it on the digits enlarged to 28x28.
/// </summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(256, Activation.ReLU, Name = "h1")]
[Dense(256, Activation.ReLU)]
[Add("h1")]                          // a2 + a1: the skip connection
[Dense(10)]
public partial class ResidualNet;

/// <summary>
/// A network with two named inputs for the digits: the 8x8 image, and its ink profile (the ink of each of the 8 rows
/// and 8 columns), each through its own dense layer, then side by side into the classifier.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input("image", 64)]
[Input("profile", 16)]
[Dense(64, Activation.ReLU, From = "image", Name = "seen")]
[Dense(16, Activation.Tanh, From = "profile", Name = "shape")]
[Concat("seen", "shape")]
[Dense(10)]
public partial class TwoInputDigitsNet;

/// <summary>
/// The playground's network for 2-D problems: two tanh hidden layers of 16 units and one sigmoid output, the
/// probability of class 1, trained with binary cross-entropy.
/// </summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class PlaygroundNet;

/// <summary>
/// A deep MLP with sigmoid hidden units for the vanishing-gradients comparison: 64 inputs, six sigmoid layers of 32
/// units, 10 logits. Each sigmoid multiplies the gradient by at most 0.25 on its way down.
/// </summary>
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(10)]
public partial class DeepSigmoidNet;

/// <summary>The same shape as <see cref="DeepSigmoidNet"/> with ReLU hidden units, whose derivative is 1 where they are active.</summary>
[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(10)]
public partial class DeepReLUNet;
