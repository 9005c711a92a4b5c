using NetGen.Generator.Graph;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Derivation;

/// <summary>
/// One step of the backward pass: the chain rule through node <see cref="Node"/>'s op towards
/// <see cref="Wrt"/> (one of its inputs or parameters). <see cref="Target"/> is the node whose gradient
/// the step produces (-1 for a parameter). <see cref="Assignment"/> is <c>+=</c> when the target already
/// received a gradient from another consumer (fan-out in a DAG) and for a parameter (summed over the batch), else
/// <c>=</c>; the op prints it in the step's comment and in its code.
/// </summary>
internal sealed record BackwardStep(int Node, Wrt Wrt, int Target, Assignment Assignment);

/// <summary>
/// Stage 4's result: the steps of the backward pass in execution order (reverse topological) after the
/// loss's own step, and which forward nodes need a gradient buffer (the loss's input first).
/// </summary>
internal sealed record BackwardGraph(EquatableArray<BackwardStep> Steps, EquatableArray<int> GradientNodes);

/// <summary>The forward and backward graphs of one network, both plain data.</summary>
internal sealed record NetworkModel(ForwardGraph Forward, BackwardGraph Backward);
