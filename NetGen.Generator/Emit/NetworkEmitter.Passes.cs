using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Ops;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

/// <summary>The forward pass, the loss of one sample and the backward pass.</summary>
internal sealed partial class NetworkEmitter
{
    private void EmitForward()
    {
        var groups = ForwardGroups();
        if (Plan.Batched)
        {
            W.Line("/// <summary>");
            W.Line("/// The forward pass of a batch, layer by layer: matrix products for the dense layers (with their activation");
            W.Line("/// when the kernel applies it as it stores the product), then each sample's other operations. Sample s's node");
            W.Line("/// values are at <c>buffer[s * SampleStride ..]</c>.");
        }
        else
        {
            W.Line("/// <summary>");
            W.Line("/// The forward pass of a batch: computes every node's value" + (Plan.PredictionIsSeparate ? " but the prediction's" : string.Empty) + ", one operation");
            W.Line("/// for every sample before the next operation, so the samples' independent work overlaps (one sample at a time");
            W.Line("/// would wait on each operation's latency in turn). Sample s's node values are at <c>buffer[s * SampleStride ..]</c>.");
        }

        if (groups.Any(g => g.Count > 1))
        {
            W.Line("/// Consecutive operations written as one statement per element (tiny layers) share one loop, and each reads the");
            W.Line("/// values the one before it computed from locals rather than back from memory.");
        }

        W.Line("/// </summary>");

        string signature = "private static void ForwardBatch(" + ReadOnlySpan + " parameters, " + ReadOnlySpan + " inputs, " + Span + " buffer, int batch";
        if (Plan.HasDropout)
        {
            W.Line("/// <param name=\"training\">True to drop units (masks from <paramref name=\"seed\"/> and each sample's index <paramref name=\"sampleOffset\"/> + s), false to pass values through.</param>");
            signature += ", bool training, ulong seed, int sampleOffset";
        }

        if (Plan.Batched)
        {
            W.Line(TeamParameterDoc);
            signature += ", " + CompilerServices + ".KernelTeam? team";
        }

        if (Plan.PacksWeights)
        {
            W.Line("/// <param name=\"packedWeights\">True when <paramref name=\"parameters\"/> is a predictor's packed copy (<c>PackParameters</c>), whose wide layers' weights are stored transposed.</param>");
            signature += ", bool packedWeights = false";
        }

        using (W.Block(signature + ")"))
        {
            foreach (var group in groups)
            {
                var first = group[0];
                W.Blank();
                if (group.Count == 1 && first.Heading is not null)
                {
                    W.Line("// " + first.Heading);
                }

                if (first.Strategy == Strategy.Kernel)
                {
                    first.Op.EmitForward(new OpSite(this, first, new OpSite.DeclarationScope()));
                    continue;
                }

                using (ForEachSample(group, withSampleIndex: true))
                {
                    var scope = new OpSite.DeclarationScope();
                    for (int i = 0; i < group.Count; i++)
                    {
                        if (group.Count > 1)
                        {
                            if (i > 0)
                            {
                                W.Blank();
                            }

                            if (group[i].Heading is not null)
                            {
                                W.Line("// " + group[i].Heading);
                            }
                        }

                        group[i].Op.EmitForward(new OpSite(this, group[i], scope));
                    }
                }
            }
        }

        W.Line();
        EmitPredictSample();
    }

    /// <summary>
    /// <c>PredictSample(values)</c>, when the prediction is separate from the forward pass
    /// (<see cref="NetworkPlan.PredictionIsSeparate"/>): the prediction of one sample from the node it reads.
    /// </summary>
    private void EmitPredictSample()
    {
        if (!Plan.PredictionIsSeparate)
        {
            return;
        }

        var prediction = Plan.Prediction;
        var input = Plan.Nodes[Plan.LossStep.InputNode];
        W.Line("/// <summary>");
        W.Line("/// The prediction of one sample, after the forward pass: what <see cref=\"Predict\"/> and <see cref=\"Forward\"/>");
        W.Line("/// return. Training never computes it: the loss and the backward pass start from " + input.Name + ".");
        W.Line("/// </summary>");
        using (W.Block("private static void PredictSample(" + Span + " values)"))
        {
            if (prediction.Heading is not null)
            {
                W.Line("// " + prediction.Heading);
            }

            prediction.Op.EmitForward(new OpSite(this, prediction, new OpSite.DeclarationScope()));
        }

        W.Line();
    }

    /// <summary>
    /// The forward pass's operations in order, each in its own loop over the samples (or its own kernel call), except
    /// that consecutive unrolled ones share one: a tiny network's operations are a few dependent statements each, and in
    /// one loop body each reads the values the one before it computed from locals (<see cref="OpSite.StoreElement"/>)
    /// instead of waiting for them to come back from memory. An activation with an epilogue is computed by the product
    /// it reads, in that product's kernel call, and has no group.
    /// </summary>
    private List<List<NodePlan>> ForwardGroups()
    {
        var groups = new List<List<NodePlan>>();
        foreach (var node in Plan.Nodes.Where(n => !n.IsData && n.Epilogue is null && !(Plan.PredictionIsSeparate && n.Id == Plan.Prediction.Id)))
        {
            if (node.Strategy == Strategy.Unrolled && groups.Count > 0 && groups[groups.Count - 1][0].Strategy == Strategy.Unrolled)
            {
                groups[groups.Count - 1].Add(node);
            }
            else
            {
                groups.Add(new List<NodePlan> { node });
            }
        }

        return groups;
    }

    /// <summary>
    /// Opens a loop over the samples of the batch that declares <c>values</c> (the sample's region) and, when a node
    /// reads the network input, <c>x</c>, and with <paramref name="withSampleIndex"/>, when one needs it, the sample's index.
    /// </summary>
    private IDisposable ForEachSample(IReadOnlyList<NodePlan> nodes, bool withSampleIndex = false)
    {
        var scope = W.Block("for (int s = 0; s < batch; s++)");
        W.Line(Span + " values = buffer.Slice(s * SampleStride, SampleStride);");
        if (nodes.Any(node => node.Inputs.Any(i => Plan.Nodes[i].IsData)))
        {
            W.Line(ReadOnlySpan + " x = inputs.Slice(s * InputSize, InputSize);");
        }

        if (withSampleIndex && nodes.Any(node => node.Op.NeedsSampleIndex))
        {
            W.Line("int sample = sampleOffset + s;");
        }

        return scope;
    }

    private void EmitSampleLoss()
    {
        if (LossOverBatch)
        {
            // Every pass calls the loss's batch form instead.
            return;
        }

        var loss = Plan.LossStep;
        var input = Plan.Nodes[loss.InputNode];
        var prediction = Plan.Prediction;
        W.Line("/// <summary>The loss of one sample; writes dL/d" + input.Name + " into <paramref name=\"d" + input.Name + "\"/>.</summary>");
        using (W.Block("private static double SampleLoss(" + ReadOnlySpan + " values, " + ReadOnlySpan + " t, " + Span + " d" + input.Name + ")"))
        {
            W.Line(ReadOnlySpan + " " + input.Name + " = " + Slice(input.Id, BufferKind.Value) + ";");
            loss.Op.EmitSampleLoss(new LossSite(this, input.Name, prediction.Name));
        }

        W.Line();
    }

    private void EmitBackward()
    {
        string lossCall = "SampleLoss(values, t, " + Slice(Plan.LossStep.InputNode, BufferKind.Gradient) + ")";
        W.Line("/// <summary>");
        if (Plan.Batched)
        {
            W.Line("/// The backward pass of a batch, after <see cref=\"ForwardBatch\"/>: the chain rule from the loss back to every");
            W.Line("/// parameter, one step per operation, each over the whole batch. Adds dL/dparameters (summed over the");
            W.Line("/// samples) into <paramref name=\"gradient\"/>; returns the summed loss.");
            W.Line("/// </summary>");
            W.Line(TeamParameterDoc);
            W.Line("[global::System.Diagnostics.CodeAnalysis.SuppressMessage(\"Style\", \"IDE0060\", Justification = \"Uniform signature.\")]");
            using (W.Block("private static double BackwardBatch(" + ReadOnlySpan + " parameters, " + ReadOnlySpan + " inputs, " + Span + " buffer, " + ReadOnlySpan + " targets, " + Span + " gradient, int batch, " + CompilerServices + ".KernelTeam? team)"))
            {
                if (LossOverBatch)
                {
                    EmitBatchLoss();
                }
                else
                {
                    W.Line("double loss = 0;");
                    using (W.Block("for (int s = 0; s < batch; s++)"))
                    {
                        W.Line(Span + " values = buffer.Slice(s * SampleStride, SampleStride);");
                        W.Line(ReadOnlySpan + " t = targets.Slice(s * OutputSize, OutputSize);");
                        W.Line("loss += " + lossCall + ";");
                    }
                }

                foreach (var step in Plan.Steps)
                {
                    var node = Plan.Nodes[step.Node];
                    W.Blank();
                    if (node.Strategy == Strategy.Kernel)
                    {
                        node.Op.EmitDerivative(new OpSite(this, node, new OpSite.DeclarationScope()), step.Wrt, step.Assignment);
                        continue;
                    }

                    W.Line("// " + node.Op.DerivativeFormula(node.Names, step.Wrt, step.Assignment));
                    using (ForEachSample(new[] { node }))
                    {
                        node.Op.EmitDerivative(new OpSite(this, node, new OpSite.DeclarationScope()), step.Wrt, step.Assignment);
                    }
                }

                W.Line();
                W.Line("return loss;");
            }
        }
        else
        {
            if (LossOverBatch)
            {
                W.Line("/// The backward pass of one sample, after <see cref=\"ForwardBatch\"/> and the batch's loss: the chain rule from");
                W.Line("/// d" + Plan.Nodes[Plan.LossStep.InputNode].Name + " back to every parameter, one step per operation. Adds dL/dparameters into <paramref name=\"gradient\"/>.");
                W.Line("/// </summary>");
            }
            else
            {
                W.Line("/// The backward pass of one sample, after <see cref=\"ForwardBatch\"/>: the chain rule from the loss back");
                W.Line("/// to every parameter, one step per operation. Adds dL/dparameters into <paramref name=\"gradient\"/>; returns the loss.");
                W.Line("/// </summary>");
            }

            using (W.Block(LossOverBatch
                ? "private static void BackwardSample(" + ReadOnlySpan + " parameters, " + ReadOnlySpan + " x, " + Span + " values, " + Span + " gradient)"
                : "private static double BackwardSample(" + ReadOnlySpan + " parameters, " + ReadOnlySpan + " x, " + Span + " values, " + ReadOnlySpan + " t, " + Span + " gradient)"))
            {
                if (!LossOverBatch)
                {
                    W.Line("double loss = " + lossCall + ";");
                }

                var method = new OpSite.DeclarationScope();
                foreach (var step in Plan.Steps)
                {
                    var node = Plan.Nodes[step.Node];
                    W.Blank();
                    W.Line("// " + node.Op.DerivativeFormula(node.Names, step.Wrt, step.Assignment));
                    node.Op.EmitDerivative(new OpSite(this, node, method), step.Wrt, step.Assignment);
                }

                if (!LossOverBatch)
                {
                    W.Line();
                    W.Line("return loss;");
                }
            }
        }

        W.Line();
    }

    /// <summary>The documentation of the batch passes' <c>team</c> parameter.</summary>
    private const string TeamParameterDoc =
        "/// <param name=\"team\">Threads that share each large product (split by rows of W, or columns of dX: the same results), or null to compute it on this thread.</param>";

    /// <summary>The loss unit's view of <c>SampleLoss</c>.</summary>
    private sealed class LossSite(NetworkEmitter emitter, string input, string prediction) : ILossSite
    {
        public string Input => input;

        public string Prediction => prediction;

        public string CompilerService(string type) => NetworkEmitter.CompilerServices + "." + type;

        public void Line(string text) => emitter.W.Line(text);
    }
}
