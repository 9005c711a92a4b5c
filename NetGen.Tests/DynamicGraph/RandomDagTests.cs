using System.Globalization;
using System.Text;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;
using static NetGen.Tests.DynamicGraph.RandomArchitectureTests;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// Random DAG networks compiled through the generator at test time: skip connections (<c>[Add]</c>), gates
/// (<c>[Multiply]</c>) and concatenations (<c>[Concat]</c>) of two or three layers, each in its one-name and its full
/// form, dense and dropout layers that read a layer further up with <c>From</c>, wide and narrow layers (batched and
/// unrolled code). Each is checked element by element like the random
/// chains (<see cref="GeneratedNetworkCheck"/>): generated vs dynamic graph, and in double vs central differences;
/// and the generated description must wire the layers exactly as drawn.
/// </summary>
public class RandomDagTests(ITestOutputHelper output)
{
    private const int Count = 192;
    private const int PerCompilation = 64;
    private const int Seed = 1111;

    [Fact]
    public void GeneratedDagGradientsMatchDynamicGraphAndCentralDifferences()
    {
        var cases = PropertyTesting.Sample(Count, Seed, Dag.Draw);

        // Coverage of the sample: each merge in each form, both precisions, every loss, batched and unrolled code.
        var dags = cases.Select(c => c.Value).ToList();
        foreach (var merge in new[] { DagKind.Add, DagKind.Multiply, DagKind.Concat })
        {
            Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == merge && l.Sources.Length == 3));
            Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == merge && l.ShortForm));
            Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == merge && !l.ShortForm && l.Sources.Length == 2));
        }

        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.Concat && l.Sources.Select(d.SizeOf).Distinct().Count() > 1));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.Add) && d.Layers.Any(l => l.Kind == DagKind.Multiply) && d.Layers.Any(l => l.Kind == DagKind.Concat));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.Dense && l.Sources[0] != l.Index - 1));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.Dropout && l.Sources[0] != l.Index - 1));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.Dropout) && d.Layers.Any(l => IsMerge(l.Kind)));
        Assert.Contains(dags, d => d.Layers.Count(l => IsMerge(l.Kind)) >= 4);
        Assert.Contains(dags, d => d.Unrolled && d.Layers.Any(l => IsMerge(l.Kind)));
        Assert.Contains(dags, d => !d.Unrolled && d.Layers.Any(l => IsMerge(l.Kind)));
        foreach (var loss in Enum.GetValues<Loss>())
        {
            Assert.Contains(dags, d => d.Loss == loss && d.Double);
            Assert.Contains(dags, d => d.Loss == loss && !d.Double);
        }

        var stats = new GeneratedNetworkCheck.Stats();
        var merges = new Dictionary<DagKind, int>();
        GeneratedNetworkCheck.CompileAndCheckAll(cases, PerCompilation, dag => dag.Source, (assembly, dag) =>
        {
            var type = assembly.GetType("RandomNets." + dag.Name, throwOnError: true)!;
            var net = (INetwork)Activator.CreateInstance(type, dag.Index)!;
            Assert.Equal(dag.Layers.Select(l => $"{l.Index} {l.Kind} from {string.Join(",", l.Sources)}"),
                net.Description.Layers.Select(l => $"{l.Index} {l.Kind} from {string.Join(",", l.Sources)}"));
            GeneratedNetworkCheck.Check(net, dag.Index, dag.Name, stats);
            foreach (var layer in dag.Layers.Where(l => IsMerge(l.Kind)))
            {
                merges[layer.Kind] = merges.GetValueOrDefault(layer.Kind) + 1;
            }
        }, output);

        output.WriteLine($"{string.Join(", ", merges.OrderBy(m => m.Key).Select(m => $"{m.Value} [{m.Key}]"))} layers in {dags.Count} networks ({dags.Count(d => d.Unrolled)} unrolled per sample, {dags.Count(d => !d.Unrolled)} batched), {dags.Sum(d => d.Layers.Count)} layers in all");
        stats.Report(output);
        Assert.Equal(Count, stats.Networks);
    }

    /// <summary>The kinds of layer a random DAG draws from.</summary>
    internal enum DagKind
    {
        Dense,
        Dropout,
        Add,
        Multiply,
        Concat,
    }

    /// <summary>True for the layers that merge two or more layers they name.</summary>
    internal static bool IsMerge(DagKind kind) => kind is DagKind.Add or DagKind.Multiply or DagKind.Concat;

    /// <summary>One layer of a random DAG: what it is and the layers it reads (0 is the network input), in attribute order.</summary>
    internal sealed record DagLayer(int Index, DagKind Kind, int Size, Activation Activation, double Rate, int[] Sources, bool ShortForm);

    /// <summary>A random DAG network and its C# declaration.</summary>
    internal sealed record Dag(int Index, int Inputs, Loss Loss, bool Double, IReadOnlyList<DagLayer> Layers)
    {
        public string Name => "D" + Index.ToString("D3", CultureInfo.InvariantCulture);

        /// <summary>True when every dense layer has at most 64 weights, so the generator unrolls the network per sample.</summary>
        public bool Unrolled => Layers.Where(l => l.Kind == DagKind.Dense).All(l => l.Size * SizeOf(l.Sources[0]) <= 64);

        public int SizeOf(int layer) => layer == 0 ? Inputs : Layers[layer - 1].Size;

        public string Source
        {
            get
            {
                // A layer gets a name only when another layer reads it by name.
                var named = new HashSet<int>();
                foreach (var layer in Layers)
                {
                    named.UnionWith(IsMerge(layer.Kind)
                        ? layer.ShortForm ? layer.Sources.Skip(1) : layer.Sources
                        : layer.Sources.Where(s => s != layer.Index - 1));
                }

                var text = new StringBuilder();
                text.Append(CultureInfo.InvariantCulture, $"[Network(Inputs = {Inputs}, Loss = Loss.{Loss}, Precision = Precision.{(Double ? "Double" : "Single")})]\n");
                foreach (var layer in Layers)
                {
                    var arguments = new List<string>();
                    switch (layer.Kind)
                    {
                        case DagKind.Dense:
                            arguments.Add(layer.Size.ToString(CultureInfo.InvariantCulture));
                            arguments.Add("Activation." + layer.Activation);
                            break;
                        case DagKind.Dropout:
                            arguments.Add(layer.Rate.ToString(CultureInfo.InvariantCulture));
                            break;
                        default:
                            arguments.AddRange((layer.ShortForm ? layer.Sources.Skip(1) : layer.Sources).Select(s => $"\"v{s}\""));
                            break;
                    }

                    if (named.Contains(layer.Index))
                    {
                        arguments.Add($"Name = \"v{layer.Index}\"");
                    }

                    if (!IsMerge(layer.Kind) && layer.Sources[0] != layer.Index - 1)
                    {
                        arguments.Add($"From = \"v{layer.Sources[0]}\"");
                    }

                    text.Append('[').Append(layer.Kind).Append('(').AppendJoin(", ", arguments).Append(")]\n");
                }

                return text.Append("public partial class ").Append(Name).Append(";\n").ToString();
            }
        }

        public static Dag Draw(CaseGenerator g)
        {
            var loss = g.OneOf(Enum.GetValues<Loss>());
            int inputs = Architecture.Width(g);
            var layers = new List<DagLayer>();
            var read = new HashSet<int>();
            int SizeOf(int layer) => layer == 0 ? inputs : layers[layer - 1].Size;
            void Add(DagKind kind, int size, Activation activation, double rate, int[] sources, bool shortForm = false)
            {
                read.UnionWith(sources);
                layers.Add(new DagLayer(layers.Count + 1, kind, size, activation, rate, sources, shortForm));
            }

            void Merge(DagKind kind, int[] sources) => Add(kind, kind == DagKind.Concat ? sources.Sum(SizeOf) : SizeOf(sources[0]), Activation.Identity, 0, sources,
                shortForm: sources.Length == 2 && sources[0] == layers.Count && g.Chance(0.5));

            int steps = g.Int(2, 6);
            for (int step = 0; step < steps; step++)
            {
                int previous = layers.Count;
                // The layers above the previous one can be concatenated to it; those of its size also added or multiplied.
                var others = Enumerable.Range(1, Math.Max(0, previous - 1)).ToList();
                var partners = others.Where(j => SizeOf(j) == SizeOf(previous)).ToList();
                var kinds = new List<DagKind>();
                if (partners.Count > 0)
                {
                    kinds.AddRange([DagKind.Add, DagKind.Add, DagKind.Multiply]); // skip connections most often
                }

                if (others.Count > 0)
                {
                    kinds.Add(DagKind.Concat);
                }

                if (previous > 0 && kinds.Count > 0 && g.Chance(0.5))
                {
                    var kind = g.OneOf([.. kinds]);
                    var pool = kind == DagKind.Concat ? others : partners;
                    var sources = new List<int> { previous, g.OneOf([.. pool]) };
                    if (pool.Count > 1 && g.Chance(0.3))
                    {
                        sources.Add(g.OneOf([.. pool.Where(p => !sources.Contains(p))]));
                    }

                    // The full form lists the layers in any order; the one-name form adds the previous layer first.
                    if (g.Chance(0.3))
                    {
                        sources.Reverse();
                    }

                    Merge(kind, [.. sources]);
                }
                else if (previous > 0 && g.Chance(0.15))
                {
                    int from = g.Chance(0.7) ? previous : g.Int(1, previous);
                    Add(DagKind.Dropout, SizeOf(from), Activation.Identity, g.OneOf(0.1, 0.25, 0.5), [from]);
                }
                else
                {
                    int from = previous == 0 || g.Chance(0.6) ? previous : g.Int(1, previous);
                    // Often the size of a layer already drawn, so that skip connections have partners.
                    int size = previous > 0 && g.Chance(0.6) ? SizeOf(g.Int(1, previous)) : Architecture.Width(g);
                    Add(DagKind.Dense, size, g.OneOf(Hidden), 0, [from]);
                }
            }

            // Every layer but the last must be read (NG0023): merge each unread one into the last, through a dense
            // layer of the last one's size when the sizes differ and it is not a concatenation.
            for (int j = 1; j < layers.Count; j++)
            {
                if (read.Contains(j))
                {
                    continue;
                }

                int last = layers.Count;
                var kind = g.OneOf(DagKind.Add, DagKind.Multiply, DagKind.Concat);
                if (SizeOf(j) != SizeOf(last) && kind != DagKind.Concat)
                {
                    Add(DagKind.Dense, SizeOf(last), g.OneOf(Hidden), 0, [j]);
                }

                Merge(kind, [layers.Count, last == layers.Count ? j : last]);
            }

            Add(DagKind.Dense, Architecture.OutputWidth(g, loss), Architecture.OutputActivation(g, loss), 0, [layers.Count]);
            return new Dag(g.Index, inputs, loss, g.Chance(0.5), layers);
        }

        public override string ToString() => Source.Replace("\n", " ", StringComparison.Ordinal);
    }
}
