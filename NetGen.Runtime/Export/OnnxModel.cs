namespace NetGen;

/// <summary>
/// An ONNX graph as the exporter builds it (nodes, float initializers, one input and one output with a free
/// batch dimension) and its serialization as an ONNX <c>ModelProto</c>. Field numbers are those of onnx.proto.
/// </summary>
internal sealed class OnnxModel(string graphName)
{
    /// <summary>ONNX IR version 8, the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The symbolic name of the batch dimension of the input and output.</summary>
    public const string BatchDimension = "batch";

    private const int FloatDataType = 1;
    private const int Int64DataType = 7;
    private const int FloatAttributeType = 1;
    private const int IntAttributeType = 2;

    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxInitializer> _initializers = [];
    private readonly HashSet<string> _names = [];

    /// <summary>The graph's nodes in topological order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The graph's constant tensors (the network's parameters).</summary>
    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>Adds a constant tensor; its name must be new in the graph.</summary>
    public string AddInitializer(string name, long[] dimensions, float[] values)
    {
        Claim(name);
        _initializers.Add(new OnnxInitializer(name, dimensions, values));
        return name;
    }

    /// <summary>Adds a constant 1-D tensor of 64-bit integers (the starts and ends of a <c>Slice</c>); its name must be new.</summary>
    public string AddInt64Initializer(string name, long[] values)
    {
        Claim(name);
        _initializers.Add(new OnnxInitializer(name, [values.Length], [], values));
        return name;
    }

    /// <summary>Adds a node with one output named <paramref name="output"/> and returns that name.</summary>
    public string AddNode(string opType, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        Claim(name);
        Claim(output);
        _nodes.Add(new OnnxNode(opType, name, inputs, output, attributes));
        return output;
    }

    /// <summary>Renames the output of the last node (so the graph output gets its documented name).</summary>
    public void RenameLastOutput(string from, string to)
    {
        var last = _nodes[^1];
        if (last.Output != from)
        {
            throw new InvalidOperationException($"The last node writes '{last.Output}', not '{from}'.");
        }

        Claim(to);
        _nodes[^1] = last with { Output = to };
    }

    /// <summary>Serializes the model: one graph reading <paramref name="inputName"/> and writing <paramref name="outputName"/>.</summary>
    public byte[] ToModelProto(string inputName, int inputSize, string outputName, int outputSize, int opsetVersion, string producerVersion, string docString)
    {
        var model = new ProtobufWriter();
        model.WriteInt64(1, IrVersion);                                  // ModelProto.ir_version
        model.WriteString(2, "NetGen");                                  // producer_name
        model.WriteString(3, producerVersion);                           // producer_version
        model.WriteString(6, docString);                                 // doc_string
        model.WriteMessage(7, this, (graph, self) =>                     // graph
        {
            foreach (var node in self._nodes)
            {
                graph.WriteMessage(1, node, WriteNode);                  // GraphProto.node
            }

            graph.WriteString(2, graphName);                             // name
            foreach (var initializer in self._initializers)
            {
                graph.WriteMessage(5, initializer, WriteTensor);         // initializer
            }

            graph.WriteMessage(11, (inputName, inputSize), WriteValueInfo);   // input
            graph.WriteMessage(12, (outputName, outputSize), WriteValueInfo); // output
        });
        model.WriteMessage(8, opsetVersion, (opset, version) =>          // opset_import: the default domain
        {
            opset.WriteString(1, "");                                    // OperatorSetIdProto.domain
            opset.WriteInt64(2, version);                                // version
        });
        return model.WrittenSpan.ToArray();
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX graph already has a value or node named '{name}'.");
        }
    }

    private static void WriteNode(ProtobufWriter writer, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            writer.WriteString(1, input);                                // NodeProto.input
        }

        writer.WriteString(2, node.Output);                              // output
        writer.WriteString(3, node.Name);                                // name
        writer.WriteString(4, node.OpType);                              // op_type
        foreach (var attribute in node.Attributes)
        {
            writer.WriteMessage(5, attribute, WriteAttribute);           // attribute
        }
    }

    private static void WriteAttribute(ProtobufWriter writer, OnnxAttribute attribute)
    {
        writer.WriteString(1, attribute.Name);                           // AttributeProto.name
        if (attribute.FloatValue is { } f)
        {
            writer.WriteFloat(2, f);                                     // f
            writer.WriteInt64(20, FloatAttributeType);                   // type
        }
        else
        {
            writer.WriteInt64(3, attribute.IntValue);                    // i
            writer.WriteInt64(20, IntAttributeType);                     // type
        }
    }

    private static void WriteTensor(ProtobufWriter writer, OnnxInitializer tensor)
    {
        foreach (long dimension in tensor.Dimensions)
        {
            writer.WriteInt64(1, dimension);                             // TensorProto.dims
        }

        writer.WriteInt64(2, tensor.Int64Values is null ? FloatDataType : Int64DataType); // data_type
        writer.WriteString(8, tensor.Name);                              // name
        byte[] raw;
        if (tensor.Int64Values is { } integers)
        {
            raw = new byte[integers.Length * sizeof(long)];
            for (int i = 0; i < integers.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), integers[i]);
            }
        }
        else
        {
            raw = new byte[tensor.Values.Length * sizeof(float)];
            for (int i = 0; i < tensor.Values.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), tensor.Values[i]);
            }
        }

        writer.WriteBytes(9, raw);                                       // raw_data: little-endian, as ONNX specifies
    }

    /// <summary>A float tensor of shape [batch, <c>size</c>].</summary>
    private static void WriteValueInfo(ProtobufWriter writer, (string Name, int Size) value)
    {
        writer.WriteString(1, value.Name);                               // ValueInfoProto.name
        writer.WriteMessage(2, value.Size, (type, size) =>               // type: TypeProto
            type.WriteMessage(1, size, (tensor, columns) =>              // tensor_type: TypeProto.Tensor
            {
                tensor.WriteInt64(1, FloatDataType);                     // elem_type
                tensor.WriteMessage(2, columns, (shape, n) =>            // shape: TensorShapeProto
                {
                    shape.WriteMessage(1, 0, (dimension, _) => dimension.WriteString(2, BatchDimension)); // dim { dim_param }
                    shape.WriteMessage(1, n, (dimension, value) => dimension.WriteInt64(1, value));      // dim { dim_value }
                });
            }));
    }
}

/// <summary>A node of the ONNX graph, with one output.</summary>
internal sealed record OnnxNode(string OpType, string Name, string[] Inputs, string Output, OnnxAttribute[] Attributes);

/// <summary>A node attribute: an int, or a float when <see cref="FloatValue"/> is set.</summary>
internal readonly record struct OnnxAttribute(string Name, long IntValue = 0, float? FloatValue = null)
{
    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, FloatValue: value);
}

/// <summary>A float constant of the graph, or a 64-bit integer one when <see cref="Int64Values"/> is set.</summary>
internal sealed record OnnxInitializer(string Name, long[] Dimensions, float[] Values, long[]? Int64Values = null);
