using System.Collections.ObjectModel;
using System.Text;
using NetGen.Layers;
using NetGen.Shared;

namespace NetGen;

/// <summary>
/// The shape of a generated network, as the generator saw it: its layers, loss, element type
/// and where each parameter tensor lives in the flat parameter buffer.
/// </summary>
public sealed class NetworkDescription
{
    /// <summary>Creates a description. Generated code calls this once per network type.</summary>
    /// <exception cref="ArgumentException">The layers do not chain or the tensors do not tile the parameter buffer.</exception>
    public NetworkDescription(string name, int inputSize, Loss loss, Precision precision, IEnumerable<LayerDescription> layers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentNullException.ThrowIfNull(layers);
        if (!Enum.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, $"{(int)loss} is not a {nameof(NetGen.Loss)}.");
        }

        if (!Enum.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"{(int)precision} is not a {nameof(NetGen.Precision)}.");
        }

        var list = layers.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        // Sizes by layer index; 0 is the network input. A layer reads earlier layers only, so the layers are
        // in topological order and the network is a DAG by construction.
        var sizes = new Dictionary<int, int> { [0] = inputSize };
        var read = new HashSet<int>();
        long parameterCount = 0;
        var tensors = new List<ParameterTensor>();
        var namedInputs = new List<NamedInput>();
        int namedInputOffset = 0;
        foreach (var layer in list)
        {
            CheckWiring(layer, sizes);
            if (layer.Kind == LayerKind.Input)
            {
                namedInputs.Add(new NamedInput(layer.Name ?? $"input{layer.Index}", namedInputOffset, layer.OutputSize, layer.Index));
                namedInputOffset += layer.OutputSize;
            }

            foreach (int source in layer.Sources)
            {
                read.Add(source);
            }

            // The layout the generator used, from the rule both compile (SharedRules.cs).
            parameterCount = CheckLayout(layer, parameterCount);
            if (parameterCount > NetworkRules.MaxParameters)
            {
                throw new ArgumentException($"The network has more than {NetworkRules.MaxParameters} parameters, the most one flat buffer holds.", nameof(layers));
            }

            tensors.AddRange(new[] { layer.Weights, layer.Bias }.OfType<ParameterTensor>());

            if (!sizes.TryAdd(layer.Index, layer.OutputSize))
            {
                throw new ArgumentException($"Two layers have the index {layer.Index}.", nameof(layers));
            }
        }

        foreach (var layer in list.Take(list.Count - 1))
        {
            if (!read.Contains(layer.Index))
            {
                throw new ArgumentException($"No layer reads the output of layer {layer.Index} ({layer.Kind}); only the last layer's output may go unread.", nameof(layers));
            }
        }

        if (namedInputs.Count > 0 && namedInputOffset != inputSize)
        {
            throw new ArgumentException($"The named inputs hold {namedInputOffset} values side by side, but the network has {inputSize} inputs.", nameof(layers));
        }

        int expectedInput = list[^1].OutputSize;
        Name = name;
        InputSize = inputSize;
        OutputSize = expectedInput;
        Loss = loss;
        Precision = precision;
        Layers = new ReadOnlyCollection<LayerDescription>(list);
        Tensors = new ReadOnlyCollection<ParameterTensor>(tensors);
        NamedInputs = new ReadOnlyCollection<NamedInput>(namedInputs);
        ParameterCount = (int)parameterCount;
    }

    /// <summary>The network's type name.</summary>
    public string Name { get; }

    /// <summary>Inputs per sample.</summary>
    public int InputSize { get; }

    /// <summary>Outputs per sample.</summary>
    public int OutputSize { get; }

    /// <summary>The training loss.</summary>
    public Loss Loss { get; }

    /// <summary>The element type.</summary>
    public Precision Precision { get; }

    /// <summary>The layers in order, input to output.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>Every parameter tensor in buffer order (W1, b1, W2, b2, ...).</summary>
    public IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>
    /// The named inputs (<c>[Input("image", 784)]</c>) in order, each a block of the input vector: empty for a network
    /// with one unnamed input vector (<c>Inputs = n</c>).
    /// </summary>
    public IReadOnlyList<NamedInput> NamedInputs { get; }

    /// <summary>Total number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>True when the network is trained as a classifier (its outputs are class scores).</summary>
    public bool IsClassifier => Loss is Loss.SoftmaxCrossEntropy || (Loss is Loss.BinaryCrossEntropy);

    /// <summary>
    /// Checks that the layer's tensors are where the shared layout rule puts them, starting at
    /// <paramref name="offset"/>, and returns the offset after the layer (the rule of its kind: <see cref="LayerRuntime.CheckLayout"/>).
    /// </summary>
    private static long CheckLayout(LayerDescription layer, long offset)
    {
        return LayerRuntime.For(layer.Kind).CheckLayout(layer, offset);
    }

    private static void CheckWiring(LayerDescription layer, Dictionary<int, int> sizes)
    {
        var sources = layer.Sources;
        var sourceSizes = new int[sources.Count];
        for (int i = 0; i < sources.Count; i++)
        {
            if (!sizes.TryGetValue(sources[i], out sourceSizes[i]))
            {
                throw new ArgumentException($"Layer {layer.Index} reads layer {sources[i]}, which is not before it (0 is the network input).", "layers");
            }
        }

        // Every switch over kinds and activations lists the named values only.
        if (!Enum.IsDefined(layer.Kind))
        {
            throw new ArgumentException($"Layer {layer.Index} has kind {(int)layer.Kind}, which is not a {nameof(LayerKind)}.", "layers");
        }

        if (!Enum.IsDefined(layer.Activation))
        {
            throw new ArgumentException($"Layer {layer.Index} has activation {(int)layer.Activation}, which is not an {nameof(Activation)}.", "layers");
        }

        var op = LayerRuntime.For(layer.Kind);
        if (op.Merges ? sources.Count < 2 : sources.Count != 1)
        {
            throw new ArgumentException($"Layer {layer.Index} ({layer.Kind}) reads {sources.Count} layers; {(op.Merges ? "it merges at least two" : "it reads exactly one")}.", "layers");
        }

        if (op.CheckShape(layer, sourceSizes) is { } problem)
        {
            throw new ArgumentException($"Layer {layer.Index} ({layer.Kind}) {problem}.", "layers");
        }
    }

    /// <summary>A table of the layers and the parameter layout, one line per layer.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Name).Append(": ").Append(InputSize).Append(" inputs, loss ").Append(Loss)
            .Append(", ").Append(Precision).Append(" precision, ").Append(ParameterCount).AppendLine(" parameters");
        foreach (var layer in Layers)
        {
            text.Append("  ").AppendLine(layer.ToString());
        }

        return text.ToString();
    }
}

/// <summary>One layer of a network.</summary>
/// <param name="Index">1-based position of the layer among all layers, in attribute order (layer 1 reads the input).</param>
/// <param name="Kind">What the layer computes.</param>
/// <param name="InputSize">Inputs of the layer (for <see cref="LayerKind.Concat"/>, all of its inputs together).</param>
/// <param name="OutputSize">Outputs (units) of the layer.</param>
/// <param name="Activation">The activation applied to the layer's output (Identity for the other kinds).</param>
/// <param name="Weights">A dense layer's weight matrix: <see cref="OutputSize"/> rows of <see cref="InputSize"/> columns, row-major;
/// a layer norm's gain γ (1 × size, initialized to 1); null for the other kinds.</param>
/// <param name="Bias">A dense layer's bias vector, one per output, or a layer norm's β; null for the other kinds.</param>
/// <param name="DropoutRate">A dropout layer's probability of dropping a unit; 0 for the other kinds.</param>
/// <param name="Inputs">The indices of the layers this one reads (0 is the network input), for a network that is a DAG
/// (residual connections, concatenations); null means the previous layer, as in a chain.</param>
/// <param name="Name">The name of an <see cref="LayerKind.Input"/> layer (the input's name); null for the other kinds.</param>
public sealed record LayerDescription(int Index, LayerKind Kind, int InputSize, int OutputSize, Activation Activation, ParameterTensor? Weights, ParameterTensor? Bias, double DropoutRate = 0, IReadOnlyList<int>? Inputs = null, string? Name = null)
{
    /// <summary>The ε a <see cref="LayerKind.LayerNorm"/> layer adds to the variance.</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>The indices of the layers this one reads: <see cref="Inputs"/>, or the previous layer.</summary>
    public IReadOnlyList<int> Sources => Inputs ?? [Index - 1];

    /// <inheritdoc />
    public override string ToString()
    {
        string from = Inputs is null ? "" : " from " + string.Join(", ", Inputs.Select(i => i == 0 ? "input" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (Kind == LayerKind.Input)
        {
            return $"{Index}: {Kind} '{Name}', {OutputSize} of the {InputSize} inputs";
        }

        return Weights is { } w && Bias is { } b
            ? $"{Index}: {Kind} {InputSize} -> {OutputSize}{(Kind == LayerKind.Dense ? ", " + Activation : "")}{from}; {w.Name} [{w.Rows}x{w.Columns}] at {w.Offset}, {b.Name} [{b.Length}] at {b.Offset}"
            : Kind == LayerKind.Dropout
                ? $"{Index}: {Kind} {DropoutRate.ToString(System.Globalization.CultureInfo.InvariantCulture)} over {InputSize}{from}"
                : $"{Index}: {Kind} {InputSize} -> {OutputSize}{from}";
    }
}

/// <summary>What a layer computes (<see cref="LayerDescription.Kind"/>).</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer <c>z = W · a + b</c> followed by its activation.</summary>
    Dense,

    /// <summary>Inverted dropout of the layer it reads, while training.</summary>
    Dropout,

    /// <summary>The element-wise sum of two or more layers of one size (a residual connection).</summary>
    Add,

    /// <summary>The element-wise product of two or more layers of one size.</summary>
    Multiply,

    /// <summary>Two or more layers' outputs side by side.</summary>
    Concat,

    /// <summary>
    /// Layer normalization, <c>y = γ ⊙ (x - μ) / √(σ² + ε) + β</c> over each sample's values, with
    /// ε = <see cref="LayerDescription.LayerNormEpsilon"/>.
    /// </summary>
    LayerNorm,

    /// <summary>
    /// A named input: the block of <see cref="LayerDescription.OutputSize"/> values of the network's input vector (layer 0,
    /// of <see cref="LayerDescription.InputSize"/> values) that follows the named inputs before it; see
    /// <see cref="NetworkDescription.NamedInputs"/>.
    /// </summary>
    Input,
}

/// <summary>A named slice of the flat parameter (and gradient) buffer.</summary>
/// <param name="Name">The tensor's name, as in the generated code (<c>W1</c>, <c>b1</c>, ...).</param>
/// <param name="Offset">Index of the first element in the flat buffer.</param>
/// <param name="Rows">Rows (1 for a vector).</param>
/// <param name="Columns">Columns (the length, for a vector).</param>
public readonly record struct ParameterTensor(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>Number of elements.</summary>
    public int Length => Rows * Columns;

    /// <summary>The tensor's elements within a flat buffer of the network's layout.</summary>
    public Span<T> Slice<T>(Span<T> buffer) => buffer.Slice(Offset, Length);

    /// <summary>The tensor's elements within a flat buffer of the network's layout.</summary>
    public ReadOnlySpan<T> Slice<T>(ReadOnlySpan<T> buffer) => buffer.Slice(Offset, Length);
}

/// <summary>A named input of a network: a block of <see cref="Size"/> values at <see cref="Offset"/> in each sample's input vector.</summary>
/// <param name="Name">The input's name (<c>[Input("image", 784)]</c>).</param>
/// <param name="Offset">Where the block starts in the input vector.</param>
/// <param name="Size">Values per sample.</param>
/// <param name="LayerIndex">The index of the <see cref="LayerKind.Input"/> layer that describes it.</param>
public readonly record struct NamedInput(string Name, int Offset, int Size, int LayerIndex);
