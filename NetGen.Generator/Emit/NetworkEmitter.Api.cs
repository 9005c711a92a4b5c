using System.Linq;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

/// <summary>The public <c>INetwork</c> members: argument checks, then the passes the plan chose.</summary>
internal sealed partial class NetworkEmitter
{
    private void EmitPublicApi()
    {
        EmitWriteInputs();
        string ro = ReadOnlySpan;
        string rw = Span;
        string ws = Runtime + ".NetworkWorkspace<" + T + ">";
        string check = "int batch = " + CompilerServices + ".NetworkArguments.CheckBatch(inputs.Length, InputSize, workspace, SampleStride);";

        W.Line("/// <inheritdoc/>");
        using (W.Block("public void Predict(" + ro + " input, " + rw + " output)"))
        {
            EmitPredictBody("_parameters.Span", packed: false);
        }

        W.Line();
        W.Line("/// <inheritdoc/>");
        using (W.Block("public void Forward(" + ro + " inputs, " + rw + " outputs, " + ws + " workspace)"))
        {
            W.Line(check);
            W.Line(CompilerServices + ".NetworkArguments.CheckOutputs(outputs.Length, batch, OutputSize, nameof(outputs));");
            W.Line(rw + " buffer = " + CompilerServices + ".WorkspaceAccess.Buffer(workspace);");
            W.Line("ForwardBatch(_parameters.Span, inputs, buffer, batch" + Inference + WorkspaceTeamArgument + ");");
            using (W.Block("for (int s = 0; s < batch; s++)"))
            {
                W.Line(rw + " values = buffer.Slice(s * SampleStride, SampleStride);");
                EmitPredictSampleCall();
                W.Line("values.Slice(PredictionOffset, OutputSize).CopyTo(outputs.Slice(s * OutputSize, OutputSize));");
            }
        }

        W.Line();
        string lossGradient = Slice(Plan.LossStep.InputNode, BufferKind.Gradient);
        W.Line("/// <inheritdoc/>");
        using (W.Block("public " + T + " ComputeLoss(" + ro + " inputs, " + ro + " targets, " + ws + " workspace)"))
        {
            W.Line(check);
            W.Line(CompilerServices + ".NetworkArguments.CheckOutputs(targets.Length, batch, OutputSize, nameof(targets));");
            W.Line(rw + " buffer = " + CompilerServices + ".WorkspaceAccess.Buffer(workspace);");
            W.Line("ForwardBatch(_parameters.Span, inputs, buffer, batch" + TrainingBatch + WorkspaceTeamArgument + ");");
            if (LossOverBatch)
            {
                W.Line();
                EmitBatchLoss();
            }
            else
            {
                W.Line("double loss = 0;");
                using (W.Block("for (int s = 0; s < batch; s++)"))
                {
                    W.Line(rw + " values = buffer.Slice(s * SampleStride, SampleStride);");
                    W.Line("loss += SampleLoss(values, targets.Slice(s * OutputSize, OutputSize), " + lossGradient + ");");
                }
            }

            W.Line();
            W.Line("return (" + T + ")loss;");
        }

        W.Line();
        W.Line("/// <inheritdoc/>");
        using (W.Block("public " + T + " ForwardBackward(" + ro + " inputs, " + ro + " targets, " + rw + " gradient, " + ws + " workspace)"))
        {
            W.Line(check);
            W.Line(CompilerServices + ".NetworkArguments.CheckOutputs(targets.Length, batch, OutputSize, nameof(targets));");
            W.Line(CompilerServices + ".NetworkArguments.CheckGradient(gradient.Length, ParameterCount);");
            W.Line(rw + " buffer = " + CompilerServices + ".WorkspaceAccess.Buffer(workspace);");
            if (Plan.Batched)
            {
                W.Line("// Null unless a multithreaded trainer runs this batch: then its threads share each large product.");
                W.Line(CompilerServices + ".KernelTeam? team = " + WorkspaceTeam + ";");
                W.Line("ForwardBatch(_parameters.Span, inputs, buffer, batch" + TrainingBatch + ", team);");
                W.Line("return (" + T + ")BackwardBatch(_parameters.Span, inputs, buffer, targets, gradient, batch, team);");
            }
            else if (LossOverBatch)
            {
                W.Line("ForwardBatch(_parameters.Span, inputs, buffer, batch" + TrainingBatch + ");");
                W.Line();
                EmitBatchLoss();
                W.Line();
                using (W.Block("for (int s = 0; s < batch; s++)"))
                {
                    W.Line("BackwardSample(_parameters.Span, inputs.Slice(s * InputSize, InputSize), buffer.Slice(s * SampleStride, SampleStride), gradient);");
                }

                W.Line();
                W.Line("return (" + T + ")loss;");
            }
            else
            {
                W.Line("ForwardBatch(_parameters.Span, inputs, buffer, batch" + TrainingBatch + ");");
                W.Line("double loss = 0;");
                using (W.Block("for (int s = 0; s < batch; s++)"))
                {
                    W.Line("loss += BackwardSample(_parameters.Span, inputs.Slice(s * InputSize, InputSize), buffer.Slice(s * SampleStride, SampleStride), targets.Slice(s * OutputSize, OutputSize), gradient);");
                }

                W.Line();
                W.Line("return (" + T + ")loss;");
            }
        }

        W.Line();
        EmitPackedPrediction();
    }

    /// <summary>The body of <c>Predict</c> on <paramref name="parameters"/>, the network's own or a predictor's packed copy.</summary>
    private void EmitPredictBody(string parameters, bool packed)
    {
        W.Line(CompilerServices + ".NetworkArguments.CheckSample(input.Length, output.Length, InputSize, OutputSize);");
        if (packed)
        {
            W.Line(CompilerServices + ".NetworkArguments.CheckPacked(packed.Length, ParameterCount);");
        }

        if (Plan.PredictScratchOnHeap)
        {
            W.Line(Span + " values = t_predictValues ??= new " + T + "[SampleStride];");
        }
        else
        {
            W.Line(Span + " values = stackalloc " + T + "[SampleStride];");
        }

        W.Line("ForwardBatch(" + parameters + ", input, values, 1" + Inference + (Plan.Batched ? ", team: null" : string.Empty) + (packed && Plan.PacksWeights ? ", packedWeights: true" : string.Empty) + ");");
        EmitPredictSampleCall();
        W.Line("values.Slice(PredictionOffset, OutputSize).CopyTo(output);");
    }

    /// <summary>
    /// The members of <c>IPackedPrediction</c>, explicitly (users reach them through <c>NetGen.Predictor</c>): the packed
    /// copy of the parameters, and <c>Predict</c> on it.
    /// </summary>
    private void EmitPackedPrediction()
    {
        string contract = CompilerServices + ".IPackedPrediction<" + T + ">";
        W.Line("/// <inheritdoc/>");
        using (W.Block("void " + contract + ".PackParameters(" + Span + " packed)"))
        {
            W.Line(CompilerServices + ".NetworkArguments.CheckPacked(packed.Length, ParameterCount);");
            W.Line("_parameters.Span.CopyTo(packed);");
            if (!Plan.PacksWeights)
            {
                W.Line("// No layer runs as a batch product wide enough to pack: the copy keeps the parameters' layout.");
            }

            foreach (var node in Plan.Nodes)
            {
                if (Plan.PackedWeights(node) is not { } weights)
                {
                    continue;
                }

                W.Line("// " + weights.Name + "ᵀ in panels of outputs, the layout DenseKernels.ForwardPacked reads for one sample");
                W.Line(CompilerServices + ".DenseKernels.PackWeights(_parameters.Span.Slice(" + weights.OffsetConstant + ", " + weights.Length + "), packed.Slice("
                    + weights.OffsetConstant + ", " + weights.Length + "), n: " + weights.Rows + ", k: " + weights.Columns + ");");
            }
        }

        W.Line();
        W.Line("/// <inheritdoc/>");
        using (W.Block("void " + contract + ".PredictPacked(" + ReadOnlySpan + " packed, " + ReadOnlySpan + " input, " + Span + " output)"))
        {
            EmitPredictBody("packed", packed: true);
        }

        W.Line();
    }

    /// <summary>
    /// <c>WriteInputs(image, meta, destination)</c>: one sample's named inputs written side by side into the input vector
    /// that <c>Predict</c>, the trainer and the datasets take, each length checked.
    /// </summary>
    private void EmitWriteInputs()
    {
        var inputs = Plan.NamedInputs;
        if (inputs.Count == 0)
        {
            return;
        }

        // The parameters are the inputs' names, so users can pass them by name; the destination's name must differ from
        // every input's, and a constant an input's name would hide inside the method is read through the type.
        string destination = Enumerable.Range(0, inputs.Count + 1).Select(k => k == 0 ? "destination" : "destination" + k).First(n => inputs.All(i => i.Name != n));
        string Constant(string name) => inputs.Any(i => i.Name == name) ? QualifiedTypeName + "." + name : name;
        W.Line("/// <summary>");
        W.Line("/// Writes one sample's named inputs side by side into <paramref name=\"" + destination + "\"/>, the input vector that");
        W.Line("/// <see cref=\"Predict\"/>, the trainer and the datasets take: " + string.Join(", ", inputs.Select(i => i.Name + " at <see cref=\"" + i.OffsetConstant + "\"/>")) + ".");
        W.Line("/// </summary>");
        foreach (var input in inputs)
        {
            W.Line("/// <param name=\"" + input.Name + "\">The input '" + input.Name + "': <see cref=\"" + input.SizeConstant + "\"/> values.</param>");
        }

        W.Line("/// <param name=\"" + destination + "\">One sample's input vector: <see cref=\"InputSize\"/> values.</param>");
        W.Line("/// <exception cref=\"global::System.ArgumentException\">A span has another length.</exception>");
        string parameters = string.Join(", ", inputs.Select(i => ReadOnlySpan + " " + Identifier(i.Name)));
        using (W.Block("public static void WriteInputs(" + parameters + ", " + Span + " " + destination + ")"))
        {
            foreach (var input in inputs.Select(i => (i.Name, Id: Identifier(i.Name), Size: Constant(i.SizeConstant))).Append((Name: destination, Id: destination, Size: Constant("InputSize"))))
            {
                using (W.Block("if (" + input.Id + ".Length != " + input.Size + ")"))
                {
                    W.Line("throw new global::System.ArgumentException($\"'" + input.Name + "' has {" + input.Id + ".Length} values; " + Plan.TypeName + " takes " + "{" + (input.Size.Contains("::") ? "(" + input.Size + ")" : input.Size) + "}.\", nameof(" + input.Id + "));");
                }

            }

            foreach (var input in inputs)
            {
                W.Line(Identifier(input.Name) + ".CopyTo(" + destination + ".Slice(" + Constant(input.OffsetConstant) + ", " + Constant(input.SizeConstant) + "));");
            }
        }

        W.Line();
    }

    /// <summary><c>PredictSample(values);</c> where the prediction is not part of the forward pass.</summary>
    private void EmitPredictSampleCall()
    {
        if (Plan.PredictionIsSeparate)
        {
            W.Line("PredictSample(values);");
        }
    }

    /// <summary>
    /// True when the loss has a batch form (<see cref="Ops.LossOp.HasBatchForm"/>) for the network's outputs: the passes
    /// then run every sample forward, the loss of the whole batch in one call, and the backward pass. Its exponentials go
    /// one vector of samples at a time, which took W3's loss of 64 samples from 6.0 to 3.2 µs (10 classes in libm's
    /// scalar calls before).
    /// </summary>
    private bool LossOverBatch => Plan.LossStep.Op.HasBatchForm && Plan.OutputSize <= Ops.LossOp.MaxBatchFormOutputs;

    /// <summary><c>double loss = </c> the batch form of the loss over every sample's region (<see cref="LossOverBatch"/>).</summary>
    private void EmitBatchLoss()
    {
        var loss = Plan.LossStep;
        var input = Plan.Nodes[loss.InputNode];
        W.Line("// " + loss.Op.Definition(input.Name));
        W.Line("// " + loss.Op.Formula(input.Name, Plan.Prediction.Name));
        W.Line("// Every sample's at once, written into its d" + input.Name + ": the loss's exponentials are vectorized across the samples.");
        W.Line("double loss = " + CompilerServices + ".SampleLoss." + loss.Op.RuntimeFunction + "(buffer, SampleStride, "
            + Buffer(input.Id, BufferKind.Value).Constant + ", " + Buffer(input.Id, BufferKind.Gradient).Constant + ", targets, OutputSize);");
    }

    /// <summary>The extra arguments of ForwardBatch for an inference pass (dropout off), if the network has dropout.</summary>
    private string Inference => Plan.HasDropout ? ", training: false, seed: 0, sampleOffset: 0" : string.Empty;

    /// <summary>The workspace's team as ForwardBatch's last argument, which only a batched network's takes.</summary>
    private string WorkspaceTeamArgument => Plan.Batched ? ", " + WorkspaceTeam : string.Empty;

    /// <summary>The threads that share the batch products of a pass in the workspace (null outside a multithreaded trainer's batch).</summary>
    private static string WorkspaceTeam => CompilerServices + ".WorkspaceAccess.Team(workspace)";

    /// <summary>The extra arguments of ForwardBatch in a pass whose dropout follows the workspace's mode.</summary>
    private string TrainingBatch => Plan.HasDropout ? ", workspace.Training, workspace.DropoutSeed, workspace.SampleOffset" : string.Empty;
}
