using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Shared;

namespace NetGen.Generator.Emit;

/// <summary>The type's docs, its constants (sizes and every offset), its state and its construction.</summary>
internal sealed partial class NetworkEmitter
{
    private void EmitTypeDocs()
    {
        W.Line("/// <summary>");
        W.Line("/// " + Xml(Plan.Diagram) + ".");
        W.Line("/// </summary>");
        W.Line("/// <remarks>");
        W.Line("/// <para>Loss: " + Plan.Loss + "; element type: <see cref=\"" + T + "\"/>; " + Num(Plan.ParameterCount) + " parameters.</para>");
        W.Line("/// <list type=\"table\">");
        W.Line("/// <listheader><term>layer</term><description>operation, parameters (offset in the flat buffer)</description></listheader>");
        foreach (var layer in Plan.Layers)
        {
            W.Line("/// <item><term>" + layer.Index + "</term><description>" + Xml(layer.Documentation) + "</description></item>");
        }

        W.Line("/// </list>");
        W.Line("/// </remarks>");
    }

    private void EmitConstants()
    {
        W.Line("/// <summary>Number of input features of one sample.</summary>");
        W.Line("public const int InputSize = " + Plan.InputSize + ";");
        W.Line();
        foreach (var input in Plan.NamedInputs)
        {
            W.Line("/// <summary>Where the input '" + input.Name + "' starts in a sample's input vector (the named inputs side by side, in declaration order).</summary>");
            W.Line("public const int " + input.OffsetConstant + " = " + input.Offset + ";");
            W.Line();
            W.Line("/// <summary>Values of the input '" + input.Name + "' per sample.</summary>");
            W.Line("public const int " + input.SizeConstant + " = " + input.Size + ";");
            W.Line();
        }

        W.Line("/// <summary>Number of outputs of one sample.</summary>");
        W.Line("public const int OutputSize = " + Plan.OutputSize + ";");
        W.Line();
        W.Line("/// <summary>Number of trainable parameters (weights and biases of every layer).</summary>");
        W.Line("public const int ParameterCount = " + Plan.ParameterCount + ";");
        W.Line();
        foreach (var tensor in Plan.Parameters)
        {
            W.Line("/// <summary>Where " + tensor.Name + " (" + tensor.Shape + ") starts in the flat parameter and gradient buffers.</summary>");
            W.Line("public const int " + tensor.OffsetConstant + " = " + tensor.Offset + ";");
            W.Line();
        }

        W.Line("// Layout of one sample's region of a workspace (samples follow each other, SampleStride apart):");
        W.Line("// first the value of every graph node,");
        foreach (var buffer in Plan.Buffers.Where(b => b.Kind != BufferKind.Gradient))
        {
            W.Line("private const int " + buffer.Constant + " = " + buffer.Offset + ";" + Pad(buffer) + "// " + buffer.Label + " [" + buffer.Size + "]");
        }

        W.Line("private const int ValuesPerSample = " + Plan.ValuesPerSample + ";");
        W.Line();
        W.Line("// then the gradient of the loss with respect to each value the backward pass needs.");
        foreach (var buffer in Plan.Buffers.Where(b => b.Kind == BufferKind.Gradient))
        {
            W.Line("private const int " + buffer.Constant + " = " + buffer.Offset + ";" + Pad(buffer) + "// " + buffer.Label + " [" + buffer.Size + "]");
        }

        W.Line("private const int SampleStride = " + Plan.SampleStride + ";");
        W.Line();
        W.Line("// The prediction (" + Plan.Prediction.Name + ") within a sample's values.");
        W.Line("private const int PredictionOffset = " + Buffer(Plan.Prediction.Id, BufferKind.Value).Constant + ";");
        W.Line();
    }

    /// <summary>Spaces that line up the layout comments of the constants.</summary>
    private string Pad(BufferPlan buffer)
    {
        int width = Plan.Buffers.Max(b => b.Constant.Length + b.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return new string(' ', 2 + width - buffer.Constant.Length - buffer.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
    }

    private void EmitStateAndConstruction()
    {
        W.Line("private static readonly " + Runtime + ".NetworkDescription s_description = new(");
        W.Line("    \"" + Plan.TypeName + "\", " + Plan.InputSize + ", " + Runtime + ".Loss." + Plan.Loss + ", " + Runtime + ".Precision." + Plan.Precision + ",");
        W.Line("    new " + Runtime + ".LayerDescription[]");
        W.Line("    {");
        foreach (var layer in Plan.Layers)
        {
            W.Line("        " + layer.Description + ",");
        }

        W.Line("    });");
        W.Line();
        if (Plan.PredictScratchOnHeap)
        {
            W.Line("// Predict's scratch: too large for the stack, so one array per thread, allocated on first use.");
            W.Line("[global::System.ThreadStatic]");
            W.Line("private static " + T + "[]? t_predictValues;");
            W.Line();
        }

        W.Line("// On a 64-byte cache line, as each sample's region of a workspace is: vector loads from its start touch one line each, not two.");
        W.Line("private readonly " + CompilerServices + ".AlignedBuffer<" + T + "> _parameters = new(ParameterCount);");
        W.Line();
        W.Line("/// <summary>Creates the network with parameters initialized from <paramref name=\"seed\"/> (see <see cref=\"InitializeParameters\"/>).</summary>");
        W.Line("/// <param name=\"seed\">The seed of the weight initialization; the same seed gives the same network.</param>");
        using (W.Block("public " + Identifier(Plan.TypeName) + "(int seed = 0)"))
        {
            W.Line("InitializeParameters(seed);");
        }

        W.Line();
        W.Line("/// <summary>The layers, sizes and parameter layout of " + Plan.TypeName + ".</summary>");
        W.Line("public static " + Runtime + ".NetworkDescription NetworkDescription => s_description;");
        W.Line();
        W.Line("/// <summary>");
        W.Line("/// The computation graph in Graphviz DOT: the forward pass (solid) and every step of the backward pass");
        W.Line("/// (dashed, labelled with its derivative). Render it with <c>dot -Tsvg</c>.");
        W.Line("/// </summary>");
        W.Line("public const string ComputationGraphDot =");
        for (int i = 0; i < Plan.Dot.Count; i++)
        {
            W.Line("    \"" + Plan.Dot[i].Replace("\\", "\\\\").Replace("\"", "\\\"") + "\\n\"" + (i == Plan.Dot.Count - 1 ? ";" : " +"));
        }

        W.Line();
        W.Line("/// <inheritdoc/>");
        W.Line("public " + Runtime + ".NetworkDescription Description => s_description;");
        W.Line();
        W.Line("int " + Runtime + ".INetwork.InputSize => InputSize;");
        W.Line();
        W.Line("int " + Runtime + ".INetwork.OutputSize => OutputSize;");
        W.Line();
        W.Line("int " + Runtime + ".INetwork.ParameterCount => ParameterCount;");
        W.Line();
        W.Line("/// <inheritdoc/>");
        W.Line("public " + Span + " Parameters => _parameters.Span;");
        W.Line();
        foreach (var tensor in Plan.Parameters)
        {
            W.Line("/// <summary>" + tensor.Name + ", " + tensor.Shape + ", a view into <see cref=\"Parameters\"/>.</summary>");
            W.Line("public " + Span + " " + tensor.PropertyName + " => _parameters.Span.Slice(" + tensor.OffsetConstant + ", " + tensor.Length + ");");
            W.Line();
        }

        W.Line("/// <inheritdoc/>");
        using (W.Block("public void InitializeParameters(int seed)"))
        {
            W.Line("var random = new " + Runtime + ".DeterministicRandom(seed);");
            W.Line("_parameters.Span.Clear();");
            foreach (var tensor in Plan.Parameters)
            {
                string view = "_parameters.Span.Slice(" + tensor.OffsetConstant + ", " + tensor.Length + ")";
                switch (tensor.Initializer)
                {
                    case WeightInitializer.HeUniform:
                        W.Line(CompilerServices + ".Initializers.HeUniform(" + view + ", fanIn: " + tensor.Columns + ", random);");
                        break;
                    case WeightInitializer.GlorotUniform:
                        W.Line(CompilerServices + ".Initializers.GlorotUniform(" + view + ", fanIn: " + tensor.Columns + ", fanOut: " + tensor.Rows + ", random);");
                        break;
                    case WeightInitializer.Ones:
                        W.Line(view + ".Fill(" + Lit(1) + ");");
                        break;
                    case null:
                        // Zeros, from the Clear above.
                        break;
                    default:
                        throw new Ops.GeneratorBugException("no code for initializer " + tensor.Initializer);
                }
            }

            W.Line("// Biases start at zero.");
        }

        W.Line();
        W.Line("/// <inheritdoc/>");
        using (W.Block("public " + Runtime + ".NetworkWorkspace<" + T + "> CreateWorkspace(int batchCapacity)"))
        {
            // Dropout's masks are drawn element by element on the thread that runs the pass: a trainer keeps such networks in
            // chunks, whose passes run in parallel, rather than one pass whose products alone are shared (the Fashion-MNIST
            // race's epoch took 0.79 s against 0.62-0.68 s that way).
            if (Plan.Batched && !Plan.HasDropout)
            {
                W.Line("// The batch products take the workspace's kernel team, so a trainer may run a whole batch in one workspace.");
                W.Line("return " + CompilerServices + ".WorkspaceAccess.CreateSplittingProducts<" + T + ">(batchCapacity, SampleStride);");
            }
            else
            {
                W.Line("return new " + Runtime + ".NetworkWorkspace<" + T + ">(batchCapacity, SampleStride);");
            }
        }

        W.Line();
    }
}
