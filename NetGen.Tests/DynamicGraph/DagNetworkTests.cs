using NetGen.Graph;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// Networks that are DAGs, described by hand (<see cref="LayerDescription.Inputs"/>): a residual MLP trains, the
/// add, multiply, concat and layer-norm layers pass the gradient check, persistence tells wirings apart, and a
/// description that does not wire up is rejected with the layer it is about.
/// </summary>
public class DagNetworkTests
{
    [Fact]
    public void ResidualMlpWithASkipConnectionTrains()
    {
        // 784-256-256(+skip)-10: layer 3 adds layer 1's output to layer 2's, layer 4 reads the sum.
        var description = Describe("Residual", 784, Loss.SoftmaxCrossEntropy, Precision.Single,
            Dense(1, 784, 256, Activation.ReLU, null),
            Dense(2, 256, 256, Activation.ReLU, null),
            Merge(3, LayerKind.Add, 256, [1, 2]),
            Dense(4, 256, 10, Activation.Identity, [3]));
        var net = new DynamicNetwork<float>(description, seed: 3);
        var data = TeacherData(samples: 384, features: 784, classes: 10, seed: 5);

        double before = Evaluation.Evaluate(net, data).Loss;
        using var trainer = new Trainer<float>(net, new Adam<float>(learningRate: 1e-3), batchSize: 32, seed: 1);
        trainer.Fit(data, epochs: 12);
        var after = Evaluation.Evaluate(net, data);

        Assert.True(after.Loss < before / 4, $"loss {before} -> {after.Loss}");
        Assert.True(after.Accuracy >= 0.8, $"training accuracy {after.Accuracy} (loss {after.Loss})");
    }

    [Fact]
    public void EveryMergeAndLayerNormPassesTheGradientCheck()
    {
        var description = Describe("Wired", 6, Loss.SoftmaxCrossEntropy, Precision.Double,
            Dense(1, 6, 5, Activation.Tanh, null),
            Norm(2, 5, [1]),
            Dense(3, 5, 5, Activation.Sigmoid, [2]),
            Merge(4, LayerKind.Multiply, 5, [1, 3]),
            Merge(5, LayerKind.Add, 5, [2, 4]),
            Merge(6, LayerKind.Concat, 11, [5, 0]),
            Dense(7, 11, 3, Activation.Identity, [6]));
        var net = new DynamicNetwork<double>(description, seed: 9);
        var random = new DeterministicRandom(4);
        foreach (var tensor in description.Tensors)
        {
            // gains and biases away from their starting values, so every term of the derivative matters
            var view = tensor.Slice(net.Parameters);
            for (int i = 0; i < view.Length; i++)
            {
                view[i] += random.NextDouble(-0.3, 0.3);
            }
        }

        var inputs = Enumerable.Range(0, 4 * 6).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var targets = new double[4 * 3];
        for (int s = 0; s < 4; s++)
        {
            targets[(s * 3) + (s % 3)] = 1;
        }

        var result = GradientCheck.Run(net, inputs, targets);
        Assert.True(result.IsWithin(1e-6), result.ToString());
        Assert.Contains(result.Tensors, t => t.Name == "gamma2");
    }

    [Fact]
    public void TheWiringIsPartOfTheArchitectureAModelFileChecks()
    {
        var residual = Describe("Net", 4, Loss.SquaredError, Precision.Double,
            Dense(1, 4, 4, Activation.Tanh, null),
            Dense(2, 4, 4, Activation.Tanh, null),
            Merge(3, LayerKind.Add, 4, [1, 2]));
        var other = Describe("Net", 4, Loss.SquaredError, Precision.Double,
            Dense(1, 4, 4, Activation.Tanh, null),
            Dense(2, 4, 4, Activation.Tanh, null),
            Merge(3, LayerKind.Add, 4, [0, 2]));
        Assert.Contains("Add 4->4 Identity from 1,2", ModelFile.DescribeArchitecture(residual), StringComparison.Ordinal);
        Assert.DoesNotContain("from", ModelFile.DescribeArchitecture(Describe("Chain", 4, Loss.SquaredError, Precision.Double, Dense(1, 4, 4, Activation.Tanh, null))), StringComparison.Ordinal);

        string path = Path.Combine(Path.GetTempPath(), $"netgen-dag-{Guid.NewGuid():N}.ngparams");
        try
        {
            var saved = new DynamicNetwork<double>(residual, seed: 1);
            ModelFile.Save(saved, path);
            var loaded = new DynamicNetwork<double>(residual, seed: 2);
            ModelFile.Load(loaded, path);
            Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
            Assert.Throws<ModelFileException>(() => ModelFile.Load(new DynamicNetwork<double>(other, seed: 2), path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DescriptionsThatDoNotWireUpAreRejectedNamingTheLayer()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => Describe("Bad", 4, Loss.SquaredError, Precision.Double,
            Dense(1, 4, 3, Activation.Tanh, null),
            Merge(2, LayerKind.Add, 3, [0, 1])));
        Assert.Contains("Layer 2 (Add) combines element by element values of sizes 4, 3", mismatch.Message, StringComparison.Ordinal);

        var forward = Assert.Throws<ArgumentException>(() => Describe("Bad", 4, Loss.SquaredError, Precision.Double,
            Dense(1, 4, 4, Activation.Tanh, [2]),
            Dense(2, 4, 4, Activation.Tanh, null)));
        Assert.Contains("Layer 1 reads layer 2, which is not before it", forward.Message, StringComparison.Ordinal);

        var unread = Assert.Throws<ArgumentException>(() => Describe("Bad", 4, Loss.SquaredError, Precision.Double,
            Dense(1, 4, 4, Activation.Tanh, null),
            Dense(2, 4, 4, Activation.Tanh, [0])));
        Assert.Contains("No layer reads the output of layer 1", unread.Message, StringComparison.Ordinal);
    }

    private static int _offset;

    /// <summary>Builds a description whose tensors tile the buffer in layer order (offsets are assigned here).</summary>
    private static NetworkDescription Describe(string name, int inputs, Loss loss, Precision precision, params Func<LayerDescription>[] layers)
    {
        _offset = 0;
        return new NetworkDescription(name, inputs, loss, precision, layers.Select(l => l()).ToList());
    }

    private static Func<LayerDescription> Dense(int index, int inputs, int units, Activation activation, int[]? from) => () =>
    {
        var w = new ParameterTensor("W" + index, _offset, units, inputs);
        _offset += w.Length;
        var b = new ParameterTensor("b" + index, _offset, 1, units);
        _offset += b.Length;
        return new LayerDescription(index, LayerKind.Dense, inputs, units, activation, w, b, 0, from);
    };

    private static Func<LayerDescription> Norm(int index, int size, int[] from) => () =>
    {
        var gain = new ParameterTensor("gamma" + index, _offset, 1, size);
        _offset += size;
        var bias = new ParameterTensor("beta" + index, _offset, 1, size);
        _offset += size;
        return new LayerDescription(index, LayerKind.LayerNorm, size, size, Activation.Identity, gain, bias, 0, from);
    };

    private static Func<LayerDescription> Merge(int index, LayerKind kind, int size, int[] from) =>
        () => new LayerDescription(index, kind, size, size, Activation.Identity, null, null, 0, from);

    /// <summary>Inputs in [0, 1) labeled by the largest output of a fixed random linear map: learnable, not trivial.</summary>
    private static Dataset<float> TeacherData(int samples, int features, int classes, int seed)
    {
        var random = new DeterministicRandom(seed);
        var teacher = Enumerable.Range(0, classes * features).Select(_ => random.NextDouble(-1, 1)).ToArray();
        var x = new float[samples * features];
        var labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            for (int f = 0; f < features; f++)
            {
                x[(s * features) + f] = (float)random.NextDouble();
            }

            double best = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double score = 0;
                for (int f = 0; f < features; f++)
                {
                    score += teacher[(c * features) + f] * x[(s * features) + f];
                }

                if (score > best)
                {
                    best = score;
                    labels[s] = c;
                }
            }
        }

        return Dataset<float>.FromLabels(x, features, labels, classes);
    }
}
