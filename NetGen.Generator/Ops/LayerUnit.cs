using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Graph;
using NetGen.Generator.Model;

namespace NetGen.Generator.Ops;

/// <summary>
/// One kind of layer attribute (<c>[Dense]</c>, <c>[Multiply]</c>, ...), as every stage asks about it: the attribute it
/// reads and its arguments, whether it merges the layers it names, the graph nodes it becomes and their value names, and
/// how the generated docs, the one-line diagram and the generated <c>NetworkDescription</c> describe it. The stages find
/// units through <see cref="LayerUnits.All"/> and never switch over kinds, so a new layer kind is one new file (its op
/// and this unit) plus its line in the catalogue. A unit is a stateless singleton, so specs holding it stay equatable.
/// </summary>
internal abstract class LayerUnit
{
    /// <summary>
    /// The attribute's name without <c>Attribute</c> (<c>Multiply</c>): what messages put in brackets (<c>[Multiply]</c>),
    /// and the runtime's <c>NetGen.LayerKind</c> member of the same name.
    /// </summary>
    public abstract string Kind { get; }

    /// <summary>The attribute's metadata name, which the parser looks for: <c>NetGen.MultiplyAttribute</c>.</summary>
    public string AttributeName => "NetGen." + Kind + "Attribute";

    /// <summary>True for a merge: its constructor lists the layers it reads (<c>[Add("h1")]</c>), see <c>GraphWiring</c>.</summary>
    public virtual bool IsMerge => false;

    /// <summary>True for a named input, which reads the network's input vector and is named by its first argument.</summary>
    public virtual bool IsInput => false;

    /// <summary>
    /// The start of the names of the values the unit's nodes hold, each followed by the layer's number among layers of
    /// its kind (<c>m</c>: <c>m1</c>, <c>m2</c>). Distinct across units (a test checks), so values never share a name; a
    /// unit that names its value after the value it reads (dropout: <c>a1Drop</c>) has none.
    /// </summary>
    public abstract IReadOnlyList<string> ValuePrefixes { get; }

    /// <summary>The diagnostic of a merge that names no layer (NG0026; NG0024 for an add).</summary>
    public virtual DiagnosticDescriptor NothingToMerge => GraphDiagnostics.MergeOfNothing;

    /// <summary>
    /// Reads the attribute's constructor arguments (the parser has checked that it binds without syntax errors and that
    /// its names are readable), reporting what is wrong with them through <paramref name="reader"/>.
    /// </summary>
    public abstract LayerSpec Read(ILayerReader reader);

    /// <summary>Adds the layer's nodes, reading <paramref name="inputs"/> (node IDs, in the order the layer names them).</summary>
    public abstract BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs);

    /// <summary>
    /// The heading above the layer's code: <c>Multiply of a2 and a1, element by element</c> (after <c>Layer 3: </c>), or null
    /// for a layer that has no code (a named input is read where it is).
    /// </summary>
    public abstract string? Heading(LayerView layer);

    /// <summary>The layer's part of the one-line diagram of the type's docs (<c>Multiply (a2 ⊙ a1)</c>), or null for none.</summary>
    public abstract string? DiagramPart(LayerView layer);

    /// <summary>The layer's line in the table of the type's docs, as plain text (the emitter escapes it).</summary>
    public abstract string Documentation(LayerView layer);

    /// <summary>
    /// The arguments of its <c>NetGen.LayerDescription</c> after the index, kind and sizes: activation, the two tensors,
    /// the rate, the layers it reads (by default no activation, no tensors, rate 0).
    /// </summary>
    public virtual string DescriptionArguments(LayerView layer) =>
        LayerView.Runtime + ".Activation.Identity, null, null, 0" + layer.SourcesArgument;
}

/// <summary>What the graph stage made of one layer: the node that describes it, and the node holding its output.</summary>
/// <param name="Main">The node the docs and the description read (a dense layer's linear node).</param>
/// <param name="Output">The node later layers read (a dense layer's activation).</param>
/// <param name="InputSize">The layer's input size as the description states it (the first value read, unless the unit says otherwise).</param>
internal readonly record struct BuiltLayer(int Main, int Output, int InputSize);

/// <summary>The parser's side of reading one layer attribute: its arguments as plain values, and where to report.</summary>
internal interface ILayerReader
{
    /// <summary>The network's type name.</summary>
    string Network { get; }

    /// <summary>The layer's 1-based position among the layer attributes.</summary>
    int Index { get; }

    /// <summary>The layers above it, as read so far.</summary>
    IReadOnlyList<LayerSpec> Above { get; }

    /// <summary>How many constructor arguments the attribute has.</summary>
    int ArgumentCount { get; }

    /// <summary>Constructor argument <paramref name="index"/>'s constant (an <c>int</c>, <c>double</c>, <c>string</c>, an enum as its <c>int</c>), or null.</summary>
    object? Argument(int index);

    /// <summary>Reports <paramref name="descriptor"/> on the attribute.</summary>
    void Report(DiagnosticDescriptor descriptor, params object[] messageArgs);

    /// <summary>Reports NG0014 (the arguments cannot be read) and returns <paramref name="placeholder"/>.</summary>
    LayerSpec Unreadable(LayerSpec placeholder);

    /// <summary>True when <paramref name="value"/> is a defined activation; otherwise reports NG0009.</summary>
    bool IsActivation(int value);
}

/// <summary>The graph stage's side of building one layer: adding nodes, and what they are.</summary>
internal interface ILayerBuilder
{
    /// <summary>The layer's number among the layers of its unit (<c>1</c> for the first multiply), which its values' names end with.</summary>
    string Number { get; }

    /// <summary>The layer's 1-based position among the layer attributes.</summary>
    int Index { get; }

    /// <summary>The layers above it.</summary>
    IReadOnlyList<LayerSpec> Above { get; }

    /// <summary>
    /// Adds a node of <paramref name="op"/> named <paramref name="name"/> reading <paramref name="inputs"/>, its parameters
    /// named role + <paramref name="number"/>; -1 when its inputs do not fit the op's shape rule (reported on the layer).
    /// </summary>
    int Add(string name, Op op, IReadOnlyList<int> inputs, string number = "");

    /// <summary>Node <paramref name="node"/>'s value name.</summary>
    string Name(int node);

    /// <summary>Node <paramref name="node"/>'s size.</summary>
    int Size(int node);
}

/// <summary>
/// One layer as the planner shows it to its unit: its spec, sizes and main node, with the pieces the texts are built from.
/// </summary>
internal sealed class LayerView
{
    /// <summary>The runtime's namespace as generated code names it.</summary>
    public const string Runtime = Emit.NetworkEmitter.Runtime;

    private readonly ForwardGraph _graph;
    private readonly LayerInfo _layer;

    public LayerView(ForwardGraph graph, LayerInfo layer)
    {
        _graph = graph;
        _layer = layer;
    }

    public int Index => _layer.Index;

    public LayerSpec Spec => _layer.Spec;

    public int InputSize => _layer.InputSize;

    public int OutputSize => _layer.OutputSize;

    /// <summary>The main node's forward formula: <c>m1 = a2 ⊙ a1</c>.</summary>
    public string Formula => Main.Op.ForwardFormula(Main.Names(_graph));

    /// <summary>The main node's value name.</summary>
    public string Value => Main.Name;

    /// <summary>The names of the values the main node reads (<c>a2</c>, <c>a1</c>).</summary>
    public IEnumerable<string> Operands => Main.Inputs.Select(i => _graph.Nodes[i].Name);

    /// <summary>The values the main node reads as a heading names them: <c>a2 and x1 ('image')</c>.</summary>
    public string OperandsRead => string.Join(" and ", Main.Inputs.Select(i => Reading(_graph.Nodes[i])));

    /// <summary>The dropout rate as written (<c>0.5</c>).</summary>
    public string RateText => _layer.Spec.DropoutRate.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The main node's tensors for the docs: <c>W1 [4x2] at 0, b1 [4] at 8</c>.</summary>
    public string TensorsText => string.Join(", ", Main.Parameters.Select(p => p.Name + " " + (p.IsVector ? "[" + p.Columns + "]" : "[" + p.Rows + "x" + p.Columns + "]") + " at " + p.Offset));

    /// <summary>The main node's tensors as <c>LayerDescription</c> arguments: <c>new("W1", 0, 4, 2), new("b1", 8, 1, 4)</c>.</summary>
    public string TensorsArgument => string.Join(", ", Main.Parameters.Select(p => "new(\"" + p.Name + "\", " + p.Offset + ", " + p.Rows + ", " + p.Columns + ")"));

    /// <summary>The <c>Inputs</c> argument of a layer that names the layers it reads (<c>, new int[] { 1, 2 }</c>), else empty.</summary>
    public string SourcesArgument => _layer.Spec.Sources.Count == 0 ? string.Empty : ", new int[] { " + string.Join(", ", _layer.Spec.Sources) + " }";

    private GraphNode Main => _graph.Nodes[_layer.MainNode];

    /// <summary>A value as a heading names it: <c>a1</c>, or <c>x1 ('image')</c> for a named input.</summary>
    public static string Reading(GraphNode node) => node.Op is InputBlockOp block ? node.Name + " ('" + block.InputName + "')" : node.Name;
}

/// <summary>
/// A layer that merges the layers its constructor names (<c>[Add("h1")]</c>: the layer above and h1) into one node of its
/// op, named by its prefix and number (<c>s1</c>).
/// </summary>
internal abstract class MergeLayer : LayerUnit
{
    public override bool IsMerge => true;

    /// <summary>The merge's op over values of <paramref name="sizes"/>.</summary>
    protected abstract Op Op(IReadOnlyList<int> sizes);

    /// <summary>The names are the wiring's (<c>GraphWiring</c>); a merge has no other argument.</summary>
    public override LayerSpec Read(ILayerReader reader) => LayerSpec.Of(this);

    public override BuiltLayer Build(ILayerBuilder builder, LayerSpec layer, IReadOnlyList<int> inputs)
    {
        int node = builder.Add(ValuePrefixes[0] + builder.Number, Op(inputs.Select(builder.Size).ToList()), inputs);
        return new BuiltLayer(node, node, builder.Size(inputs[0]));
    }
}
