using System.Collections.ObjectModel;
using System.Text;

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

        var list = layers.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        int expectedInput = inputSize;
        int expectedOffset = 0;
        var tensors = new List<ParameterTensor>();
        foreach (var layer in list)
        {
            if (layer.InputSize != expectedInput)
            {
                throw new ArgumentException($"Layer {layer.Index} takes {layer.InputSize} inputs but the previous layer gives {expectedInput}.", nameof(layers));
            }

            if (layer.Kind == LayerDescription.DropoutKind && layer.OutputSize != layer.InputSize)
            {
                throw new ArgumentException($"Dropout layer {layer.Index} must have as many outputs as inputs.", nameof(layers));
            }

            foreach (var tensor in new[] { layer.Weights, layer.Bias }.OfType<ParameterTensor>())
            {
                if (tensor.Offset != expectedOffset)
                {
                    throw new ArgumentException($"Tensor {tensor.Name} starts at {tensor.Offset}, expected {expectedOffset}.", nameof(layers));
                }

                expectedOffset += tensor.Length;
                tensors.Add(tensor);
            }

            expectedInput = layer.OutputSize;
        }

        Name = name;
        InputSize = inputSize;
        OutputSize = expectedInput;
        Loss = loss;
        Precision = precision;
        Layers = new ReadOnlyCollection<LayerDescription>(list);
        Tensors = new ReadOnlyCollection<ParameterTensor>(tensors);
        ParameterCount = expectedOffset;
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

    /// <summary>Total number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>True when the network is trained as a classifier (its outputs are class scores).</summary>
    public bool IsClassifier => Loss is Loss.SoftmaxCrossEntropy || (Loss is Loss.BinaryCrossEntropy);

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
/// <param name="Kind"><see cref="DenseKind"/> or <see cref="DropoutKind"/>.</param>
/// <param name="InputSize">Inputs of the layer.</param>
/// <param name="OutputSize">Outputs (units) of the layer.</param>
/// <param name="Activation">The activation applied to the layer's output (Identity for dropout).</param>
/// <param name="Weights">A dense layer's weight matrix: <see cref="OutputSize"/> rows of <see cref="InputSize"/> columns, row-major; null for dropout.</param>
/// <param name="Bias">A dense layer's bias vector, one per output; null for dropout.</param>
/// <param name="DropoutRate">A dropout layer's probability of dropping a unit; 0 for dense layers.</param>
public sealed record LayerDescription(int Index, string Kind, int InputSize, int OutputSize, Activation Activation, ParameterTensor? Weights, ParameterTensor? Bias, double DropoutRate = 0)
{
    /// <summary>The <see cref="Kind"/> of a fully connected layer.</summary>
    public const string DenseKind = "Dense";

    /// <summary>The <see cref="Kind"/> of a dropout layer.</summary>
    public const string DropoutKind = "Dropout";

    /// <inheritdoc />
    public override string ToString() => Weights is { } w && Bias is { } b
        ? $"{Index}: {Kind} {InputSize} -> {OutputSize}, {Activation}; {w.Name} [{w.Rows}x{w.Columns}] at {w.Offset}, {b.Name} [{b.Length}] at {b.Offset}"
        : $"{Index}: {Kind} {DropoutRate.ToString(System.Globalization.CultureInfo.InvariantCulture)} over {InputSize}";
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
