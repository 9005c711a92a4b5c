using NetGen.Generator.Graph;
using NetGen.Generator.Model;

namespace NetGen.Generator.Derivation;

/// <summary>
/// One step of the backward pass: apply <see cref="Rule"/> at forward node <see cref="Node"/>,
/// producing the gradient of <see cref="Target"/> (a node ID, or -1 when the target is one of the
/// node's parameters). <see cref="Accumulate"/> is true when the target already received a
/// gradient from another consumer, so this step adds instead of assigning (fan-out in a DAG).
/// </summary>
internal sealed record BackwardStep(RuleKind Rule, int Node, int Target, bool Accumulate);

/// <summary>
/// Stage 4's result: the steps of the backward pass in execution order (reverse topological),
/// and which forward nodes need a gradient buffer.
/// </summary>
internal sealed record BackwardGraph(EquatableArray<BackwardStep> Steps, EquatableArray<int> GradientNodes);

/// <summary>The graph handed to the emitter: forward and backward, both plain data.</summary>
internal sealed record NetworkModel(ComputationGraph Forward, BackwardGraph Backward);
