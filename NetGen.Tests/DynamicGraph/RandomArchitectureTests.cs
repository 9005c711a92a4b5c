using System.Globalization;
using System.Text;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// Random architectures compiled through the generator at test time: for each, the generated gradient against the
/// dynamic graph's, and (double) against five-point differences (≤ 1e-6).
/// </summary>
public class RandomArchitectureTests(ITestOutputHelper output)
{
    private const int Count = 320;
    private const int PerCompilation = 64;
    private const int Seed = 2026;

    /// <summary>The activations of hidden layers (Softmax only ends a network).</summary>
    internal static readonly Activation[] Hidden =
        [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU, Activation.Softplus];

    private static readonly Lazy<bool> GeneratorSupportsDropout = new(ProbeDropout);

    [Fact]
    public void GeneratedGradientsMatchDynamicGraphAndCentralDifferences()
    {
        bool dropout = GeneratorSupportsDropout.Value;
        var cases = PropertyTesting.Sample(Count, Seed, g => Architecture.Draw(g, dropout));

        // Coverage of the sample: every activation (hidden and last), every loss, both precisions, depth 1-5.
        foreach (var activation in Enum.GetValues<Activation>())
        {
            Assert.Contains(cases, c => c.Value.Layers.Any(l => l.Activation == activation));
        }

        foreach (var loss in Enum.GetValues<Loss>())
        {
            Assert.Contains(cases, c => c.Value.Loss == loss && c.Value.Double);
            Assert.Contains(cases, c => c.Value.Loss == loss && !c.Value.Double);
        }

        Assert.Equal(5, cases.Max(c => c.Value.Layers.Count(l => l.Units > 0)));
        Assert.Contains(cases, c => c.Value.Layers.Any(l => l.Units > 200));

        var stats = new GeneratedNetworkCheck.Stats();
        GeneratedNetworkCheck.CompileAndCheckAll(cases, PerCompilation, architecture => architecture.Source, (assembly, architecture) =>
        {
            var type = assembly.GetType("RandomNets." + architecture.Name, throwOnError: true)!;
            var net = (INetwork)Activator.CreateInstance(type, architecture.Index)!;
            Assert.Equal(architecture.Layers.Count, net.Description.Layers.Count);
            GeneratedNetworkCheck.Check(net, architecture.Index, architecture.Name, stats);
        }, output);

        output.WriteLine($"dropout layers in random networks: {(dropout ? "yes (the generator supports [Dropout])" : "no (the generator does not support [Dropout] yet)")}");
        stats.Report(output);
        Assert.Equal(Count, stats.Networks);
    }

    private static bool ProbeDropout()
    {
        const string probe = """
            using NetGen;
            namespace Probe;
            [Network(Inputs = 3, Loss = Loss.SquaredError, Precision = Precision.Double)]
            [Dense(4, Activation.Tanh)]
            [Dropout(0.5)]
            [Dense(2)]
            public partial class DropoutProbe;
            """;
        try
        {
            var assembly = GeneratorHarness.CompileAndLoad(probe);
            var net = (INetwork)Activator.CreateInstance(assembly.GetType("Probe.DropoutProbe", throwOnError: true)!, 0)!;
            return net.Description.Layers.Any(l => l.Kind == LayerKind.Dropout);
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    /// <summary>A random network: its layers (Units 0 for a dropout layer) and its C# declaration.</summary>
    internal sealed record Architecture(int Index, int Inputs, Loss Loss, bool Double, IReadOnlyList<(int Units, Activation Activation, double Rate)> Layers)
    {
        public string Name => "R" + Index.ToString("D3", CultureInfo.InvariantCulture);

        public string Source
        {
            get
            {
                var text = new StringBuilder();
                text.Append(CultureInfo.InvariantCulture, $"[Network(Inputs = {Inputs}, Loss = Loss.{Loss}, Precision = Precision.{(Double ? "Double" : "Single")})]\n");
                foreach (var (units, activation, rate) in Layers)
                {
                    text.Append(units > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"[Dense({units}, Activation.{activation})]\n")
                        : string.Create(CultureInfo.InvariantCulture, $"[Dropout({rate})]\n"));
                }

                return text.Append("public partial class ").Append(Name).Append(";\n").ToString();
            }
        }

        public static Architecture Draw(CaseGenerator g, bool dropout)
        {
            int index = g.Index;
            var loss = g.OneOf(Enum.GetValues<Loss>());
            int depth = g.Int(1, 5);
            var layers = new List<(int, Activation, double)>();
            for (int i = 0; i < depth; i++)
            {
                bool last = i == depth - 1;
                var activation = !last ? g.OneOf(Hidden) : OutputActivation(g, loss);
                int width = last ? OutputWidth(g, loss) : Width(g);
                layers.Add((width, activation, 0));
                if (dropout && !last && g.Chance(0.3))
                {
                    layers.Add((0, Activation.Identity, g.OneOf(0.1, 0.25, 0.5, 0.75)));
                }
            }

            return new Architecture(index, Width(g), loss, g.Chance(0.5), layers);
        }

        /// <summary>An activation the loss accepts on the last layer.</summary>
        internal static Activation OutputActivation(CaseGenerator g, Loss loss) => loss switch
        {
            Loss.BinaryCrossEntropy => Activation.Sigmoid,
            Loss.SoftmaxCrossEntropy => g.OneOf(Activation.Identity, Activation.Softmax),
            _ => g.OneOf(Hidden),
        };

        /// <summary>The last layer's width: a softmax needs at least two outputs (NG0013).</summary>
        internal static int OutputWidth(CaseGenerator g, Loss loss) => loss == Loss.SoftmaxCrossEntropy ? Math.Max(2, Width(g)) : Width(g);

        // Mostly small layers (fast, and the generator's unrolled code); some mid-size (its Vector<T> kernels); rarely wide.
        internal static int Width(CaseGenerator g) => g.Chance(0.04) ? g.Int(150, 300) : g.Chance(0.15) ? g.Int(17, 80) : g.Int(1, 16);

        public override string ToString() =>
            $"{Name}: {Inputs} inputs, {Loss}, {(Double ? "double" : "float")}, " + string.Join(" -> ", Layers.Select(l => l.Units > 0 ? $"{l.Units} {l.Activation}" : $"dropout {l.Rate}"));
    }
}
