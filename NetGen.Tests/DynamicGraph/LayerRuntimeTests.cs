using NetGen.Graph;
using NetGen.Layers;
using NetGen.Tests.Export;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// The runtime's per-kind classes (<c>NetGen.Runtime/Layers</c>): every <see cref="LayerKind"/> has one, and one
/// network holding every kind goes through the description's checks, the dynamic graph and ONNX export, each of them
/// asking the kind's class.
/// </summary>
public class LayerRuntimeTests
{
    [Fact]
    public void EveryLayerKindHasItsClass()
    {
        var kinds = Enum.GetValues<LayerKind>();
        Assert.Equal(kinds, kinds.Select(k => LayerRuntime.For(k).Kind));
        Assert.Equal(kinds.Length, kinds.Select(LayerRuntime.For).Distinct().Count());
        Assert.Equal([LayerKind.Add, LayerKind.Multiply, LayerKind.Concat], kinds.Where(k => LayerRuntime.For(k).Merges));
    }

    /// <summary>
    /// Two named inputs a (3 values) and b (2); z3 = tanh(W3 · a + b3) (2 units); dropout; layer norm; s6 = n5 + b;
    /// m7 = s6 ⊙ z3-activation; c8 = [m7 | a]; the output z9 = W9 · c8 + b9. Its kinds are all the kinds there are.
    /// </summary>
    private static NetworkDescription EveryKind() => new("EveryKind", 5, Loss.SquaredError, Precision.Single,
    [
        new(1, LayerKind.Input, 5, 3, Activation.Identity, null, null, 0, [0], "a"),
        new(2, LayerKind.Input, 5, 2, Activation.Identity, null, null, 0, [0], "b"),
        new(3, LayerKind.Dense, 3, 2, Activation.Tanh, new("W1", 0, 2, 3), new("b1", 6, 1, 2), 0, [1]),
        new(4, LayerKind.Dropout, 2, 2, Activation.Identity, null, null, 0.5, [3]),
        new(5, LayerKind.LayerNorm, 2, 2, Activation.Identity, new("gamma1", 8, 1, 2), new("beta1", 10, 1, 2), 0, [4]),
        new(6, LayerKind.Add, 2, 2, Activation.Identity, null, null, 0, [5, 2]),
        new(7, LayerKind.Multiply, 2, 2, Activation.Identity, null, null, 0, [6, 3]),
        new(8, LayerKind.Concat, 5, 5, Activation.Identity, null, null, 0, [7, 1]),
        new(9, LayerKind.Dense, 5, 1, Activation.Identity, new("W2", 12, 1, 5), new("b2", 17, 1, 1), 0, [8]),
    ]);

    [Fact]
    public void ANetworkOfEveryKindBuildsItsDynamicGraph()
    {
        var description = EveryKind();
        Assert.Equal(Enum.GetValues<LayerKind>().Order(), description.Layers.Select(l => l.Kind).Distinct().Order());
        Assert.Equal(18, description.ParameterCount);

        // The nodes each kind's class adds, in order, named as the generated code names its values.
        var graph = NetworkGraph<double>.Build(description, batchCapacity: 4);
        Assert.Equal(
            ["x", "t", "x1", "x2", "W1", "b1", "z3", "a3", "d4", "gamma1", "beta1", "n5", "s6", "m7", "c8", "W2", "b2", "z9", "L"],
            graph.Graph.Nodes.Select(n => n.Name));
        Assert.Equal(
            [Operation.Input, Operation.Input, Operation.Slice, Operation.Slice, Operation.Parameter, Operation.Parameter, Operation.Linear,
             Operation.Tanh, Operation.Dropout, Operation.Parameter, Operation.Parameter, Operation.LayerNorm, Operation.Add,
             Operation.Multiply, Operation.Concat, Operation.Parameter, Operation.Parameter, Operation.Linear, Operation.SquaredError],
            graph.Graph.Nodes.Select(n => n.Operation));
        Assert.Equal(["W1", "b1", "gamma1", "beta1", "W2", "b2"], graph.ParameterNodes.Select(n => n.Name));
        Assert.Same(graph.Graph.Nodes[17], graph.Prediction);
    }

    [Fact]
    public void ANetworkOfEveryKindDescribesItsArchitectureForModelFiles()
    {
        // The text model files hash (its format is the file format's): written out by hand from ModelFile's documented
        // form; the hash is Python's hashlib.sha256 of that text. Each kind's class says what follows its sizes (the
        // activation, or a dropout layer's rate).
        const string expected = "inputs 5; Input 5->3 Identity from 0; Input 5->2 Identity from 0; Dense 3->2 Tanh W1[2x3]@0 b1[1x2]@6 from 1; "
            + "Dropout 2->2 rate 0.5 from 3; LayerNorm 2->2 Identity gamma1[1x2]@8 beta1[1x2]@10 from 4; Add 2->2 Identity from 5,2; "
            + "Multiply 2->2 Identity from 6,3; Concat 5->5 Identity from 7,1; Dense 5->1 Identity W2[1x5]@12 b2[1x1]@17 from 8; loss SquaredError; precision Single";

        Assert.Equal(expected, ModelFile.DescribeArchitecture(EveryKind()));
        Assert.Equal("09DBB30C93C8540AFBDFE62CC2DA631A7B031180110631A4B04A7DA6693FCD4C", Convert.ToHexString(ModelFile.ArchitectureHash(EveryKind())));
    }

    [Fact]
    public void ANetworkOfEveryKindInitializesLikeGeneratedCode()
    {
        // Glorot uniform for the tanh and identity layers' weights (drawn in layer order), gains 1, biases 0.
        var network = new DynamicNetwork<double>(EveryKind(), seed: 5);
        var random = new DeterministicRandom(5);
        var expected = new double[18];
        NetGen.CompilerServices.Initializers.GlorotUniform(expected.AsSpan(0, 6), 3, 2, random);
        expected[8] = expected[9] = 1;
        NetGen.CompilerServices.Initializers.GlorotUniform(expected.AsSpan(12, 5), 5, 1, random);
        Assert.Equal(expected, network.Parameters.ToArray());
    }

    [Fact]
    public void ANetworkOfEveryKindExportsToOnnxAndOnnxRuntimeAgreesWithTheDynamicGraph()
    {
        var description = EveryKind();
        var model = OnnxExport.BuildGraph(description, new float[description.ParameterCount]);
        Assert.Equal(
            ["Slice", "Slice", "Gemm", "Tanh", "LayerNormalization", "Add", "Mul", "Concat", "Gemm"],
            model.Nodes.Select(n => n.OpType));
        Assert.Equal(["x1", "x2", "z3", "a3", "n5", "add6_1_out", "mul7_1_out", "c8", OnnxExport.OutputName], model.Nodes.Select(n => n.Output));
        Assert.Equal(["n5", "x2"], model.Nodes[5].Inputs);
        Assert.Equal(["add6_1_out", "a3"], model.Nodes[6].Inputs);
        Assert.Equal(["mul7_1_out", "x1"], model.Nodes[7].Inputs);

        // Values: ONNX Runtime against the dynamic graph's Predict, with gains and biases away from their start.
        var network = new DynamicNetwork<float>(description, seed: 3);
        var random = new Random(3);
        for (int i = 6; i < 12; i++)
        {
            network.Parameters[i] = (float)(0.5 + random.NextDouble());
        }

        network.Parameters[17] = 0.25f;
        OnnxExportTests.Compare(network);
    }
}
