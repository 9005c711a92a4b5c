using System.Globalization;
using System.Text;

namespace NetGen.Tests.Robustness;

/// <summary>Where the network class sits.</summary>
internal enum NamespaceStyle { Global, FileScoped, Block, NestedBlock }

/// <summary>The kind of type declaration the attributes are put on.</summary>
internal enum TypeShape { Class, Abstract, Sealed, NotPartial, Static, Record, RecordStruct, Struct, Generic, Nested, NestedInGeneric, FileLocal }

/// <summary>An attribute argument as written (<see cref="Text"/>) and the constant it stands for.</summary>
internal sealed record IntArg(string Text, int Value);

internal sealed record DoubleArg(string Text, double Value);

internal abstract record AttributeSpec
{
    public abstract string Render();
}

/// <summary>[Network(...)]; <see cref="Order"/> permutes the named arguments, <see cref="EmptyParens"/> writes [Network()] when none is set.</summary>
internal sealed record NetworkAttr(string Name, IntArg? Inputs, IntArg? Loss, IntArg? Precision, int Order, bool EmptyParens) : AttributeSpec
{
    public override string Render()
    {
        var args = new List<string>();
        if (Inputs is not null) args.Add("Inputs = " + Inputs.Text);
        if (Loss is not null) args.Add("Loss = " + Loss.Text);
        if (Precision is not null) args.Add("Precision = " + Precision.Text);
        if (args.Count > 1 && Order % 2 == 1) args.Reverse();
        if (args.Count > 2 && Order >= 2) (args[0], args[1]) = (args[1], args[0]);
        return args.Count == 0 ? (EmptyParens ? Name + "()" : Name) : Name + "(" + string.Join(", ", args) + ")";
    }
}

/// <summary>
/// [Dense(units[, activation])] in one of several argument forms; <see cref="Activation"/> null omits the argument (Identity).
/// <see cref="LayerName"/> and <see cref="From"/> add the graph arguments <c>Name = "..."</c> and <c>From = "..."</c>.
/// </summary>
internal sealed record DenseAttr(string Name, IntArg Units, IntArg? Activation, int Form) : AttributeSpec
{
    public string? LayerName { get; init; }

    public string? From { get; init; }

    public override string Render() => GraphArguments.Append(LayerName, From, Activation is null
        ? Form % 2 == 0 ? $"{Name}({Units.Text})" : $"{Name}(units: {Units.Text})"
        : (Form % 4) switch
        {
            0 => $"{Name}({Units.Text}, {Activation.Text})",
            1 => $"{Name}(units: {Units.Text}, activation: {Activation.Text})",
            2 => $"{Name}(activation: {Activation.Text}, units: {Units.Text})",
            _ => $"{Name}({Units.Text}, activation: {Activation.Text})",
        });

    public int ActivationValue => Activation?.Value ?? 0;
}

internal sealed record DropoutAttr(string Name, DoubleArg Rate) : AttributeSpec
{
    public override string Render() => $"{Name}({Rate.Text})";
}

/// <summary>[Input("name", size)]: a named input.</summary>
internal sealed record InputAttr(string Name, string InputName, IntArg Size) : AttributeSpec
{
    public override string Render() => $"{Name}(\"{InputName}\", {Size.Text})";
}

/// <summary>[LayerNorm], with <c>Name</c> and <c>From</c> when set; <see cref="EmptyParens"/> writes [LayerNorm()] when neither is.</summary>
internal sealed record LayerNormAttr(string Name, string? LayerName, string? From, bool EmptyParens) : AttributeSpec
{
    public override string Render() => LayerName is null && From is null
        ? EmptyParens ? Name + "()" : Name
        : GraphArguments.Append(LayerName, From, Name + "()");
}

/// <summary>[Add(...)], [Concat(...)] or [Multiply(...)] (<see cref="Kind"/>) naming <see cref="Inputs"/>, with <c>Name</c> when set.</summary>
internal sealed record MergeAttr(string Name, string Kind, IReadOnlyList<string> Inputs, string? LayerName) : AttributeSpec
{
    public override string Render() => GraphArguments.Append(LayerName, null, $"{Name}({string.Join(", ", Inputs.Select(i => $"\"{i}\""))})");
}

internal static class GraphArguments
{
    /// <summary>Adds <c>Name = </c> and <c>From = </c> to an attribute written with parentheses.</summary>
    public static string Append(string? name, string? from, string attribute)
    {
        var extra = new List<string>();
        if (name is not null) extra.Add($"Name = \"{name}\"");
        if (from is not null) extra.Add($"From = \"{from}\"");
        if (extra.Count == 0) return attribute;
        bool empty = attribute.EndsWith("()", StringComparison.Ordinal);
        return attribute[..^1] + (empty ? "" : ", ") + string.Join(", ", extra) + ")";
    }
}

/// <summary>
/// One network description: the namespace and type it is declared on and its attributes, in source
/// order. <see cref="Render"/> writes it as a whole file; the expectation is computed from these
/// fields by <see cref="Oracle"/>, never by the generator's parser.
/// </summary>
internal sealed class NetworkDescription
{
    public NamespaceStyle Namespace { get; set; } = NamespaceStyle.FileScoped;

    /// <summary>A namespace segment added after the unique one (e.g. "Models", "@class").</summary>
    public string? NamespaceExtra { get; set; }

    public TypeShape Shape { get; set; } = TypeShape.Class;

    /// <summary>The type name as written (may be verbatim, unicode, or an escape sequence).</summary>
    public string TypeName { get; set; } = "Net";

    /// <summary>The name the compiler sees for <see cref="TypeName"/>.</summary>
    public string TypeNameValue { get; set; } = "Net";

    public string Modifiers { get; set; } = "public ";

    public List<AttributeSpec> Attributes { get; set; } = [];

    /// <summary>How many attributes go in each attribute list, in order (sums to the count before <see cref="SplitAt"/>).</summary>
    public List<int> Grouping { get; set; } = [];

    /// <summary>When set, attributes from this index on are written on a second partial declaration of the same class.</summary>
    public int SplitAt { get; set; } = -1;

    public int Body { get; set; }

    /// <summary>Writes "using NetAttr = NetGen.NetworkAttribute;" so that name form can be used.</summary>
    public bool UsesAlias => Attributes.OfType<NetworkAttr>().Any(a => a.Name == "NetAttr");

    /// <summary>Compiler warnings the user's own code causes on purpose (CS8981 for lower-case type names).</summary>
    public List<string> AllowedCompilerWarnings { get; } = [];

    public string Token(int id) => id.ToString("D6", CultureInfo.InvariantCulture) + "_Z";

    /// <summary>The namespace as the compiler displays it, or null for the global namespace.</summary>
    public string? NamespaceValue(int id)
    {
        string? extra = NamespaceExtra?.TrimStart('@');
        return Namespace switch
        {
            NamespaceStyle.Global => null,
            NamespaceStyle.NestedBlock => "F" + Token(id) + ".Inner" + (extra is null ? "" : "." + extra),
            _ => "F" + Token(id) + (extra is null ? "" : "." + extra),
        };
    }

    public string TypeNameFor(int id) => Namespace == NamespaceStyle.Global ? TypeName + "_" + Token(id) : TypeName;

    public string TypeNameValueFor(int id) => Namespace == NamespaceStyle.Global ? TypeNameValue + "_" + Token(id) : TypeNameValue;

    /// <summary>The hint name of the generated file: Namespace.Type.g.cs.</summary>
    public string HintName(int id) => (NamespaceValue(id) is { } ns ? ns + "." : "") + TypeNameValueFor(id) + ".g.cs";

    public RenderedSource Render(int id)
    {
        var sb = new StringBuilder();
        sb.Append("using NetGen;\n");
        if (UsesAlias) sb.Append("using NetAttr = NetGen.NetworkAttribute;\n");
        sb.Append('\n');
        string indent = "";
        string extra = NamespaceExtra is null ? "" : "." + NamespaceExtra;
        switch (Namespace)
        {
            case NamespaceStyle.FileScoped:
                sb.Append("namespace F").Append(Token(id)).Append(extra).Append(";\n\n");
                break;
            case NamespaceStyle.Block:
                sb.Append("namespace F").Append(Token(id)).Append(extra).Append("\n{\n");
                indent = "    ";
                break;
            case NamespaceStyle.NestedBlock:
                sb.Append("namespace F").Append(Token(id)).Append("\n{\n    namespace Inner").Append(extra).Append("\n    {\n");
                indent = "        ";
                break;
        }

        string name = TypeNameFor(id);
        bool nested = Shape is TypeShape.Nested or TypeShape.NestedInGeneric;
        if (nested)
        {
            string outer = Namespace == NamespaceStyle.Global ? "Outer_" + Token(id) : "Outer";
            sb.Append(indent).Append("public partial class ").Append(outer).Append(Shape == TypeShape.NestedInGeneric ? "<T>" : "").Append('\n')
              .Append(indent).Append("{\n");
            indent += "    ";
        }

        int firstPart = SplitAt < 0 ? Attributes.Count : SplitAt;
        int regionStart = sb.Length;
        var spans = new List<(int Start, int End)>();
        int index = 0;
        foreach (int size in Grouping)
        {
            sb.Append(indent).Append('[');
            for (int k = 0; k < size; k++, index++)
            {
                if (k > 0) sb.Append(", ");
                int start = sb.Length;
                sb.Append(Attributes[index].Render());
                spans.Add((start, sb.Length));
            }

            sb.Append("]\n");
        }

        int regionEnd = sb.Length;
        sb.Append(indent).Append(Head(name)).Append(BodyText(indent)).Append('\n');
        if (SplitAt >= 0)
        {
            sb.Append('\n');
            for (int k = firstPart; k < Attributes.Count; k++)
            {
                sb.Append(indent).Append('[').Append(Attributes[k].Render()).Append("]\n");
            }

            sb.Append(indent).Append("partial class ").Append(name).Append(";\n");
        }

        while (indent.Length > 0)
        {
            indent = indent[4..];
            sb.Append(indent).Append("}\n");
        }

        return new RenderedSource(sb.ToString(), regionStart, regionEnd, spans);
    }

    private string Head(string name) => Shape switch
    {
        TypeShape.Abstract => Modifiers + "abstract partial class " + name,
        TypeShape.Sealed => Modifiers + "sealed partial class " + name,
        TypeShape.NotPartial => Modifiers + "class " + name,
        TypeShape.Static => Modifiers + "static partial class " + name,
        TypeShape.FileLocal => "file partial class " + name,
        TypeShape.Record => Modifiers + (Body % 2 == 0 ? "partial record " : "partial record class ") + name,
        TypeShape.RecordStruct => Modifiers + "partial record struct " + name,
        TypeShape.Struct => Modifiers + "partial struct " + name,
        TypeShape.Generic => Modifiers + "partial class " + name + (Body % 2 == 0 ? "<T>" : "<TIn, TOut> where TIn : struct"),
        _ => Modifiers + "partial class " + name,
    };

    private string BodyText(string indent) => Shape == TypeShape.NotPartial || Shape == TypeShape.Static
        ? "\n" + indent + "{\n" + indent + "}"
        : (Body % 3) switch
        {
            0 => ";",
            1 => "\n" + indent + "{\n" + indent + "}",
            _ => "\n" + indent + "{\n" + indent + "    public int Extra => 1;\n" + indent + "}",
        };
}

/// <summary>The text of a description; the attribute lists of its first declaration span [RegionStart, RegionEnd).</summary>
internal sealed record RenderedSource(string Text, int RegionStart, int RegionEnd, IReadOnlyList<(int Start, int End)> AttributeSpans);
