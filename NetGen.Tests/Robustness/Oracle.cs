namespace NetGen.Tests.Robustness;

/// <summary>What a description must do when it goes through the generator.</summary>
internal enum Outcome
{
    /// <summary>Valid by the documented rules: no NG diagnostic, a generated file, no warning or error.</summary>
    Valid,

    /// <summary>Invalid by the documented rules: at least one NG diagnostic, all of them expected, no generated file.</summary>
    Invalid,

    /// <summary>No network at all (no [Network], no [Dense]): nothing generated, no diagnostic.</summary>
    Nothing,

    /// <summary>Rejected by the C# compiler itself (struct, duplicate [Network]): at least one compiler error.</summary>
    CompilerError,

    /// <summary>The source is syntactically broken (half-typed): compiler errors, and only the NG diagnostics in <see cref="Expectation.Possible"/>.</summary>
    Broken,

    /// <summary>Only "the generator does not throw" is checked.</summary>
    NoExceptionOnly,
}

/// <summary>
/// The expected result of one description. <see cref="Definite"/>: IDs the documented rules say
/// apply; <see cref="Possible"/>: IDs that may also be reported (cascades the docs leave open).
/// </summary>
internal sealed record Expectation(Outcome Outcome, IReadOnlySet<string> Definite, IReadOnlySet<string> Possible)
{
    public static Expectation Of(Outcome outcome) => new(outcome, new HashSet<string>(), new HashSet<string>());
}

/// <summary>
/// The documented rules of docs/diagnostics.md (and the attribute docs), written independently of
/// the generator's parser: from a description's fields to the diagnostics it must get.
/// </summary>
internal static class Oracle
{
    public const int Identity = 0, Sigmoid = 1, Softmax = 6;
    public const int SquaredError = 0, MeanSquaredError = 1, BinaryCrossEntropy = 2, SoftmaxCrossEntropy = 3;
    public const long MaxParameters = 1L << 30;

    public static bool KnownActivation(int v) => v is >= 0 and <= 6;

    public static bool KnownLoss(int v) => v is >= 0 and <= 3;

    public static bool KnownPrecision(int v) => v is 0 or 1;

    /// <param name="dropoutSupported">Whether the generator reads [Dropout] (probed at run time): if not, descriptions with dropout only must not crash it.</param>
    /// <summary>The wiring diagnostics that depend on layer sizes: unknown when a size before them is not positive.</summary>
    private static readonly string[] SizeRules = ["NG0010", "NG0022", "NG0027", "NG0028", "NG0040"];

    public static Expectation Expect(TypeShape shape, IReadOnlyList<AttributeSpec> attributes, bool dropoutSupported)
    {
        var definite = new HashSet<string>();
        var possible = new HashSet<string>();
        var networks = attributes.OfType<NetworkAttr>().ToList();
        var denses = attributes.OfType<DenseAttr>().ToList();
        var layers = attributes.Where(a => a is DenseAttr or DropoutAttr or InputAttr or LayerNormAttr or MergeAttr).ToList();
        var namedInputs = layers.OfType<InputAttr>().ToList();
        bool hasDropout = layers.Any(l => l is DropoutAttr);

        if (networks.Count > 1 || (shape is TypeShape.Struct or TypeShape.RecordStruct && attributes.Count > 0))
        {
            // [AttributeUsage(Class, AllowMultiple = false)]: CS0592 / CS0579.
            return Expectation.Of(Outcome.CompilerError);
        }

        if (hasDropout && !dropoutSupported)
        {
            return Expectation.Of(Outcome.NoExceptionOnly);
        }

        if (networks.Count == 0)
        {
            if (denses.Count > 0)
            {
                definite.Add("NG0012");
                return new Expectation(Outcome.Invalid, definite, possible);
            }

            if (layers.Count > 0)
            {
                possible.Add("NG0012");
            }

            return new Expectation(Outcome.Nothing, definite, possible);
        }

        switch (shape)
        {
            case TypeShape.NotPartial: definite.Add("NG0001"); break;
            case TypeShape.Static or TypeShape.Record or TypeShape.FileLocal: definite.Add("NG0011"); break;
            case TypeShape.Generic: definite.Add("NG0008"); break;
            case TypeShape.Nested: definite.Add("NG0007"); break;
            case TypeShape.NestedInGeneric: definite.Add("NG0007"); possible.Add("NG0008"); break;
        }

        var network = networks[0];
        int loss = network.Loss?.Value ?? SquaredError;
        int precision = network.Precision?.Value ?? 0;
        long inputs;
        if (namedInputs.Count > 0)
        {
            // The input vector is the named inputs side by side; [Network] must not give Inputs too.
            if (network.Inputs is not null)
            {
                definite.Add("NG0030");
                possible.Add("NG0003");
            }

            foreach (var input in namedInputs.Where(i => i.Size.Value <= 0)) definite.Add("NG0031");
            inputs = namedInputs.All(i => i.Size.Value > 0) ? namedInputs.Sum(i => (long)i.Size.Value) : 0;
            if (inputs > MaxParameters) definite.Add("NG0036");
        }
        else
        {
            inputs = network.Inputs?.Value ?? 0;
            if (inputs <= 0) definite.Add("NG0003");
        }

        if (!KnownLoss(loss)) definite.Add("NG0009");
        if (!KnownPrecision(precision)) definite.Add("NG0009");

        foreach (var dense in denses)
        {
            if (dense.Units.Value <= 0) definite.Add("NG0004");
            if (!KnownActivation(dense.ActivationValue)) definite.Add("NG0009");
        }

        foreach (var dropout in layers.OfType<DropoutAttr>())
        {
            if (!(dropout.Rate.Value >= 0 && dropout.Rate.Value < 1)) definite.Add("NG0015");
        }

        if (denses.Count == 0)
        {
            definite.Add("NG0002");
            if (layers.Count > 0)
            {
                // Whether the wiring is checked too is left open.
                Wiring(layers, inputs, possible, possible);
                possible.Add("NG0025");
            }

            return new Expectation(Outcome.Invalid, definite, possible);
        }

        for (int i = 0; i < denses.Count - 1; i++)
        {
            if (denses[i].ActivationValue == Softmax) definite.Add("NG0005");
        }

        var last = denses[^1];
        if (layers[^1] is DropoutAttr)
        {
            // Dropout after the output layer: NG0016 (the generator's rule for dropout); the output checks may be skipped.
            definite.Add("NG0016");
            possible.UnionWith(["NG0005", "NG0006", "NG0010", "NG0013"]);
            if (last.ActivationValue == Softmax)
            {
                // The dense layer is not the last layer, so its softmax is a hidden one.
                definite.Add("NG0005");
            }
        }
        else if (layers[^1] is not DenseAttr)
        {
            // A layer norm, a merge or an input last: NG0025; the output checks may be skipped.
            definite.Add("NG0025");
            possible.UnionWith(["NG0005", "NG0006", "NG0013"]);
        }
        else if (!KnownLoss(loss) || !KnownActivation(last.ActivationValue))
        {
            possible.UnionWith(["NG0006", "NG0013"]);
        }
        else
        {
            int act = last.ActivationValue;
            bool fits = loss switch
            {
                SoftmaxCrossEntropy => act is Identity or Softmax,
                BinaryCrossEntropy => act == Sigmoid,
                _ => act != Softmax,
            };
            bool softmaxLike = loss == SoftmaxCrossEntropy || act == Softmax;
            if (!fits) definite.Add("NG0006");
            if (last.Units.Value == 1 && softmaxLike)
            {
                (fits ? definite : possible).Add("NG0013");
            }
        }

        Wiring(layers, inputs, definite, possible);
        return new Expectation(definite.Count == 0 ? Outcome.Valid : Outcome.Invalid, definite, possible);
    }

    /// <summary>
    /// The wiring rules of docs/diagnostics.md (NG0020-NG0040) and the parameter limit (NG0010), walking the layers
    /// top to bottom: each layer reads the one above, the one its <c>From</c> names, or the ones a merge names; names
    /// are shared by inputs and layers and must be declared above their readers; sizes follow each layer's rule.
    /// A size that is not known (a non-positive one above) makes the size rules below it possible instead of definite.
    /// </summary>
    private static void Wiring(List<AttributeSpec> layers, long inputs, HashSet<string> definite, HashSet<string> possible)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var sizes = new long?[layers.Count];
        var read = new bool[layers.Count];
        int namedInputs = layers.Count(l => l is InputAttr);
        bool layerSeen = false;
        long parameters = 0;
        bool parametersKnown = inputs > 0;
        long? networkInput = inputs > 0 ? inputs : null;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string? name = layer switch
            {
                InputAttr input => input.InputName,
                DenseAttr dense => dense.LayerName,
                LayerNormAttr norm => norm.LayerName,
                MergeAttr merge => merge.LayerName,
                _ => null,
            };

            if (layer is InputAttr named)
            {
                if (layerSeen) definite.Add("NG0033");
                sizes[i] = named.Size.Value > 0 ? named.Size.Value : null;
            }
            else
            {
                layerSeen = true;

                // The layer above: the network input for the first layer of a network without [Input]s.
                long? Above()
                {
                    if (i == 0)
                    {
                        // Above every [Input]: an NG0033 case; what it reads is left open.
                        if (namedInputs > 0) possible.UnionWith(["NG0034", "NG0035"]);
                        return networkInput;
                    }

                    if (layers[i - 1] is InputAttr && namedInputs >= 2)
                    {
                        definite.Add("NG0034");
                        possible.Add("NG0035");
                    }

                    read[i - 1] = true;
                    return sizes[i - 1];
                }

                long? Named(string source)
                {
                    if (byName.TryGetValue(source, out int at))
                    {
                        read[at] = true;
                        return sizes[at];
                    }

                    definite.Add("NG0020");
                    possible.UnionWith(["NG0023", "NG0035"]); // what it meant to read may be left unread
                    return null;
                }

                string? from = layer switch { DenseAttr d => d.From, LayerNormAttr n => n.From, _ => null };
                var sources = new List<long?>();
                if (layer is MergeAttr merge)
                {
                    if (merge.Inputs.Count == 0)
                    {
                        definite.Add(merge.Kind == "Add" ? "NG0024" : "NG0026");
                        possible.UnionWith(["NG0023", "NG0035"]);
                    }
                    else
                    {
                        if (merge.Inputs.Count == 1) sources.Add(Above());
                        sources.AddRange(merge.Inputs.Select(Named));
                    }
                }
                else
                {
                    sources.Add(from is null ? Above() : Named(from));
                }

                bool known = sources.Count > 0 && sources.All(s => s is not null);
                long? size = null;
                switch (layer)
                {
                    case DenseAttr dense:
                        size = dense.Units.Value > 0 ? dense.Units.Value : null;
                        if (known && size is { } units) parameters = Math.Min(parameters + (sources[0]!.Value * units) + units, MaxParameters + 1);
                        else parametersKnown = false;
                        break;
                    case DropoutAttr:
                        size = sources[0];
                        break;
                    case LayerNormAttr:
                        size = sources[0];
                        if (size == 1) definite.Add("NG0040");
                        if (size is { } normalized) parameters = Math.Min(parameters + (2 * normalized), MaxParameters + 1);
                        else parametersKnown = false;
                        break;
                    case MergeAttr { Kind: "Concat" }:
                        size = known ? sources.Sum(s => s!.Value) : null;
                        if (size > MaxParameters) definite.Add("NG0027");
                        break;
                    case MergeAttr m:
                        size = known ? sources[0] : null;
                        if (known && sources.Distinct().Count() > 1) definite.Add(m.Kind == "Add" ? "NG0022" : "NG0028");
                        break;
                }

                sizes[i] = size;
            }

            if (name is not null && !byName.TryAdd(name, i))
            {
                definite.Add("NG0021");
            }
        }

        // Every layer but the last is read by a later one.
        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (!read[i])
            {
                definite.Add(layers[i] is InputAttr ? "NG0035" : "NG0023");
            }
        }

        if (parametersKnown && sizes.All(s => s is not null))
        {
            if (parameters > MaxParameters) definite.Add("NG0010");
        }
        else if (layers.Any(l => l is InputAttr or LayerNormAttr or MergeAttr))
        {
            possible.UnionWith(SizeRules);
        }
    }
}
