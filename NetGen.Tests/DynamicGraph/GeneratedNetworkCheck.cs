using System.Reflection;
using System.Text;
using NetGen.Graph;
using NetGen.Tests.Gradients;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// The element-by-element check of a network compiled through the generator at test time, shared by the random
/// chains (<see cref="RandomArchitectureTests"/>) and the random DAGs (<see cref="RandomDagTests"/>): the generated
/// gradient against the dynamic graph's (≤ <see cref="GradientComparison.DoubleBound"/> in double,
/// ≤ <see cref="GradientComparison.SingleBound"/> in float), and in double against fourth-order five-point
/// differences of the generated loss (≤ <see cref="CentralBound"/> for every checked element, no allowance).
/// </summary>
internal static class GeneratedNetworkCheck
{
    /// <summary>Relative bound of generated vs five-point differences (double), floor 1e-2.</summary>
    public const double CentralBound = 1e-6;

    /// <summary>
    /// The step of the five-point differences, times max(1, |θ|). A two-point central difference with h = 1e-6 is
    /// off by the rounding of the loss, about 2^-52 |L| / h: with |L| near 600 that is 1e-7 absolute, up to 3e-5
    /// relative to a gradient element of 5e-3 (its error fell as h grew, so it was rounding, not the gradient).
    /// The five-point stencil's truncation error is h^4 f⁽⁵⁾ / 30, about 1e-12 at h = 1e-3, so the step can be
    /// a thousand times larger and the rounding a thousand times smaller (worst seen: 4e-8).
    /// </summary>
    public const double Step = 1e-3;

    /// <summary>
    /// Compiles <paramref name="cases"/> in chunks of <paramref name="perCompilation"/> networks (one generator run
    /// and one assembly each: compiling is most of the time) and checks each one with <paramref name="check"/>;
    /// writes the time per chunk and fails with every failing case at the end.
    /// </summary>
    public static void CompileAndCheckAll<TCase>(IReadOnlyList<PropertyCase<TCase>> cases, int perCompilation, Func<TCase, string> source,
        Action<Assembly, TCase> check, ITestOutputHelper output)
    {
        var failures = new List<string>();
        for (int start = 0; start < cases.Count; start += perCompilation)
        {
            var chunk = cases.Skip(start).Take(perCompilation).ToList();
            var text = new StringBuilder("using NetGen;\nnamespace RandomNets;\n");
            foreach (var c in chunk)
            {
                text.Append(source(c.Value));
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var assembly = GeneratorHarness.CompileAndLoad(text.ToString());
            var compiled = clock.Elapsed;
            try
            {
                PropertyTesting.CheckAll(chunk, value => check(assembly, value));
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }

            output.WriteLine($"networks {start}-{start + chunk.Count - 1}: compiled in {compiled.TotalSeconds:F1} s, checked in {(clock.Elapsed - compiled).TotalSeconds:F1} s");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Checks one generated network (double or float) against its dynamic graph and, in double, five-point differences;
    /// <paramref name="index"/> seeds its biases, batch and dropout masks, <paramref name="name"/> names it in messages.
    /// </summary>
    public static void Check(INetwork net, int index, string name, Stats stats)
    {
        if (net is INetwork<double> d)
        {
            Interlocked.Increment(ref stats.DoubleNetworks);
            CheckDouble(d, index, name, stats);
        }
        else
        {
            CheckSingle((INetwork<float>)net, index, name, stats);
        }

        lock (stats)
        {
            stats.Networks++;
            stats.Parameters += net.ParameterCount;
        }
    }

    private static void Configure<T>(NetworkWorkspace<T> workspace, int index)
        where T : unmanaged
    {
        workspace.Training = true;
        workspace.DropoutSeed = (ulong)index * 7919;
        workspace.SampleOffset = index % 5;
    }

    private static void CheckDouble(INetwork<double> net, int index, string name, Stats stats)
    {
        GradientComparison.RandomizeBiases(net, index);
        GradientComparison.RandomizeLayerNormGains(net, index);
        var (inputs, targets) = GradientTests.MakeBatch(net, seed: index);
        var dynamic = DynamicNetwork<double>.From(net);
        var (g, dyn, lossG, lossD) = GradientComparison.Gradients(net, dynamic, inputs, targets, ws => Configure(ws, index));
        var (pure, pureAt) = GradientComparison.WorstRelativeError(g, dyn, 1e-300);
        stats.Record(ref stats.WorstDoublePure, ref stats.WorstDoublePureAt, pure, $"{name} {GradientComparison.TensorOf(net, pureAt)} ({g[pureAt]:E3})");
        var (error, at) = GradientComparison.WorstRelativeError(g, dyn, GradientComparison.DoubleFloor * Math.Max(g.Max(Math.Abs), 1e-300));
        stats.Record(ref stats.WorstDouble, ref stats.WorstDoubleAt, error, $"{name} {GradientComparison.TensorOf(net, at)}");
        Assert.True(error <= GradientComparison.DoubleBound,
            $"generated vs dynamic: relative error {error:E2} at {GradientComparison.TensorOf(net, at)} (generated {g[at]:R}, dynamic {dyn[at]:R})");
        Assert.True(Math.Abs(lossG - lossD) <= 1e-12 * Math.Max(1, Math.Abs(lossG)), $"loss {lossG:R} vs {lossD:R}");

        // Five-point differences of the generated loss, on a sample of every tensor's elements; where one is off, a
        // ReLU kink within the stencil (not the gradient) may be why, and such elements are skipped and counted.
        var workspace = net.CreateWorkspace(inputs.Length / net.InputSize);
        Configure(workspace, index);
        var dynamicWorkspace = dynamic.CreateWorkspace(inputs.Length / net.InputSize);
        Configure(dynamicWorkspace, index);
        var random = new DeterministicRandom(index);
        var parameters = net.Parameters;
        foreach (var tensor in net.Description.Tensors)
        {
            int samples = Math.Min(tensor.Length, 12);
            for (int k = 0; k < samples; k++)
            {
                int i = tensor.Offset + (tensor.Length <= 12 ? k : random.NextInt32(tensor.Length));
                double step = Step * Math.Max(1, Math.Abs(parameters[i]));
                double numeric = FivePointDerivative(net, inputs, targets, workspace, i, step);
                double centralError = GradientComparison.RelativeError(g[i], numeric, 1e-2);
                if (centralError > CentralBound && CrossesKink(dynamic, dynamicWorkspace, i, step, inputs, targets))
                {
                    Interlocked.Increment(ref stats.KinkSkips);
                    continue;
                }

                Interlocked.Increment(ref stats.CentralChecks);
                stats.Record(ref stats.WorstCentral, ref stats.WorstCentralAt, centralError, $"{name} {GradientComparison.TensorOf(net, i)}");
                Assert.True(centralError <= CentralBound,
                    $"generated vs five-point differences: relative error {centralError:E2} at {GradientComparison.TensorOf(net, i)} (analytic {g[i]:R}, five-point {numeric:R}, h {step:E2})");
            }
        }
    }

    /// <summary>
    /// The fourth-order five-point derivative (f(-2h) - 8 f(-h) + 8 f(h) - f(2h)) / 12h of the generated loss in
    /// parameter <paramref name="index"/>.
    /// </summary>
    private static double FivePointDerivative(INetwork<double> net, double[] inputs, double[] targets, NetworkWorkspace<double> workspace, int index, double h)
    {
        double saved = net.Parameters[index];
        double LossAt(double offset)
        {
            net.Parameters[index] = saved + offset;
            return net.ComputeLoss(inputs, targets, workspace);
        }

        double derivative = (LossAt(-2 * h) - (8 * LossAt(-h)) + (8 * LossAt(h)) - LossAt(2 * h)) / (12 * h);
        net.Parameters[index] = saved;
        return derivative;
    }

    /// <summary>
    /// True when some ReLU or leaky ReLU unit is not on the same side of its kink at every point of the stencil
    /// (θ, θ ± <paramref name="h"/>, θ ± 2<paramref name="h"/>) for parameter <paramref name="index"/>.
    /// </summary>
    private static bool CrossesKink(DynamicNetwork<double> dynamic, NetworkWorkspace<double> workspace, int index, double h, double[] inputs, double[] targets)
    {
        var kinks = dynamic.GraphOf(workspace).Graph.Nodes.Where(n => n.Operation is Operation.ReLU or Operation.LeakyReLU).Select(n => n.Inputs[0]).ToList();
        double saved = dynamic.Parameters[index];
        List<bool[]> SidesAt(double offset)
        {
            dynamic.Parameters[index] = saved + offset;
            dynamic.ComputeLoss(inputs, targets, workspace);
            return kinks.Select(n => n.Value.ToArray().Select(v => v > 0).ToArray()).ToList();
        }

        var centre = SidesAt(0);
        bool crosses = new[] { -2 * h, -h, h, 2 * h }.Select(SidesAt).Any(sides => sides.Zip(centre).Any(p => !p.First.SequenceEqual(p.Second)));
        dynamic.Parameters[index] = saved;
        return crosses;
    }

    private static void CheckSingle(INetwork<float> net, int index, string name, Stats stats)
    {
        GradientComparison.RandomizeBiases(net, index);
        GradientComparison.RandomizeLayerNormGains(net, index);
        var (inputs, targets) = GradientTests.MakeBatch(net, seed: index);
        var (g, dyn, lossG, lossD) = GradientComparison.Gradients(net, DynamicNetwork<float>.From(net), inputs, targets, ws => Configure(ws, index));
        // Against the exact (double) gradient of the same float parameters and batch.
        var reference = new DynamicNetwork<double>(net.Description, GradientComparison.ToDouble<float>(net.Parameters));
        var workspace = reference.CreateWorkspace(inputs.Length / net.InputSize);
        Configure(workspace, index);
        var exact = new double[reference.ParameterCount];
        reference.ForwardBackward(GradientComparison.ToDouble<float>(inputs), GradientComparison.ToDouble<float>(targets), exact, workspace);
        double floor = GradientComparison.SingleFloor * Math.Max(g.Max(Math.Abs), 1e-30);
        var (error, at) = GradientComparison.WorstRelativeError(g, dyn, floor);
        stats.Record(ref stats.WorstSingle, ref stats.WorstSingleAt, error, $"{name} {GradientComparison.TensorOf(net, at)}");
        Assert.True(error <= GradientComparison.SingleBound,
            $"generated vs dynamic (float): error {error:E2} at {GradientComparison.TensorOf(net, at)} (generated {g[at]:R}, dynamic {dyn[at]:R}, exact {exact[at]:R})");
        Assert.True(Math.Abs(lossG - lossD) <= 1e-5 * Math.Max(1, Math.Abs(lossG)), $"loss {lossG:R} vs {lossD:R}");

        double exactFloor = GradientComparison.SingleFloor * Math.Max(exact.Max(Math.Abs), 1e-30);
        var (errorVsDouble, atVsDouble) = GradientComparison.WorstRelativeError(g, exact, exactFloor);
        stats.Record(ref stats.WorstSingleVsDouble, ref stats.WorstSingleVsDoubleAt, errorVsDouble, $"{name} {GradientComparison.TensorOf(net, atVsDouble)}");
        Assert.True(errorVsDouble <= GradientComparison.SingleBound,
            $"generated float vs double: error {errorVsDouble:E2} at {GradientComparison.TensorOf(net, atVsDouble)} (float {g[atVsDouble]:R}, double {exact[atVsDouble]:R})");
    }

    /// <summary>What the checks saw: counts and the worst error of each comparison, with where it occurred.</summary>
    internal sealed class Stats
    {
        public int Networks;
        public int DoubleNetworks;
        public long Parameters;
        public int CentralChecks;
        public int KinkSkips;
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

        /// <summary>Writes the counts and worst figures, one comparison per line.</summary>
        public void Report(ITestOutputHelper output)
        {
            output.WriteLine($"networks checked: {Networks} ({DoubleNetworks} double, {Networks - DoubleNetworks} float), {Parameters} parameters");
            output.WriteLine($"double, generated vs dynamic: worst relative error {WorstDouble:E2} (floor 1e-4 of the largest element) at {WorstDoubleAt}; with floor 1e-300: {WorstDoublePure:E2} at {WorstDoublePureAt}");
            output.WriteLine($"double, generated vs five-point differences (h = 1e-3 max(1, |θ|), floor 1e-2, bound 1e-6): worst {WorstCentral:E2} at {WorstCentralAt}; {CentralChecks} elements checked, {KinkSkips} skipped where a ReLU kink lay within ±2h");
            output.WriteLine($"float, generated vs dynamic: worst error {WorstSingle:E2} (floor 1e-2 of the largest element) at {WorstSingleAt}");
            output.WriteLine($"float, generated vs double dynamic graph: worst error {WorstSingleVsDouble:E2} (same floor) at {WorstSingleVsDoubleAt}");
        }
    }
}
