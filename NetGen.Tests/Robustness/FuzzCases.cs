using System.Globalization;

namespace NetGen.Tests.Robustness;

internal enum CutKind { None, Prefix, HalfTyped }

/// <summary>
/// One fuzz case: a description, possibly cut (<see cref="CutKind.Prefix"/>: the file up to
/// <see cref="CutAt"/>; <see cref="CutKind.HalfTyped"/>: the attribute lists up to
/// <see cref="CutAt"/>, then the class declaration), and what it must do. Reproduce it with
/// <see cref="FuzzCases.Random"/> or <see cref="FuzzCases.HalfTyped"/> from <see cref="Seed"/>
/// and <see cref="CutAt"/>.
/// </summary>
internal sealed record FuzzCase(string Category, ulong Seed, NetworkDescription Description, CutKind Cut, int CutAt, Expectation Expectation)
{
    public string Source(int id)
    {
        var rendered = Description.Render(id);
        return Cut switch
        {
            CutKind.Prefix => rendered.Text[..CutAt],
            CutKind.HalfTyped => rendered.Text[..(rendered.RegionStart + CutAt)] + "\n" + rendered.Text[rendered.RegionEnd..],
            _ => rendered.Text,
        };
    }

    public override string ToString() => $"{Category} seed=0x{Seed:X16}" + (Cut == CutKind.None ? "" : $" {Cut} at {CutAt}");
}

/// <summary>The seeded case generator: random network descriptions by category, and cuts of valid ones.</summary>
internal static class FuzzCases
{
    public static readonly string[] Categories =
    [
        "valid", "sizes", "enums", "missing-network", "duplicate-attributes", "softmax-middle",
        "loss-mismatch", "dropout", "type-shapes", "identifiers", "mixed",
    ];

    private static readonly string[] ActivationNames = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "Softmax"];
    private static readonly string[] LossNames = ["SquaredError", "MeanSquaredError", "BinaryCrossEntropy", "SoftmaxCrossEntropy"];
    private static readonly string[] PrecisionNames = ["Single", "Double"];

    private static readonly IntArg[] NonPositive =
    [
        new("0", 0), new("-1", -1), new("-7", -7), new("int.MinValue", int.MinValue), new("-2147483647", -2147483647),
        new("unchecked((int)0xFFFFFFFF)", -1), new("-0", 0), new("default", 0), new("1 - 1", 0), new("~0", -1),
    ];

    private static readonly IntArg[] Huge =
    [
        new("int.MaxValue", int.MaxValue), new("1 << 30", 1 << 30), new("46341", 46341), new("65536", 65536),
        new("1_000_000", 1_000_000), new("0x7FFFFFFE", 0x7FFFFFFE), new("100000", 100000), new("(1 << 15) + 1", (1 << 15) + 1),
    ];

    private static readonly IntArg[] BadActivation =
    [
        new("(Activation)99", 99), new("(Activation)7", 7), new("(Activation)(-1)", -1), new("(Activation)int.MaxValue", int.MaxValue),
        new("(Activation)int.MinValue", int.MinValue), new("(NetGen.Activation)42", 42),
    ];

    private static readonly IntArg[] BadLoss = [new("(Loss)(-1)", -1), new("(Loss)4", 4), new("(Loss)99", 99), new("(Loss)int.MaxValue", int.MaxValue)];
    private static readonly IntArg[] BadPrecision = [new("(Precision)7", 7), new("(Precision)2", 2), new("(Precision)(-1)", -1), new("(Precision)int.MinValue", int.MinValue)];

    private static readonly DoubleArg[] GoodRates =
    [
        new("0.5", 0.5), new("0", 0), new("0.0", 0), new("-0.0", -0.0), new("0.25f", 0.25), new("0.999", 0.999),
        new("double.Epsilon", double.Epsilon), new("0.9999999999999999", 0.9999999999999999), new("1e-300", 1e-300),
    ];

    private static readonly DoubleArg[] BadRates =
    [
        new("-0.1", -0.1), new("1", 1), new("1.0", 1), new("1.5", 1.5), new("0.0 / 0.0", double.NaN), new("double.NaN", double.NaN),
        new("double.PositiveInfinity", double.PositiveInfinity), new("double.NegativeInfinity", double.NegativeInfinity),
        new("-double.Epsilon", -double.Epsilon), new("2", 2), new("1e300", 1e300), new("float.NaN", double.NaN),
    ];

    private static readonly string[] TypeNames =
    [
        "Net", "Model", "XorNet", "Span", "Vector", "MathF", "Math", "INetwork", "NetworkWorkspace", "Unsafe", "MemoryMarshal",
        "Array", "ArgumentException", "ThreadStatic", "GeneratedCode", "System", "Outer", "Inner", "T",
    ];

    /// <summary>A random description of <paramref name="seed"/>, with its expectation.</summary>
    public static FuzzCase Random(ulong seed, bool dropoutSupported)
    {
        var r = new FuzzRandom(seed);
        string category = Categories[r.Next(Categories.Length)];
        var d = ValidBase(r);
        Mutate(r, d, category);
        Layout(r, d);
        return new FuzzCase(category, seed, d, CutKind.None, 0, Oracle.Expect(d.Shape, d.Attributes, dropoutSupported));
    }

    /// <summary>A valid description of <paramref name="seed"/> for the cut tests (one declaration, one [Network]).</summary>
    public static NetworkDescription CutBase(ulong seed)
    {
        var r = new FuzzRandom(seed);
        var d = ValidBase(r);
        if (r.Chance(0.3))
        {
            // Not where it would leave a layer unread (between a layer and a merge that names it and the one above).
            var before = d.Attributes.ToList();
            InsertDropout(r, d, GoodRates);
            if (Oracle.Expect(d.Shape, d.Attributes, dropoutSupported: true).Outcome != Outcome.Valid)
            {
                d.Attributes = before;
            }
        }

        Layout(r, d, allowSplit: false);
        return d;
    }

    /// <summary>The file of <paramref name="seed"/>'s base cut after <paramref name="length"/> characters.</summary>
    public static FuzzCase Prefix(ulong seed, int length, bool dropoutSupported)
    {
        var d = CutBase(seed);
        string text = d.Render(0).Text;
        var full = Oracle.Expect(d.Shape, d.Attributes, dropoutSupported);
        var expectation = text[length..].Trim().Length == 0 ? full
            : full.Outcome == Outcome.NoExceptionOnly ? full
            : Expectation.Of(Outcome.Broken); // a prefix of a valid description: no NG diagnostic at all
        return new FuzzCase("prefix", seed, d, CutKind.Prefix, length, expectation);
    }

    /// <summary>
    /// The attribute lists of <paramref name="seed"/>'s base cut after <paramref name="length"/>
    /// characters, followed by the class declaration: a half-typed attribute list.
    /// </summary>
    public static FuzzCase HalfTyped(ulong seed, int length, bool dropoutSupported)
    {
        var d = CutBase(seed);
        var rendered = d.Render(0);
        string region = rendered.Text[rendered.RegionStart..(rendered.RegionStart + length)];
        int depth = region.Count(c => c == '[') - region.Count(c => c == ']');
        int cut = rendered.RegionStart + length;
        var closed = new List<AttributeSpec>();
        var openDone = new List<AttributeSpec>();
        AttributeSpec? partial = null;
        int index = 0;
        foreach (int size in d.Grouping)
        {
            var list = Enumerable.Range(index, size).ToList();
            bool listClosed = rendered.AttributeSpans[list[^1]].End < cut;
            foreach (int k in list)
            {
                var (start, end) = rendered.AttributeSpans[k];
                if (listClosed) closed.Add(d.Attributes[k]);
                else if (end <= cut) openDone.Add(d.Attributes[k]);
                else if (start < cut) partial = d.Attributes[k];
            }

            index += size;
        }

        if (depth == 0)
        {
            // Cut between attribute lists: a complete, shorter description.
            return new FuzzCase("half-typed", seed, d, CutKind.HalfTyped, length, Oracle.Expect(d.Shape, closed, dropoutSupported));
        }

        var readings = new List<List<AttributeSpec>> { closed, closed.Concat(openDone).ToList() };
        if (partial is not null)
        {
            foreach (var variant in Readings(partial))
            {
                readings.Add(closed.Concat(openDone).Append(variant).ToList());
            }
        }

        var possible = new HashSet<string> { "NG0014" };
        foreach (var reading in readings)
        {
            var e = Oracle.Expect(d.Shape, reading, dropoutSupported);
            if (e.Outcome is Outcome.NoExceptionOnly or Outcome.CompilerError)
            {
                return new FuzzCase("half-typed", seed, d, CutKind.HalfTyped, length, Expectation.Of(Outcome.NoExceptionOnly));
            }

            possible.UnionWith(e.Definite);
            possible.UnionWith(e.Possible);
        }

        return new FuzzCase("half-typed", seed, d, CutKind.HalfTyped, length, new Expectation(Outcome.Broken, new HashSet<string>(), possible));
    }

    /// <summary>What a half-typed attribute may be read as: as written, or with its later arguments missing, or with a number cut short.</summary>
    private static IEnumerable<AttributeSpec> Readings(AttributeSpec partial)
    {
        switch (partial)
        {
            case NetworkAttr n:
                foreach (var inputs in new[] { n.Inputs, null, new IntArg("1", 1) })
                foreach (var loss in new[] { n.Loss, null })
                foreach (var precision in new[] { n.Precision, null })
                {
                    yield return n with { Inputs = inputs, Loss = loss, Precision = precision };
                }

                break;
            case DenseAttr dense:
                foreach (var units in new[] { dense.Units, new IntArg("1", 1) })
                foreach (var activation in new[] { dense.Activation, null })
                foreach (string? name in new[] { dense.LayerName, null, "" })
                foreach (string? from in new[] { dense.From, null, "" })
                {
                    yield return dense with { Units = units, Activation = activation, LayerName = name, From = from };
                }

                break;
            case InputAttr input:
                // The name or the size cut short: a name nothing else uses (or none), a size of 1.
                foreach (string name in new[] { input.InputName, "" })
                foreach (var size in new[] { input.Size, new IntArg("1", 1) })
                {
                    yield return input with { InputName = name, Size = size };
                }

                break;
            case LayerNormAttr norm:
                foreach (string? name in new[] { norm.LayerName, null, "" })
                foreach (string? from in new[] { norm.From, null, "" })
                {
                    yield return norm with { LayerName = name, From = from };
                }

                break;
            case MergeAttr merge:
                // Only some of the names typed, the last one possibly cut to a name no layer has.
                for (int count = 0; count <= merge.Inputs.Count; count++)
                {
                    var typed = merge.Inputs.Take(count).ToList();
                    yield return merge with { Inputs = typed, LayerName = null };
                    if (count > 0) yield return merge with { Inputs = [.. typed.SkipLast(1), ""], LayerName = null };
                }

                yield return merge;
                break;
            case DropoutAttr dropout:
                yield return dropout;
                yield return dropout with { Rate = new DoubleArg("0", 0) };
                yield return dropout with { Rate = new DoubleArg("1", 1) };
                break;
        }
    }

    private static IntArg Small(FuzzRandom r) => r.Next(100) switch
    {
        < 80 => Int(r.Range(1, 6)),
        < 96 => Int(r.Range(7, 40)),
        _ => Int(r.Range(64, 300)),
    };

    private static IntArg Int(int value) => new(value.ToString(CultureInfo.InvariantCulture), value);

    private static IntArg Enum(FuzzRandom r, string type, string[] names, int value)
    {
        string prefix = r.Next(10) switch { 0 => "NetGen.", 1 => "global::NetGen.", _ => "" };
        return r.Next(8) switch
        {
            0 => new($"({prefix}{type}){value}", value),
            1 when value == 0 => new($"default({type})", 0),
            _ => new($"{prefix}{type}.{names[value]}", value),
        };
    }

    private static IntArg Activation(FuzzRandom r, int value) => Enum(r, "Activation", ActivationNames, value);

    private static string Pick(FuzzRandom r, params string[] names) => names[r.Next(names.Length)];

    private static DenseAttr Dense(FuzzRandom r, IntArg units, int activation) =>
        new(Pick(r, "Dense", "Dense", "Dense", "DenseAttribute", "NetGen.Dense", "global::NetGen.DenseAttribute"),
            units, activation == 0 && r.Chance(0.5) ? null : Activation(r, activation), r.Next(4));

    /// <summary>A valid network: a loss, a last layer that fits it, hidden layers with element-wise activations.</summary>
    private static NetworkDescription ValidBase(FuzzRandom r)
    {
        var d = new NetworkDescription();
        int loss = r.Next(4);
        int lastActivation = loss switch
        {
            Oracle.SoftmaxCrossEntropy => r.Chance(0.5) ? Oracle.Identity : Oracle.Softmax,
            Oracle.BinaryCrossEntropy => Oracle.Sigmoid,
            _ => r.Next(6),
        };
        IntArg? lossArg = loss == 0 && r.Chance(0.4) ? null : Enum(r, "Loss", LossNames, loss);
        int precision = r.Next(2);
        IntArg? precisionArg = precision == 0 && r.Chance(0.6) ? null : Enum(r, "Precision", PrecisionNames, precision);
        d.Attributes.Add(new NetworkAttr(Pick(r, "Network", "Network", "Network", "NetworkAttribute", "NetGen.Network", "global::NetGen.NetworkAttribute", "NetAttr"),
            Small(r), lossArg, precisionArg, r.Next(4), false));
        int hidden = r.Next(100) switch { < 30 => 0, < 70 => 1, < 90 => 2, _ => 3 };
        for (int i = 0; i < hidden; i++)
        {
            d.Attributes.Add(Dense(r, Small(r), r.Next(6)));
        }

        var outUnits = Small(r);
        if ((loss == Oracle.SoftmaxCrossEntropy || lastActivation == Oracle.Softmax) && outUnits.Value < 2)
        {
            outUnits = Int(r.Range(2, 5));
        }

        d.Attributes.Add(Dense(r, outUnits, lastActivation));
        if (r.Chance(0.35))
        {
            AddGraph(r, d);
        }

        if (r.Chance(0.15))
        {
            // Network attribute not first: the layer order is the order of the layer attributes only.
            var network = d.Attributes[0];
            d.Attributes.RemoveAt(0);
            d.Attributes.Insert(r.Range(1, d.Attributes.Count), network);
        }

        d.Namespace = (NamespaceStyle)r.Next(4);
        d.Shape = r.Next(10) switch { 0 => TypeShape.Abstract, 1 => TypeShape.Sealed, _ => TypeShape.Class };
        d.Modifiers = Pick(r, "public ", "public ", "internal ", "");
        d.TypeName = d.TypeNameValue = r.Chance(0.7) ? "Net" : TypeNames[r.Next(TypeNames.Length)];
        if (r.Chance(0.1)) d.NamespaceExtra = Pick(r, "Models", "System", "Nets.Deep");
        d.Body = r.Next(6);
        return d;
    }

    /// <summary>True when the description uses the graph attributes ([Input], [LayerNorm], [Add], [Concat], [Multiply], Name, From).</summary>
    public static bool UsesGraphAttributes(NetworkDescription d) =>
        d.Attributes.Any(a => a is InputAttr or LayerNormAttr or MergeAttr || a is DenseAttr { LayerName: not null } or DenseAttr { From: not null });

    /// <summary>
    /// Graph attributes over a valid chain [Network] [Dense]... [Dense], keeping it valid (the mistakes in them are
    /// <see cref="GraphFuzzTests"/>' part; here the chain's mutations meet them): a skip, gate or concatenation around
    /// a hidden layer, a layer norm after one, one or two named inputs in place of <c>Inputs</c>.
    /// </summary>
    private static void AddGraph(FuzzRandom r, NetworkDescription d)
    {
        // The layer norm first, so that the merge block below, inserted right after a layer, cannot separate a layer
        // from the full-form merge that names it and the layer above.
        var normable = DenseIndices(d).SkipLast(1).Where(k => ((DenseAttr)d.Attributes[k]).Units.Value >= 2).ToList();
        if (normable.Count > 0 && r.Chance(0.5))
        {
            d.Attributes.Insert(r.Pick(normable) + 1, new LayerNormAttr(Pick(r, "LayerNorm", "LayerNorm", "LayerNormAttribute", "NetGen.LayerNorm"),
                r.Chance(0.2) ? "n1" : null, null, r.Chance(0.5)));
        }

        if (r.Chance(0.6))
        {
            // [Dense(.., Name = "h1")] [Dense] [Add("h1")], or the full form naming both.
            var hidden = DenseIndices(d).SkipLast(1).ToList();
            if (hidden.Count == 0)
            {
                d.Attributes.Insert(DenseIndices(d)[0], Dense(r, Small(r), r.Next(6)));
                hidden = [DenseIndices(d)[0]];
            }

            int at = r.Pick(hidden);
            var first = (DenseAttr)d.Attributes[at] with { LayerName = "h1" };
            string kind = r.Pick(["Add", "Add", "Multiply", "Concat"]);
            var second = Dense(r, kind == "Concat" ? Small(r) : first.Units, r.Next(6));
            string name = kind + Pick(r, "", "", "", "Attribute");
            var merge = new MergeAttr(r.Chance(0.1) ? "NetGen." + name : name, kind, ["h1"], null);
            if (r.Chance(0.4))
            {
                second = second with { LayerName = "g1" };
                merge = merge with { Inputs = r.Chance(0.5) ? ["h1", "g1"] : ["g1", "h1"] };
            }

            d.Attributes[at] = first;
            d.Attributes.Insert(at + 1, second);
            d.Attributes.Insert(at + 2, merge);
        }

        if (r.Chance(0.4))
        {
            // Named inputs instead of Inputs = n (the [Network] attribute is still first here).
            var network = NetworkOf(d);
            ReplaceNetwork(d, network with { Inputs = null });
            string input = Pick(r, "Input", "Input", "InputAttribute", "NetGen.Input");
            d.Attributes.Insert(1, new InputAttr(input, "image", network.Inputs!));
            if (r.Chance(0.5))
            {
                // Two: the first layer names the one it reads (NG0034), and the other joins by a concatenation.
                d.Attributes.Insert(2, new InputAttr(input, "meta", Small(r)));
                int output = DenseIndices(d)[^1];
                if (output != 3 && d.Attributes[3] is DenseAttr firstLayer)
                {
                    d.Attributes[3] = firstLayer with { From = "image" };
                    d.Attributes.Insert(output, new MergeAttr("Concat", "Concat", ["meta"], null));
                }
                else
                {
                    d.Attributes.Insert(3, new MergeAttr("Concat", "Concat", r.Chance(0.5) ? ["image", "meta"] : ["meta", "image"], null));
                }
            }
        }

        if (Oracle.Expect(d.Shape, d.Attributes, dropoutSupported: true).Outcome != Outcome.Valid)
        {
            throw new InvalidOperationException("The graph attributes made a valid base invalid: " + d.Render(0).Text);
        }
    }

    private static void InsertDropout(FuzzRandom r, NetworkDescription d, DoubleArg[] rates, bool last = false)
    {
        var attr = new DropoutAttr(Pick(r, "Dropout", "Dropout", "DropoutAttribute", "NetGen.Dropout"), rates[r.Next(rates.Length)]);
        var denseIndices = d.Attributes.Select((a, i) => (a, i)).Where(p => p.a is DenseAttr).Select(p => p.i).ToList();
        if (last)
        {
            d.Attributes.Insert(denseIndices[^1] + 1, attr);
        }
        else if (denseIndices.Count >= 2)
        {
            // Between two dense layers.
            int k = r.Next(denseIndices.Count - 1);
            d.Attributes.Insert(denseIndices[k] + 1, attr);
        }
        else
        {
            d.Attributes.Insert(denseIndices[0], new DenseAttr("Dense", Small(r), Activation(r, r.Next(6)), 0));
            d.Attributes.Insert(denseIndices[0] + 1, attr);
        }
    }

    private static List<int> DenseIndices(NetworkDescription d) =>
        d.Attributes.Select((a, i) => (a, i)).Where(p => p.a is DenseAttr).Select(p => p.i).ToList();

    private static NetworkAttr NetworkOf(NetworkDescription d) => d.Attributes.OfType<NetworkAttr>().First();

    private static void ReplaceNetwork(NetworkDescription d, NetworkAttr replacement) =>
        d.Attributes[d.Attributes.IndexOf(NetworkOf(d))] = replacement;

    private static void Mutate(FuzzRandom r, NetworkDescription d, string category)
    {
        switch (category)
        {
            case "valid":
                if (r.Chance(0.1))
                {
                    // Large but allowed: up to 2^30 parameters.
                    var (inputs, units) = r.Pick<(int, int)>([(1 << 29, 1), ((1 << 30) - 1, 1), ((1 << 30) - 2, 1), (16383, 65535), (1, (1 << 29) - 1)]);
                    d.Attributes.Clear();
                    d.Attributes.Add(new NetworkAttr("Network", Int(inputs), null, null, 0, false));
                    d.Attributes.Add(new DenseAttr("Dense", Int(units), null, 0));
                }

                break;
            case "sizes":
            {
                int what = r.Next(5);
                var dense = DenseIndices(d);
                if (what == 0)
                {
                    ReplaceNetwork(d, NetworkOf(d) with { Inputs = r.Chance(0.2) ? null : r.Pick(NonPositive) });
                }
                else if (what == 1)
                {
                    int k = r.Pick(dense);
                    d.Attributes[k] = ((DenseAttr)d.Attributes[k]) with { Units = r.Pick(NonPositive) };
                }
                else
                {
                    // Huge: parameter counts past 2^30, past int and (int.MaxValue squared) past anything an int can hold.
                    ReplaceNetwork(d, NetworkOf(d) with { Inputs = r.Chance(0.7) ? r.Pick(Huge) : NetworkOf(d).Inputs });
                    foreach (int k in dense)
                    {
                        if (r.Chance(0.7)) d.Attributes[k] = ((DenseAttr)d.Attributes[k]) with { Units = r.Pick(Huge) };
                    }

                    if (r.Chance(0.3))
                    {
                        int k = r.Pick(dense);
                        d.Attributes[k] = ((DenseAttr)d.Attributes[k]) with { Units = r.Pick(NonPositive) };
                    }
                }

                break;
            }

            case "enums":
            {
                int what = r.Next(3);
                if (what == 0) ReplaceNetwork(d, NetworkOf(d) with { Loss = r.Pick(BadLoss) });
                else if (what == 1) ReplaceNetwork(d, NetworkOf(d) with { Precision = r.Pick(BadPrecision) });
                else
                {
                    int k = r.Pick(DenseIndices(d));
                    d.Attributes[k] = ((DenseAttr)d.Attributes[k]) with { Activation = r.Pick(BadActivation) };
                }

                break;
            }

            case "missing-network":
                d.Attributes.Remove(NetworkOf(d));
                if (r.Chance(0.15)) d.Attributes.Clear();
                else if (r.Chance(0.1)) InsertDropout(r, d, GoodRates);
                break;
            case "duplicate-attributes":
            {
                var second = NetworkOf(d) with { Inputs = r.Chance(0.5) ? NetworkOf(d).Inputs : Small(r) };
                if (r.Chance(0.4))
                {
                    d.Attributes.Add(second);
                    d.SplitAt = d.Attributes.Count - 1; // the second [Network] on a second partial declaration
                }
                else
                {
                    d.Attributes.Insert(r.Range(0, d.Attributes.Count), second);
                }

                break;
            }

            case "softmax-middle":
            {
                var dense = DenseIndices(d);
                if (dense.Count == 1)
                {
                    d.Attributes.Insert(dense[0] + 1, Dense(r, Small(r), r.Next(6)));
                    dense = DenseIndices(d);
                }

                int k = dense[r.Next(dense.Count - 1)];
                d.Attributes[k] = ((DenseAttr)d.Attributes[k]) with { Activation = Activation(r, Oracle.Softmax) };
                break;
            }

            case "loss-mismatch":
            {
                var last = DenseIndices(d)[^1];
                var (loss, activation, units) = r.Next(6) switch
                {
                    0 => (Oracle.BinaryCrossEntropy, r.Pick([0, 2, 3, 4, 5, 6]), r.Range(1, 4)),
                    1 => (Oracle.SoftmaxCrossEntropy, r.Range(1, 5), r.Range(1, 4)),
                    2 => (r.Range(0, 1), Oracle.Softmax, r.Range(1, 4)),
                    3 => (Oracle.SoftmaxCrossEntropy, r.Pick([0, 6]), 1), // NG0013
                    4 => (Oracle.BinaryCrossEntropy, Oracle.Softmax, r.Range(1, 3)),
                    _ => (Oracle.SoftmaxCrossEntropy, Oracle.Identity, r.Range(1, 2)),
                };
                ReplaceNetwork(d, NetworkOf(d) with { Loss = Enum(r, "Loss", LossNames, loss) });
                d.Attributes[last] = ((DenseAttr)d.Attributes[last]) with { Units = Int(units), Activation = Activation(r, activation) };
                break;
            }

            case "dropout":
                switch (r.Next(4))
                {
                    case 0: InsertDropout(r, d, GoodRates); break;
                    case 1: InsertDropout(r, d, BadRates); break;
                    case 2: InsertDropout(r, d, r.Chance(0.5) ? GoodRates : BadRates, last: true); break;
                    default: InsertDropout(r, d, GoodRates); InsertDropout(r, d, r.Chance(0.5) ? GoodRates : BadRates); break;
                }

                break;
            case "type-shapes":
                d.Shape = r.Pick([TypeShape.NotPartial, TypeShape.Static, TypeShape.Record, TypeShape.RecordStruct, TypeShape.Struct,
                    TypeShape.Generic, TypeShape.Nested, TypeShape.NestedInGeneric, TypeShape.Abstract, TypeShape.Sealed]);
                if (r.Chance(0.2)) d.Namespace = NamespaceStyle.Global;
                break;
            case "identifiers":
                switch (r.Next(6))
                {
                    case 0: d.TypeName = "@Net"; d.TypeNameValue = "Net"; break;
                    case 1: d.TypeName = "N\\u0065t"; d.TypeNameValue = "Net"; break;
                    case 2: d.TypeName = d.TypeNameValue = r.Pick(["Сеть", "Netz_Ä", "网络", "Ωmega"]); break;
                    case 3:
                        d.TypeName = r.Pick(["@class", "@event", "@object"]);
                        d.TypeNameValue = d.TypeName[1..];
                        d.AllowedCompilerWarnings.Add("CS8981"); // lower-case type name: the user's own warning
                        if (d.Namespace == NamespaceStyle.Global) d.Namespace = NamespaceStyle.FileScoped;
                        break;
                    case 4:
                        d.NamespaceExtra = r.Pick(["@class", "@namespace", "@int"]);
                        if (d.Namespace == NamespaceStyle.Global) d.Namespace = NamespaceStyle.Block;
                        break;
                    default: d.Shape = TypeShape.FileLocal; break;
                }

                break;
            case "mixed":
                for (int i = r.Range(2, 3); i > 0; i--)
                {
                    string other = Categories[r.Range(1, Categories.Length - 1)];
                    if (other is "mixed" or "identifiers") continue;
                    if (other != "missing-network" || d.Attributes.OfType<NetworkAttr>().Any())
                    {
                        if (!d.Attributes.OfType<DenseAttr>().Any() && other is not ("missing-network" or "duplicate-attributes" or "type-shapes")) continue;
                        if (!d.Attributes.OfType<NetworkAttr>().Any() && other is "sizes" or "enums" or "loss-mismatch" or "duplicate-attributes") continue;
                        Mutate(r, d, other);
                    }
                }

                break;
        }
    }

    /// <summary>Groups the attributes into attribute lists and may move some to a second partial declaration.</summary>
    private static void Layout(FuzzRandom r, NetworkDescription d, bool allowSplit = true)
    {
        int count = d.Attributes.Count;
        bool canSplit = allowSplit && d.Shape is TypeShape.Class or TypeShape.Abstract or TypeShape.Sealed && d.Shape != TypeShape.FileLocal;
        if (d.SplitAt < 0 && canSplit && count >= 2 && r.Chance(0.1))
        {
            d.SplitAt = r.Range(1, count - 1);
        }

        if (!canSplit && d.SplitAt >= 0)
        {
            // A second [Network] on a type that cannot take a second declaration: put it on the same one.
            d.SplitAt = -1;
        }

        int first = d.SplitAt < 0 ? count : d.SplitAt;
        d.Grouping.Clear();
        int style = r.Next(10);
        for (int left = first; left > 0;)
        {
            int size = style switch { < 6 => 1, < 8 => left, _ => r.Range(1, left) };
            d.Grouping.Add(size);
            left -= size;
        }
    }
}
