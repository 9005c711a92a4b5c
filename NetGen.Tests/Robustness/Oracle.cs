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
    public static Expectation Expect(TypeShape shape, IReadOnlyList<AttributeSpec> attributes, bool dropoutSupported)
    {
        var definite = new HashSet<string>();
        var possible = new HashSet<string>();
        var networks = attributes.OfType<NetworkAttr>().ToList();
        var denses = attributes.OfType<DenseAttr>().ToList();
        var layers = attributes.Where(a => a is DenseAttr or DropoutAttr).ToList();
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

            if (hasDropout)
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
        int inputs = network.Inputs?.Value ?? 0;
        int loss = network.Loss?.Value ?? SquaredError;
        int precision = network.Precision?.Value ?? 0;
        if (inputs <= 0) definite.Add("NG0003");
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

        if (inputs > 0 && denses.All(d => d.Units.Value > 0))
        {
            long total = 0, fanIn = inputs;
            foreach (var dense in denses)
            {
                total += (fanIn * dense.Units.Value) + dense.Units.Value;
                fanIn = dense.Units.Value;
                if (total > MaxParameters) break;
            }

            if (total > MaxParameters) definite.Add("NG0010");
        }

        return new Expectation(definite.Count == 0 ? Outcome.Valid : Outcome.Invalid, definite, possible);
    }
}
