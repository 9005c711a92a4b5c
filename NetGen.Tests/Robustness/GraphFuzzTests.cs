using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using NetGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetGen.Tests.Robustness;

/// <summary>
/// The graph attributes through the generator: random DAG descriptions ([Input], Name/From, [Add], [Concat],
/// [Multiply], [LayerNorm], [Dropout], [Dense]) that are valid by construction, each also with one documented
/// mistake made, and every prefix of their attribute text. Properties: the generator never throws and never reports
/// NG0017 (its own bug); a valid description gets no NG diagnostic and code that compiles without a warning; a mistaken
/// one gets the diagnostic docs/diagnostics.md gives that mistake (cascading wiring diagnostics may join it) and no
/// code; a cut one gets no exception. Seeded like <see cref="GeneratorFuzzTests"/> (NETGEN_FUZZ_SEED).
/// </summary>
public class GraphFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 480;
    private const int CutCases = 160;
    private const int BatchSize = 40;

    private static ulong BaseSeed =>
        Environment.GetEnvironmentVariable("NETGEN_FUZZ_SEED") is { Length: > 0 } text
            ? ulong.Parse(text.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : 0x4E657447726170;

    [Fact]
    public void ValidAndMistakenGraphs()
    {
        var cases = new List<GraphCase>();
        for (int i = 0; i < Cases; i++)
        {
            var random = new FuzzRandom(FuzzRandom.CaseSeed(BaseSeed, i));
            var graph = RandomGraph.Valid(random);
            cases.Add(i % 2 == 0 ? new GraphCase(FuzzRandom.CaseSeed(BaseSeed, i), graph.Lines, null) : graph.Mistake(random, FuzzRandom.CaseSeed(BaseSeed, i)));
        }

        var counts = Run(cases);
        output.WriteLine($"base seed 0x{BaseSeed:X}; " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + ": " + c.Value)));
        Assert.True(counts.GetValueOrDefault("valid") >= Cases / 2, "too few valid cases");
        Assert.True(counts.Count(c => c.Key.StartsWith("NG", StringComparison.Ordinal)) >= 12, "too few kinds of mistake: " + string.Join(", ", counts.Keys));
    }

    [Fact]
    public void EveryPrefixOfTheAttributes()
    {
        var cases = new List<GraphCase>();
        for (int i = 0; cases.Count < CutCases; i++)
        {
            ulong seed = FuzzRandom.CaseSeed(BaseSeed ^ 0xC07, i);
            var graph = RandomGraph.Valid(new FuzzRandom(seed));
            string text = string.Join("\n", graph.Lines);
            for (int length = 0; length < text.Length && cases.Count < CutCases; length += 1 + (int)(seed % 7))
            {
                cases.Add(new GraphCase(seed, [text[..length]], "cut"));
            }
        }

        Run(cases);
    }

    /// <summary>Runs the cases in batches (one file each, one compilation per batch) and checks each; returns how many of each expectation ran.</summary>
    private static Dictionary<string, int> Run(List<GraphCase> cases)
    {
        var counts = new Dictionary<string, int>();
        var failures = new StringBuilder();
        foreach (var batch in cases.Chunk(BatchSize))
        {
            var sources = batch.Select((c, k) => c.Source(k)).ToArray();
            var result = GeneratorHarness.Run(sources);
            result.AssertNoExceptions();
            for (int k = 0; k < batch.Length; k++)
            {
                var c = batch[k];
                string key = c.Expected ?? "valid";
                counts[key] = counts.GetValueOrDefault(key) + 1;
                string file = $"Input{k}.cs";
                string hint = $"N{k}.Net.g.cs";
                var ng = result.Diagnostics.Where(d => d.Location.GetLineSpan().Path == file && d.Id.StartsWith("NG", StringComparison.Ordinal)).ToList();
                bool generated = result.RunResult.Results.SelectMany(r => r.GeneratedSources).Any(s => s.HintName == hint);
                string? problem = null;
                if (ng.Any(d => d.Id == "NG0017"))
                {
                    problem = "NG0017: " + ng.First(d => d.Id == "NG0017").GetMessage(CultureInfo.InvariantCulture);
                }
                else if (c.Expected is null)
                {
                    var warnings = result.Output.GetDiagnostics()
                        .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree
                            && (tree.FilePath == file || tree.FilePath.EndsWith(hint, StringComparison.Ordinal)))
                        .ToList();
                    problem = ng.Count > 0 ? "expected valid, got " + string.Join("; ", ng.Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture)))
                        : !generated ? "expected valid, but nothing was generated"
                        : warnings.Count > 0 ? "generated code does not compile cleanly: " + string.Join("; ", warnings.Take(3))
                        : null;
                }
                else if (c.Expected != "cut")
                {
                    problem = !ng.Any(d => d.Id == c.Expected) ? $"expected {c.Expected}, got " + (ng.Count == 0 ? "no NG diagnostic" : string.Join("; ", ng.Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture))))
                        : generated ? $"{c.Expected} was reported but code was generated too"
                        : ng.Any(d => d.Severity != DiagnosticSeverity.Error) ? "a warning among the errors"
                        : null;
                }

                if (problem is not null)
                {
                    failures.AppendLine($"seed 0x{c.Seed:X16}: {problem}\n{c.Source(k)}");
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
        return counts;
    }

    /// <summary>One description: its attribute lines, and the diagnostic it must get (null: valid; "cut": no exception only).</summary>
    private sealed record GraphCase(ulong Seed, IReadOnlyList<string> Lines, string? Expected)
    {
        public string Source(int k) =>
            "using NetGen;\nnamespace N" + k + ";\n" + string.Join("\n", Lines) + "\npublic partial class Net;\n";
    }

    /// <summary>A random valid DAG description, kept as structured layers so a mistake can be made in it.</summary>
    private sealed class RandomGraph
    {
        private static readonly string[] Hidden = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus"];

        private readonly List<(string Name, int Size)> _inputs = [];
        private readonly List<Layer> _layers = [];
        private string _network = "";

        public IReadOnlyList<string> Lines => Render(_network, _inputs, _layers);

        public static RandomGraph Valid(FuzzRandom r)
        {
            var g = new RandomGraph();
            int inputCount = r.Pick([0, 0, 1, 2, 2, 3]);
            var values = new List<(string Name, int Size)>();
            var read = new HashSet<string>();
            for (int i = 0; i < inputCount; i++)
            {
                var input = (r.Pick(["image", "meta", "x", "features", "side", "input"]) + i, r.Range(1, 6));
                g._inputs.Add(input);
                values.Add(input);
            }

            int plainInputs = r.Range(1, 6);
            string? previous = inputCount == 1 ? values[0].Name : null;
            int previousSize = inputCount == 0 ? plainInputs : inputCount == 1 ? values[0].Size : 0;
            int count = r.Range(1, 6);
            for (int i = 0; i < count; i++)
            {
                string name = "L" + i;
                bool mustName = previous is null && inputCount > 1; // several inputs: the first layer names what it reads
                var kind = r.Pick(["Dense", "Dense", "Dense", "Dropout", "Add", "Multiply", "Concat", "LayerNorm"]);
                Layer layer;
                switch (kind)
                {
                    case "Add" or "Multiply" or "Concat":
                    {
                        var candidates = kind == "Concat" ? values : values.Where(v => v.Size == previousSize || mustName).ToList();
                        if (candidates.Count == 0 || (mustName && candidates.Count < 2))
                        {
                            goto default;
                        }

                        if (mustName || r.Chance(0.5))
                        {
                            var first = r.Pick(candidates);
                            var same = kind == "Concat" ? values : values.Where(v => v.Size == first.Size).ToList();
                            var second = r.Pick(same);
                            var operands = new List<string> { first.Name, second.Name };
                            if (r.Chance(0.2))
                            {
                                operands.Add(r.Pick(same).Name);
                            }

                            if (operands.Count == 2 && operands[0] == operands[1] && mustName)
                            {
                                goto default;
                            }

                            int size = kind == "Concat" ? operands.Sum(o => values.First(v => v.Name == o).Size) : first.Size;
                            layer = new Layer(kind, name, null, operands, size, 0);
                        }
                        else
                        {
                            var other = r.Pick(candidates);
                            int size = kind == "Concat" ? previousSize + other.Size : previousSize;
                            layer = new Layer(kind, name, null, [other.Name], size, 0);
                            if (previous is not null) read.Add(previous);
                        }

                        foreach (string o in layer.Operands!)
                        {
                            read.Add(o);
                        }

                        break;
                    }

                    case "LayerNorm":
                    {
                        var from = mustName || r.Chance(0.3) ? values.Where(v => v.Size >= 2).ToList() : new List<(string Name, int Size)>();
                        if (from.Count > 0)
                        {
                            var source = r.Pick(from);
                            layer = new Layer(kind, name, source.Name, null, source.Size, 0);
                            read.Add(source.Name);
                        }
                        else if (!mustName && previousSize >= 2)
                        {
                            layer = new Layer(kind, name, null, null, previousSize, 0);
                            if (previous is not null) read.Add(previous);
                        }
                        else
                        {
                            goto default;
                        }

                        break;
                    }

                    default:
                    {
                        string? from = null;
                        int fanIn = previousSize;
                        if (values.Count > 0 && (mustName || r.Chance(0.3)))
                        {
                            var source = r.Pick(values);
                            from = source.Name;
                            fanIn = source.Size;
                        }

                        if (from is not null) read.Add(from);
                        else if (previous is not null) read.Add(previous);
                        layer = kind == "Dropout" && r.Chance(0.7)
                            ? new Layer("Dropout", name, from, null, fanIn, r.Pick([0, 1, 2, 5]))
                            : new Layer("Dense", name, from, null, r.Range(1, 6), r.Next(Hidden.Length));
                        break;
                    }
                }

                g._layers.Add(layer);
                values.Add((name, layer.Size));
                previous = name;
                previousSize = layer.Size;
            }

            // Everything above must be read: concatenate what nothing reads yet, then the output layer.
            var unread = values.Where(v => !read.Contains(v.Name) && v.Name != previous).Select(v => v.Name).ToList();
            if (unread.Count > 0)
            {
                var parts = new List<string> { previous! };
                parts.AddRange(unread);
                g._layers.Add(new Layer("Concat", "Rest", null, parts, parts.Sum(p => values.First(v => v.Name == p).Size), 0));
            }

            int loss = r.Next(4);
            int outputs = loss == 3 ? r.Range(2, 4) : r.Range(1, 4);
            string activation = loss switch { 2 => "Sigmoid", 3 => r.Pick(["Identity", "Softmax"]), _ => r.Pick(Hidden) };
            g._layers.Add(new Layer("Dense", "Out", null, null, outputs, Array.IndexOf(Hidden, activation), activation));
            string lossName = new[] { "SquaredError", "MeanSquaredError", "BinaryCrossEntropy", "SoftmaxCrossEntropy" }[loss];
            string precision = r.Chance(0.3) ? ", Precision = Precision.Double" : "";
            g._network = inputCount == 0 ? $"[Network(Inputs = {plainInputs}, Loss = Loss.{lossName}{precision})]" : $"[Network(Loss = Loss.{lossName}{precision})]";
            return g;
        }

        /// <summary>The same description with one documented mistake made before its output layer, and the diagnostic it must get.</summary>
        public GraphCase Mistake(FuzzRandom r, ulong seed)
        {
            var inputs = _inputs.ToList();
            var layers = _layers.ToList();
            string network = _network;
            int output = layers.Count - 1;
            var last = layers[output - 1]; // the last hidden layer (Valid makes at least one)
            string id;
            switch (r.Next(12))
            {
                case 0:
                    layers.Insert(output, new Layer("Dense", "Bad", "Nowhere", null, 2, 2));
                    id = "NG0020";
                    break;
                case 1:
                    layers.Insert(output, new Layer("Dense", r.Pick(layers.Take(output).Select(l => l.Name).Concat(inputs.Select(i => i.Name)).ToList()), null, null, 2, 2));
                    id = "NG0021";
                    break;
                case 2:
                {
                    string kind = r.Pick(["Add", "Multiply"]);
                    layers.Insert(output, new Layer("Dense", "Wide", last.Name, null, last.Size + 1, 2));
                    layers.Insert(output + 1, new Layer(kind, "Bad", null, [last.Name, "Wide"], 0, 0));
                    id = kind == "Add" ? "NG0022" : "NG0028";
                    break;
                }

                case 3:
                {
                    string kind = r.Pick(["Add", "Concat", "Multiply"]);
                    layers.Insert(output, new Layer(kind, "Bad", null, [], 0, 0));
                    id = kind == "Add" ? "NG0024" : "NG0026";
                    break;
                }

                case 4:
                {
                    string kind = r.Pick(["Add", "Concat", "Multiply", "LayerNorm"]);
                    layers.Add(kind == "LayerNorm" ? new Layer(kind, "Last", null, null, 0, 0) : new Layer(kind, "Last", null, ["Out"], 0, 0));
                    id = "NG0025";
                    break;
                }

                case 5 when inputs.Count > 0:
                    network = network.Replace("[Network(", "[Network(Inputs = 3, ", StringComparison.Ordinal);
                    id = "NG0030";
                    break;
                case 6 when inputs.Count > 0:
                    inputs[0] = (inputs[0].Name, r.Pick([0, -1, -100]));
                    id = "NG0031";
                    break;
                case 7 when inputs.Count > 0:
                    inputs[0] = (r.Pick(["9lives", "two words", "a-b", ""]), inputs[0].Size);
                    id = "NG0032";
                    break;
                case 8 when inputs.Count > 0:
                    layers.Insert(1, new Layer("Input", "late", null, null, 2, 0));
                    id = "NG0033";
                    break;
                case 9 when inputs.Count > 1:
                    layers.Insert(0, new Layer("Dense", "Unnamed", null, null, 2, 2));
                    id = "NG0034";
                    break;
                case 10 when inputs.Count > 0:
                    inputs.Insert(0, ("unused", 2));
                    id = "NG0035";
                    break;
                default:
                    layers.Insert(output, new Layer("Dense", "One", null, null, 1, 2));
                    layers.Insert(output + 1, new Layer("LayerNorm", "Norm", null, null, 1, 0));
                    id = "NG0040";
                    break;
            }

            return new GraphCase(seed, Render(network, inputs, layers), id);
        }

        private static List<string> Render(string network, List<(string Name, int Size)> inputs, List<Layer> layers)
        {
            var lines = new List<string> { network };
            lines.AddRange(inputs.Select(i => $"[Input(\"{i.Name}\", {i.Size})]"));
            lines.AddRange(layers.Select(l => l.Render()));
            return lines;
        }
    }

    /// <summary>One layer attribute: <see cref="Detail"/> is a dense layer's activation index or a dropout's rate in tenths.</summary>
    private sealed record Layer(string Kind, string Name, string? From, List<string>? Operands, int Size, int Detail, string? Activation = null)
    {
        public string Render()
        {
            string name = $"Name = \"{Name}\"";
            string from = From is null ? "" : $", From = \"{From}\"";
            return Kind switch
            {
                "Dense" => $"[Dense({Size}, Activation.{Activation ?? new[] { "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus" }[Detail]}, {name}{from})]",
                "Dropout" => $"[Dropout({(Detail / 10.0).ToString(CultureInfo.InvariantCulture)}, {name}{from})]",
                "LayerNorm" => $"[LayerNorm({name}{from})]",
                "Input" => $"[Input(\"{Name}\", {Size})]",
                _ => $"[{Kind}({string.Concat((Operands ?? []).Select(o => $"\"{o}\", "))}{name})]",
            };
        }
    }
}
