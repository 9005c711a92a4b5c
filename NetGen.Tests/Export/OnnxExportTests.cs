using System.Reflection;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Export;

/// <summary>
/// Exports every network declared in the tests and the sample, loads the file in ONNX Runtime (an independent
/// implementation of every operator) and compares its outputs with <see cref="INetwork{T}.Predict"/>.
/// </summary>
public class OnnxExportTests
{
    private const int Batch = 5;

    /// <summary>
    /// Largest difference allowed, relative to the largest output of the same sample: a dense layer's rounding error
    /// scales with the magnitude of its terms, not of its (possibly cancelling) result.
    /// </summary>
    private const double Tolerance = 1e-5;

    public static TheoryData<string> DeclaredNetworks()
    {
        var data = new TheoryData<string>();
        foreach (var type in NetworkTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeclaredNetworks))]
    public void OnnxRuntimeComputesWhatPredictComputes(string typeName)
    {
        var type = NetworkTypes().Single(t => t.FullName == typeName);
        var network = (INetwork)Activator.CreateInstance(type, 7)!;
        if (network is INetwork<float> single)
        {
            Compare(single);
        }
        else
        {
            Compare((INetwork<double>)network);
        }
    }

    [Fact]
    public void DeclaredNetworksCoverEveryActivationLossPrecisionAndDropout()
    {
        var descriptions = NetworkTypes().Select(t => ((INetwork)Activator.CreateInstance(t, 0)!).Description).ToList();
        Assert.All(Enum.GetValues<Activation>(), a => Assert.Contains(descriptions, d => d.Layers.Any(l => l.Activation == a)));
        Assert.All(Enum.GetValues<Loss>(), loss => Assert.Contains(descriptions, d => d.Loss == loss));
        Assert.Contains(descriptions, d => d.Precision == Precision.Double);
        Assert.Contains(descriptions, d => d.Layers.Any(l => l.Kind == LayerKind.Dropout));

        // Every kind of layer is exported (a description can hold no other), so every one is checked against ONNX Runtime.
        Assert.All(Enum.GetValues<LayerKind>(), kind => Assert.Contains(descriptions, d => d.Layers.Any(l => l.Kind == kind)));
    }

    [Fact]
    public void ALayerNormIsLayerNormalizationWithItsGainBiasAndEpsilon()
    {
        var network = new NormNetDouble(seed: 1);
        var graph = OnnxExport.BuildGraph(network.Description, (ReadOnlySpan<double>)network.Parameters);
        var node = Assert.Single(graph.Nodes, n => n.OpType == "LayerNormalization");
        Assert.Equal(["a1", "gamma1", "beta1"], node.Inputs);
        Assert.Equal([OnnxAttribute.Int("axis", 1), OnnxAttribute.Float("epsilon", 1e-5f)], node.Attributes);
    }

    [Fact]
    public void TheModelDeclaresItsOpsetNamesAndShapes()
    {
        // The sample's Fashion-MNIST network: ReLU layers, dropout between them, logits for the cross-entropy head.
        var network = new NetGen.Sample.FashionNet(seed: 1);
        using var stream = new MemoryStream();
        OnnxExport.Save(network, stream);
        byte[] bytes = stream.ToArray();

        using var session = new InferenceSession(bytes);
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal(OnnxExport.InputName, input.Key);
        Assert.Equal([-1, NetGen.Sample.FashionNet.InputSize], input.Value.Dimensions);
        Assert.Equal(["batch", ""], input.Value.SymbolicDimensions);
        Assert.Equal(typeof(float), input.Value.ElementType);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal(OnnxExport.OutputName, output.Key);
        Assert.Equal([-1, NetGen.Sample.FashionNet.OutputSize], output.Value.Dimensions);
        Assert.Equal("NetGen", session.ModelMetadata.ProducerName);
        Assert.Equal(nameof(NetGen.Sample.FashionNet), session.ModelMetadata.GraphName);

        // The graph as documented: a Gemm per dense layer, the head's softmax, and no dropout node.
        var graph = OnnxExport.BuildGraph(network.Description, (ReadOnlySpan<float>)network.Parameters);
        int denseLayers = network.Description.Layers.Count(l => l.Kind == LayerKind.Dense);
        Assert.Equal(denseLayers, graph.Nodes.Count(n => n.OpType == "Gemm"));
        Assert.Equal(network.Description.Tensors.Select(t => t.Name), graph.Initializers.Select(i => i.Name));
        Assert.Equal(["Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal("Softmax", graph.Nodes[^1].OpType);
        Assert.Equal(OnnxExport.OutputName, graph.Nodes[^1].Output);
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "Dropout");
        Assert.Equal(network.Parameters.ToArray(), graph.Initializers.SelectMany(i => i.Values));
    }

    [Fact]
    public void TheFileOverloadWritesWhatTheStreamOverloadWrites()
    {
        var network = new G_Sigmoid_SquaredError_Sigmoid_Single(seed: 3);
        string path = Path.Combine(Path.GetTempPath(), $"netgen-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Save(network, path);
            using var stream = new MemoryStream();
            OnnxExport.Save(network, stream);
            Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnknownActivationIsRejectedNamingTheLayer()
    {
        // Rejected by the description, before any switch over activations (the exporter's, the graph's) could meet it.
        var dense = new G_Tanh_SquaredError_Tanh_Single(seed: 0).Description;
        var layers = dense.Layers.ToList();
        layers[2] = layers[2] with { Activation = (Activation)42 };

        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription("Strange", dense.InputSize, dense.Loss, dense.Precision, layers));
        Assert.Equal("Layer 3 has activation 42, which is not an Activation. (Parameter 'layers')", error.Message);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        var network = new G_Tanh_SquaredError_Tanh_Single(seed: 0);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => OnnxExport.Save((INetwork<float>)null!, "x.onnx")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExport.Save(network, "  ")).ParamName);
        using var readOnly = new MemoryStream([], writable: false);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => OnnxExport.Save(network, readOnly)).ParamName);
    }

    /// <summary>Runs <paramref name="network"/>'s ONNX model in ONNX Runtime and compares it with <c>Predict</c>, sample by sample.</summary>
    internal static void Compare<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // Inputs of a realistic spread, positive and negative, from a generator independent of NetGen's.
        var random = new Random(11);
        var inputs = new float[Batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 4 - 2);
        }

        using var stream = new MemoryStream();
        OnnxExport.Save(network, stream);
        using var session = new InferenceSession(stream.ToArray());
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [Batch, network.InputSize]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        var onnx = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(Batch * network.OutputSize, onnx.Length);

        var sampleInput = new T[network.InputSize];
        var expected = new T[network.OutputSize];
        var message = new StringBuilder();
        for (int s = 0; s < Batch; s++)
        {
            for (int i = 0; i < sampleInput.Length; i++)
            {
                sampleInput[i] = T.CreateTruncating(inputs[s * network.InputSize + i]);
            }

            network.Predict(sampleInput, expected);
            double scale = expected.Max(e => Math.Abs(double.CreateTruncating(e)));
            for (int o = 0; o < expected.Length; o++)
            {
                double want = double.CreateTruncating(expected[o]);
                double got = onnx[s * network.OutputSize + o];
                if (!(Math.Abs(got - want) <= Tolerance * Math.Max(scale, 1e-30)))
                {
                    message.AppendLine($"sample {s} output {o}: ONNX Runtime {got:R}, Predict {want:R}");
                }
            }
        }

        Assert.True(message.Length == 0, $"{network.Description.Name}:\n{message}");
    }

    /// <summary>Every network class declared with [Network] in the tests and the sample.</summary>
    private static IEnumerable<Type> NetworkTypes() =>
        new[] { typeof(OnnxExportTests).Assembly, typeof(NetGen.Sample.FashionNet).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetCustomAttribute<NetworkAttribute>() is not null && t.GetConstructor([typeof(int)]) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
}
