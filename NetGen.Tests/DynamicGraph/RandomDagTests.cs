using System.Globalization;
using System.Text;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;
using static NetGen.Tests.DynamicGraph.RandomArchitectureTests;

namespace NetGen.Tests.DynamicGraph;

/// <summary>
/// Random DAG networks compiled through the generator at test time: skip connections (<c>[Add]</c>), gates
/// (<c>[Multiply]</c>) and concatenations (<c>[Concat]</c>) of two or three layers, each in its one-name and its full
/// form, layer norms (<c>[LayerNorm]</c>), dense, dropout and layer-norm layers that read a layer further up with
/// <c>From</c>, one unnamed input vector or one to three named inputs (<c>[Input("v1", n)]</c>, which are layers 1 to k
/// and shift every later layer's index), wide and narrow layers (batched and unrolled code). Each is checked element
/// by element like the random
/// chains (<see cref="GeneratedNetworkCheck"/>): generated vs dynamic graph, and in double vs five-point differences (≤ 1e-6);
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

        // Layer norms: of the layer above and of one further up, of a named input, after a merge, in both precisions and both code forms.
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.LayerNorm && l.Sources[0] == l.Index - 1));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.LayerNorm && l.Sources[0] != l.Index - 1));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.LayerNorm && d.Layers[l.Sources[0] - 1].Kind == DagKind.Input));
        Assert.Contains(dags, d => d.Layers.Any(l => l.Kind == DagKind.LayerNorm && IsMerge(d.Layers[l.Sources[0] - 1].Kind)));
        Assert.Contains(dags, d => d.Layers.Count(l => l.Kind == DagKind.LayerNorm) >= 2);
        Assert.Contains(dags, d => d.Unrolled && d.Layers.Any(l => l.Kind == DagKind.LayerNorm));
        Assert.Contains(dags, d => !d.Unrolled && d.Layers.Any(l => l.Kind == DagKind.LayerNorm));
        Assert.Contains(dags, d => d.Double && d.Layers.Any(l => l.Kind == DagKind.LayerNorm));
        Assert.Contains(dags, d => !d.Double && d.Layers.Any(l => l.Kind == DagKind.LayerNorm));

        // Named inputs: one, two and three of them, read by dense, dropout and layer-norm layers and by merges, in both precisions.
        foreach (int count in new[] { 1, 2, 3 })
        {
            Assert.Contains(dags, d => d.NamedInputs == count);
        }

        foreach (var reader in Enum.GetValues<DagKind>().Where(k => k != DagKind.Input))
        {
            Assert.Contains(dags, d => d.NamedInputs >= 2 && d.Layers.Any(l => l.Kind == reader && l.Sources.Any(s => s >= 1 && d.Layers[s - 1].Kind == DagKind.Input)));
        }

        Assert.Contains(dags, d => d.NamedInputs >= 2 && d.Double);
        Assert.Contains(dags, d => d.NamedInputs >= 2 && !d.Double);
        Assert.Contains(dags, d => d.NamedInputs >= 2 && d.Unrolled);
        Assert.Contains(dags, d => d.NamedInputs >= 2 && !d.Unrolled);
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
        var kinds = new Dictionary<DagKind, int>();
        GeneratedNetworkCheck.CompileAndCheckAll(cases, PerCompilation, dag => dag.Source, (assembly, dag) =>
        {
            var type = assembly.GetType("RandomNets." + dag.Name, throwOnError: true)!;
            var net = (INetwork)Activator.CreateInstance(type, dag.Index)!;
            Assert.Equal(dag.Layers.Select(l => $"{l.Index} {l.Kind} from {string.Join(",", l.Sources)}"),
                net.Description.Layers.Select(l => $"{l.Index} {l.Kind} from {string.Join(",", l.Sources)}"));
            GeneratedNetworkCheck.Check(net, dag.Index, dag.Name, stats);
            lock (kinds)
            {
                foreach (var layer in dag.Layers)
                {
                    kinds[layer.Kind] = kinds.GetValueOrDefault(layer.Kind) + 1;
                }
            }
        }, output);

        output.WriteLine($"{string.Join(", ", kinds.OrderBy(m => m.Key).Select(m => $"{m.Value} [{m.Key}] in {dags.Count(d => d.Layers.Any(l => l.Kind == m.Key))} networks"))}; {dags.Count} networks ({dags.Count(d => d.Unrolled)} unrolled per sample, {dags.Count(d => !d.Unrolled)} batched), {dags.Sum(d => d.Layers.Count)} layers in all");
        output.WriteLine($"named inputs: {string.Join(", ", dags.GroupBy(d => d.NamedInputs).OrderBy(n => n.Key).Select(n => $"{n.Count()} networks with {n.Key}"))}");
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
        LayerNorm,
        Input,
    }

    /// <summary>True for the layers that merge two or more layers they name.</summary>
    internal static bool IsMerge(DagKind kind) => kind is DagKind.Add or DagKind.Multiply or DagKind.Concat;

    /// <summary>
    /// One layer of a random DAG: what it is and the layers it reads (0 is the network input vector, which only the
    /// named inputs read when there are any), in attribute order.
    /// </summary>
    internal sealed record DagLayer(int Index, DagKind Kind, int Size, Activation Activation, double Rate, int[] Sources, bool ShortForm);

    /// <summary>A random DAG network and its C# declaration; <paramref name="Inputs"/> is the size of the whole input vector.</summary>
    internal sealed record Dag(int Index, int Inputs, Loss Loss, bool Double, IReadOnlyList<DagLayer> Layers)
    {
        public string Name => "D" + Index.ToString("D3", CultureInfo.InvariantCulture);

        /// <summary>How many named inputs the network declares (0: one unnamed input vector, <c>Inputs = n</c>).</summary>
        public int NamedInputs => Layers.Count(l => l.Kind == DagKind.Input);

        /// <summary>True when every dense layer has at most 64 weights, so the generator unrolls the network per sample.</summary>
        public bool Unrolled => Layers.Where(l => l.Kind == DagKind.Dense).All(l => l.Size * SizeOf(l.Sources[0]) <= 64);

        public int SizeOf(int layer) => layer == 0 ? Inputs : Layers[layer - 1].Size;

        public string Source
        {
            get
            {
                // A layer gets a name only when another layer reads it by name (a named input always has one).
                var named = new HashSet<int>();
                foreach (var layer in Layers.Where(l => l.Kind != DagKind.Input))
                {
                    named.UnionWith(IsMerge(layer.Kind)
                        ? layer.ShortForm ? layer.Sources.Skip(1) : layer.Sources
                        : ReadsByName(layer) ? layer.Sources : []);
                }

                var text = new StringBuilder();
                string inputs = NamedInputs == 0 ? $"Inputs = {Inputs}, " : "";
                text.Append(CultureInfo.InvariantCulture, $"[Network({inputs}Loss = Loss.{Loss}, Precision = Precision.{(Double ? "Double" : "Single")})]\n");
                foreach (var layer in Layers)
                {
                    var arguments = new List<string>();
                    switch (layer.Kind)
                    {
                        case DagKind.Input:
                            arguments.Add($"\"v{layer.Index}\"");
                            arguments.Add(layer.Size.ToString(CultureInfo.InvariantCulture));
                            break;
                        case DagKind.Dense:
                            arguments.Add(layer.Size.ToString(CultureInfo.InvariantCulture));
                            arguments.Add("Activation." + layer.Activation);
                            break;
                        case DagKind.Dropout:
                            arguments.Add(layer.Rate.ToString(CultureInfo.InvariantCulture));
                            break;
                        case DagKind.LayerNorm:
                            break;
                        case DagKind.Add or DagKind.Multiply or DagKind.Concat:
                            arguments.AddRange((layer.ShortForm ? layer.Sources.Skip(1) : layer.Sources).Select(s => $"\"v{s}\""));
                            break;
                        default:
                            throw new ArgumentOutOfRangeException(nameof(layer), layer.Kind, "a layer kind the random DAGs do not draw");
                    }

                    if (named.Contains(layer.Index) && layer.Kind != DagKind.Input)
                    {
                        arguments.Add($"Name = \"v{layer.Index}\"");
                    }

                    if (!IsMerge(layer.Kind) && ReadsByName(layer))
                    {
                        arguments.Add($"From = \"v{layer.Sources[0]}\"");
                    }

                    text.Append('[').Append(layer.Kind).Append('(').AppendJoin(", ", arguments).Append(")]\n");
                }

                return text.Append("public partial class ").Append(Name).Append(";\n").ToString();
            }
        }

        /// <summary>
        /// True when a dense, dropout or layer-norm layer names the layer it reads (<c>From</c>): it reads one further
        /// up, or it is the first layer below two or more named inputs, which must say which one it reads (NG0034).
        /// </summary>
        private bool ReadsByName(DagLayer layer) =>
            layer.Kind != DagKind.Input && (layer.Sources[0] != layer.Index - 1 || (NamedInputs >= 2 && layer.Index == NamedInputs + 1));

        public static Dag Draw(CaseGenerator g)
        {
            var loss = g.OneOf(Enum.GetValues<Loss>());
            var layers = new List<DagLayer>();
            var read = new HashSet<int>();
            int inputs = 0;
            int SizeOf(int layer) => layer == 0 ? inputs : layers[layer - 1].Size;
            void Add(DagKind kind, int size, Activation activation, double rate, int[] sources, bool shortForm = false)
            {
                read.UnionWith(sources);
                layers.Add(new DagLayer(layers.Count + 1, kind, size, activation, rate, sources, shortForm));
            }

            // One unnamed input vector, or one to three named inputs: layers 1 to k, side by side in the input vector.
            int namedInputs = g.Chance(0.55) ? 0 : g.OneOf(1, 2, 2, 3, 3);
            for (int k = 0; k < namedInputs; k++)
            {
                Add(DagKind.Input, Architecture.Width(g), Activation.Identity, 0, [0]);
            }

            inputs = namedInputs == 0 ? Architecture.Width(g) : layers.Sum(l => l.Size);

            // The one-name form reads the layer above, which right below two or more inputs must be named (NG0034).
            void Merge(DagKind kind, int[] sources) => Add(kind, kind == DagKind.Concat ? sources.Sum(SizeOf) : SizeOf(sources[0]), Activation.Identity, 0, sources,
                shortForm: sources.Length == 2 && sources[0] == layers.Count && !(namedInputs >= 2 && layers.Count == namedInputs) && g.Chance(0.5));

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
                else if (previous > 0 && g.Chance(0.3) && Enumerable.Range(1, previous).Where(j => SizeOf(j) >= 2).ToList() is { Count: > 0 } normable)
                {
                    // A layer norm needs two units or more (NG0040).
                    int from = normable.Contains(previous) && g.Chance(0.6) ? previous : g.OneOf([.. normable]);
                    Add(DagKind.LayerNorm, SizeOf(from), Activation.Identity, 0, [from]);
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
