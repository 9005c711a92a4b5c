using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Generator;

/// <summary>
/// The generated source of representative networks, compared with committed snapshots in
/// Snapshots/*.verified.cs. A change to the emitter shows up here as a readable diff.
/// </summary>
public class SnapshotTests
{
    [Fact]
    public void Xor() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 2, Loss = Loss.SquaredError)]
        [Dense(2, Activation.Sigmoid)]
        [Dense(1, Activation.Sigmoid)]
        public partial class XorNet;
        """, "XorNet.g.cs"), "XorNet");

    [Fact]
    public void Digits() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(64, Activation.ReLU)]
        [Dense(10)]
        public partial class DigitsNet;
        """, "DigitsNet.g.cs"), "DigitsNet");

    [Fact]
    public void SmallClassifierRunSampleBySample() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(16, Activation.Tanh)]
        [Dense(3)]
        public partial class IrisNet;
        """, "IrisNet.g.cs"), "IrisNet");

    [Fact]
    public void DoublePrecisionBinaryClassifierInTheGlobalNamespace() => Snapshot.Match(Generate("""
        using NetGen;

        [Network(Inputs = 30, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
        [Dense(16, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class CancerNet;
        """, "CancerNet.g.cs"), "CancerNet");

    [Fact]
    public void DropoutBetweenDenseLayers() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 16, Loss = Loss.SoftmaxCrossEntropy)]
        [Dropout(0.2)]
        [Dense(32, Activation.ReLU)]
        [Dropout(0.5)]
        [Dense(3, Activation.Softmax)]
        public partial class RegularizedNet;
        """, "RegularizedNet.g.cs"), "RegularizedNet");

    [Fact]
    public void ResidualConnection() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 3, Loss = Loss.SquaredError)]
        [Dense(4, Activation.Tanh, Name = "h1")]
        [Dense(4, Activation.Sigmoid)]
        [Add("h1")]                      // s1 = a2 + a1: the skip connection
        [Dense(2)]
        public partial class ResidualNet;
        """, "ResidualNet.g.cs"), "ResidualNet");

    [Fact]
    public void Concatenation() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 3, Loss = Loss.SquaredError)]
        [Dense(2, Activation.Tanh, Name = "h1")]
        [Dense(2, Activation.Sigmoid)]
        [Concat("h1")]                   // c1 = [a2 | a1]: both layers side by side
        [Dense(1)]
        public partial class ConcatNet;
        """, "ConcatNet.g.cs"), "ConcatNet");

    [Fact]
    public void ElementwiseProduct() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 3, Loss = Loss.SquaredError)]
        [Dense(2, Activation.Sigmoid, Name = "gate")]
        [Dense(2, Activation.Tanh, From = "gate")]
        [Multiply("gate")]               // m1 = a2 ⊙ a1: the gate scales each unit
        [Dense(1)]
        public partial class GatedNet;
        """, "GatedNet.g.cs"), "GatedNet");

    [Fact]
    public void TwoNamedInputs() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Loss = Loss.SquaredError)]
        [Input("image", 3)]              // x1 = x[0..3)
        [Input("meta", 2)]               // x2 = x[3..5)
        [Dense(2, Activation.Tanh, From = "image", Name = "seen")]
        [Concat("seen", "meta")]         // c1 = [a1 | x2]
        [Dense(1)]
        public partial class TwoInputNet;
        """, "TwoInputNet.g.cs"), "TwoInputNet");

    [Fact]
    public void LayerNormalization() => Snapshot.Match(Generate("""
        using NetGen;

        namespace Demo;

        [Network(Inputs = 3, Loss = Loss.SquaredError)]
        [Dense(3, Activation.Tanh)]
        [LayerNorm]                      // n1 = gamma1 ⊙ x̂ + beta1, x̂ = (a1 - μ) / √(σ² + ε)
        [Dense(1)]
        public partial class NormNet;
        """, "NormNet.g.cs"), "NormNet");

    private static string Generate(string source, string hintName)
    {
        var result = GeneratorHarness.Run(source);
        result.AssertNoExceptions();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        return result.Source(hintName);
    }
}
