using System.Globalization;
using System.Reflection;
using System.Text;
using NetGen.Graph;
using NetGen.Tests.Gradients;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// Random architectures compiled through the generator at test time: for each, the generated gradient against the
/// dynamic graph's, and (double) against central differences.
/// </summary>
public class RandomArchitectureTests(ITestOutputHelper output)
{
    private const int Count = 320;
    private const int PerCompilation = 64;
    private const int Seed = 2026;
    private const double CentralBound = 1e-6;
    private const double H = 1e-6;

    private static readonly Activation[] Hidden =
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

        var stats = new Stats();
        var failures = new List<string>();
        for (int start = 0; start < cases.Count; start += PerCompilation)
        {
            var chunk = cases.Skip(start).Take(PerCompilation).ToList();
            var source = new StringBuilder("using NetGen;\nnamespace RandomNets;\n");
            foreach (var c in chunk)
            {
                source.Append(c.Value.Source);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var assembly = GeneratorHarness.CompileAndLoad(source.ToString());
            var compiled = clock.Elapsed;
            try
            {
                PropertyTesting.CheckAll(chunk, architecture => Check(assembly, architecture, stats));
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }

            output.WriteLine($"networks {start}-{start + chunk.Count - 1}: compiled in {compiled.TotalSeconds:F1} s, checked in {(clock.Elapsed - compiled).TotalSeconds:F1} s");
        }

        output.WriteLine($"dropout layers in random networks: {(dropout ? "yes (the generator supports [Dropout])" : "no (the generator does not support [Dropout] yet)")}");
        output.WriteLine($"networks checked: {stats.Networks} ({stats.DoubleNetworks} double, {stats.Networks - stats.DoubleNetworks} float), {stats.Parameters} parameters");
        output.WriteLine($"double, generated vs dynamic: worst relative error {stats.WorstDouble:E2} (floor 1e-4 of the largest element) at {stats.WorstDoubleAt}; with floor 1e-300: {stats.WorstDoublePure:E2} at {stats.WorstDoublePureAt}");
        output.WriteLine($"double, generated vs central differences (h = 1e-6, floor 1e-2): worst {stats.WorstCentral:E2} at {stats.WorstCentralAt}; {stats.CentralChecks} elements checked, {stats.CentralNoiseAccepted} above 1e-6 but within the loss-rounding allowance, {stats.KinkSkips} skipped where a ReLU kink lay within ±h");
        output.WriteLine($"float, generated vs dynamic: worst error {stats.WorstSingle:E2} (floor 1e-2 of the largest element) at {stats.WorstSingleAt}");
        output.WriteLine($"float, generated vs double dynamic graph: worst error {stats.WorstSingleVsDouble:E2} (same floor) at {stats.WorstSingleVsDoubleAt}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Count, stats.Networks);
    }

    private static void Check(Assembly assembly, Architecture architecture, Stats stats)
    {
        var type = assembly.GetType("RandomNets." + architecture.Name, throwOnError: true)!;
        var net = (INetwork)Activator.CreateInstance(type, architecture.Index)!;
        Assert.Equal(architecture.Layers.Count, net.Description.Layers.Count);
        if (net is INetwork<double> d)
        {
            stats.DoubleNetworks++;
            CheckDouble(d, architecture, stats);
        }
        else
        {
            CheckSingle((INetwork<float>)net, architecture, stats);
        }

        lock (stats)
        {
            stats.Networks++;
            stats.Parameters += net.ParameterCount;
        }
    }

    private static void Configure<T>(NetworkWorkspace<T> workspace, Architecture architecture)
        where T : unmanaged
    {
        workspace.Training = true;
        workspace.DropoutSeed = (ulong)architecture.Index * 7919;
        workspace.SampleOffset = architecture.Index % 5;
    }

    private static void CheckDouble(INetwork<double> net, Architecture architecture, Stats stats)
    {
        GradientComparison.RandomizeBiases(net, architecture.Index);
        var (inputs, targets) = GradientTests.MakeBatch(net, seed: architecture.Index);
        var dynamic = DynamicNetwork<double>.From(net);
        var (g, dyn, lossG, lossD) = GradientComparison.Gradients(net, dynamic, inputs, targets, ws => Configure(ws, architecture));
        var (pure, pureAt) = GradientComparison.WorstRelativeError(g, dyn, 1e-300);
        stats.Record(ref stats.WorstDoublePure, ref stats.WorstDoublePureAt, pure, $"{architecture.Name} {GradientComparison.TensorOf(net, pureAt)} ({g[pureAt]:E3})");
        var (error, at) = GradientComparison.WorstRelativeError(g, dyn, GradientComparison.DoubleFloor * Math.Max(g.Max(Math.Abs), 1e-300));
        stats.Record(ref stats.WorstDouble, ref stats.WorstDoubleAt, error, $"{architecture.Name} {GradientComparison.TensorOf(net, at)}");
        Assert.True(error <= GradientComparison.DoubleBound,
            $"generated vs dynamic: relative error {error:E2} at {GradientComparison.TensorOf(net, at)} (generated {g[at]:R}, dynamic {dyn[at]:R})");
        Assert.True(Math.Abs(lossG - lossD) <= 1e-12 * Math.Max(1, Math.Abs(lossG)), $"loss {lossG:R} vs {lossD:R}");

        // Central differences of the generated loss, on a sample of every tensor's elements.
        var workspace = net.CreateWorkspace(inputs.Length / net.InputSize);
        Configure(workspace, architecture);
        var dynamicWorkspace = dynamic.CreateWorkspace(inputs.Length / net.InputSize);
        Configure(dynamicWorkspace, architecture);
        var random = new DeterministicRandom(architecture.Index);
        var parameters = net.Parameters;
        foreach (var tensor in net.Description.Tensors)
        {
            int samples = Math.Min(tensor.Length, 12);
            for (int k = 0; k < samples; k++)
            {
                int i = tensor.Offset + (tensor.Length <= 12 ? k : random.NextInt32(tensor.Length));
                double saved = parameters[i];
                parameters[i] = saved + H;
                double plus = net.ComputeLoss(inputs, targets, workspace);
                parameters[i] = saved - H;
                double minus = net.ComputeLoss(inputs, targets, workspace);
                parameters[i] = saved;
                double numeric = (plus - minus) / (2 * H);
                double centralError = GradientComparison.RelativeError(g[i], numeric, 1e-2);
                // The loss is rounded to about 2^-52 |L| at each evaluation, so the difference quotient carries an
                // absolute noise of a few 2^-52 |L| / h; allow 16 of them on top of the relative bound.
                double noise = 16 * Math.Pow(2, -52) * Math.Max(Math.Abs(plus), Math.Abs(minus)) / H;
                bool within = Math.Abs(g[i] - numeric) <= (CentralBound * Math.Max(Math.Max(Math.Abs(g[i]), Math.Abs(numeric)), 1e-2)) + noise;
                if (!within && CrossesKink(dynamic, dynamicWorkspace, i, inputs, targets))
                {
                    Interlocked.Increment(ref stats.KinkSkips);
                    continue;
                }

                Interlocked.Increment(ref stats.CentralChecks);
                stats.Record(ref stats.WorstCentral, ref stats.WorstCentralAt, centralError, $"{architecture.Name} {GradientComparison.TensorOf(net, i)}");
                if (centralError > CentralBound)
                {
                    Interlocked.Increment(ref stats.CentralNoiseAccepted);
                }

                Assert.True(within,
                    $"generated vs central differences: relative error {centralError:E2} (rounding allowance {noise:E2}) at {GradientComparison.TensorOf(net, i)} (analytic {g[i]:R}, numeric {numeric:R})");
            }
        }
    }

    /// <summary>True when moving parameter <paramref name="index"/> by ±h flips the side of a ReLU or leaky ReLU kink for some unit.</summary>
    private static bool CrossesKink(DynamicNetwork<double> dynamic, NetworkWorkspace<double> workspace, int index, double[] inputs, double[] targets)
    {
        var kinks = dynamic.GraphOf(workspace).Graph.Nodes.Where(n => n.Operation is Operation.ReLU or Operation.LeakyReLU).Select(n => n.Inputs[0]).ToList();
        double saved = dynamic.Parameters[index];
        dynamic.Parameters[index] = saved + H;
        dynamic.ComputeLoss(inputs, targets, workspace);
        var plus = kinks.Select(n => n.Value.ToArray().Select(v => v > 0).ToArray()).ToList();
        dynamic.Parameters[index] = saved - H;
        dynamic.ComputeLoss(inputs, targets, workspace);
        var minus = kinks.Select(n => n.Value.ToArray().Select(v => v > 0).ToArray()).ToList();
        dynamic.Parameters[index] = saved;
        return plus.Zip(minus).Any(p => !p.First.SequenceEqual(p.Second));
    }

    private static void CheckSingle(INetwork<float> net, Architecture architecture, Stats stats)
    {
        GradientComparison.RandomizeBiases(net, architecture.Index);
        var (inputs, targets) = GradientTests.MakeBatch(net, seed: architecture.Index);
        var (g, dyn, lossG, lossD) = GradientComparison.Gradients(net, DynamicNetwork<float>.From(net), inputs, targets, ws => Configure(ws, architecture));
        // Against the exact (double) gradient of the same float parameters and batch.
        var reference = new DynamicNetwork<double>(net.Description, GradientComparison.ToDouble<float>(net.Parameters));
        var workspace = reference.CreateWorkspace(inputs.Length / net.InputSize);
        Configure(workspace, architecture);
        var exact = new double[reference.ParameterCount];
        reference.ForwardBackward(GradientComparison.ToDouble<float>(inputs), GradientComparison.ToDouble<float>(targets), exact, workspace);
        double floor = GradientComparison.SingleFloor * Math.Max(g.Max(Math.Abs), 1e-30);
        var (error, at) = GradientComparison.WorstRelativeError(g, dyn, floor);
        stats.Record(ref stats.WorstSingle, ref stats.WorstSingleAt, error, $"{architecture.Name} {GradientComparison.TensorOf(net, at)}");
        Assert.True(error <= GradientComparison.SingleBound,
            $"generated vs dynamic (float): error {error:E2} at {GradientComparison.TensorOf(net, at)} (generated {g[at]:R}, dynamic {dyn[at]:R}, exact {exact[at]:R})");
        Assert.True(Math.Abs(lossG - lossD) <= 1e-5 * Math.Max(1, Math.Abs(lossG)), $"loss {lossG:R} vs {lossD:R}");

        double exactFloor = GradientComparison.SingleFloor * Math.Max(exact.Max(Math.Abs), 1e-30);
        var (errorVsDouble, atVsDouble) = GradientComparison.WorstRelativeError(g, exact, exactFloor);
        stats.Record(ref stats.WorstSingleVsDouble, ref stats.WorstSingleVsDoubleAt, errorVsDouble, $"{architecture.Name} {GradientComparison.TensorOf(net, atVsDouble)}");
        Assert.True(errorVsDouble <= GradientComparison.SingleBound,
            $"generated float vs double: error {errorVsDouble:E2} at {GradientComparison.TensorOf(net, atVsDouble)} (float {g[atVsDouble]:R}, double {exact[atVsDouble]:R})");
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
            return net.Description.Layers.Any(l => l.Kind == LayerDescription.DropoutKind);
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    /// <summary>A random network: its layers (Units 0 for a dropout layer) and its C# declaration.</summary>
    private sealed record Architecture(int Index, int Inputs, Loss Loss, bool Double, IReadOnlyList<(int Units, Activation Activation, double Rate)> Layers)
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
                var activation = !last ? g.OneOf(Hidden) : loss switch
                {
                    Loss.BinaryCrossEntropy => Activation.Sigmoid,
                    Loss.SoftmaxCrossEntropy => g.OneOf(Activation.Identity, Activation.Softmax),
                    _ => g.OneOf(Hidden),
                };
                // A softmax needs at least two outputs (NG0013).
                int width = last && loss == Loss.SoftmaxCrossEntropy ? Math.Max(2, Width(g)) : Width(g);
                layers.Add((width, activation, 0));
                if (dropout && !last && g.Chance(0.3))
                {
                    layers.Add((0, Activation.Identity, g.OneOf(0.1, 0.25, 0.5, 0.75)));
                }
            }

            return new Architecture(index, Width(g), loss, g.Chance(0.5), layers);
        }

        // Mostly small layers (fast, and the generator's unrolled code); some mid-size (its Vector<T> kernels); rarely wide.
        private static int Width(CaseGenerator g) => g.Chance(0.04) ? g.Int(150, 300) : g.Chance(0.15) ? g.Int(17, 80) : g.Int(1, 16);

        public override string ToString() =>
            $"{Name}: {Inputs} inputs, {Loss}, {(Double ? "double" : "float")}, " + string.Join(" -> ", Layers.Select(l => l.Units > 0 ? $"{l.Units} {l.Activation}" : $"dropout {l.Rate}"));
    }

    private sealed class Stats
    {
        public int Networks;
        public int DoubleNetworks;
        public long Parameters;
        public int CentralChecks;
        public int KinkSkips;
        public int CentralNoiseAccepted;
        public double WorstDoublePure;
        public string WorstDoublePureAt = "-";
        public double WorstDouble, WorstCentral, WorstSingle, WorstSingleVsDouble;
        public string WorstDoubleAt = "-", WorstCentralAt = "-", WorstSingleAt = "-", WorstSingleVsDoubleAt = "-";

        public void Record(ref double worst, ref string at, double error, string where)
        {
            if (error > worst)
            {
                worst = error;
                at = where;
            }
        }
    }
}
