using NetGen;

namespace NetGen.Benchmarks;

// The benchmark workloads, fixed in one place so every figure is comparable.

/// <summary>W1: the XOR network of the lecture notes, 2-2-1 sigmoid/sigmoid, squared error.</summary>
[Network(Inputs = 2, Loss = Loss.SquaredError)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class W1Xor;

/// <summary>W2: 4-16-3 tanh, softmax cross-entropy.</summary>
[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(3)]
public partial class W2Small;

/// <summary>W3: 784-128-10 ReLU, softmax cross-entropy.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class W3Mnist;

/// <summary>W4: 784-512-512-512-10 ReLU, softmax cross-entropy.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(512, Activation.ReLU)]
[Dense(512, Activation.ReLU)]
[Dense(512, Activation.ReLU)]
[Dense(10)]
public partial class W4Deep;

/// <summary>The Fashion-MNIST race's network (`race`): the sample's FashionNet, 784-256-128-10 ReLU with dropout 0.2 and 0.1.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dropout(0.1)]
[Dense(10)]
public partial class FashionRaceNet;
