using System;

namespace NetGen.Generator.Ops;

/// <summary>How the plan says a node is computed.</summary>
internal enum Strategy
{
    /// <summary>One scalar statement per element, every index a constant (tiny layers).</summary>
    Unrolled,

    /// <summary>A loop with constant bounds over the node's elements, for one sample.</summary>
    Loop,

    /// <summary>One TensorPrimitives call over the node's elements, for one sample.</summary>
    Vector,

    /// <summary>One DenseKernels call over the whole batch.</summary>
    Kernel,

    /// <summary>One SampleDenseKernels call for one sample (small dense layers whose rows fill or pack into vectors).</summary>
    SampleKernel,
}

/// <summary>A parameter tensor as generated code names it.</summary>
/// <param name="Name">The variable name (<c>W1</c>).</param>
/// <param name="Length">Number of elements.</param>
/// <param name="OffsetConstant">The constant holding its offset in the flat buffer (<c>W1Offset</c>).</param>
internal sealed record ParameterSite(string Name, int Length, string OffsetConstant);

/// <summary>
/// An op's view of the place its code goes: the names and sizes of its values, the plan's strategy,
/// and spans declared on first use. The emitter implements it; ops never see the plan or the spec.
/// </summary>
internal interface IOpSite
{
    /// <summary>The names of the node's value, inputs and parameters.</summary>
    OpNames Names { get; }

    /// <summary>Elements of the node's value for one sample.</summary>
    int Size { get; }

    /// <summary>How the plan computes this node.</summary>
    Strategy Strategy { get; }

    /// <summary>
    /// True when a predictor's packed copy of the parameters holds this node's <see cref="Op.PackedWeights"/> transposed: its
    /// forward kernel call then reads them by the pass's <c>packedWeights</c> argument.
    /// </summary>
    bool WeightsMayBePacked { get; }

    /// <summary>Prints formulas as code of the element type.</summary>
    Notation Notation { get; }

    /// <summary><c>float</c> or <c>double</c>.</summary>
    string ElementType { get; }

    int InputSize(int index);

    /// <summary>True when input <paramref name="index"/> is the network's input (data, outside the workspace).</summary>
    bool InputIsData(int index);

    ParameterSite Parameter(int index);

    void Line(string text);

    /// <summary>
    /// Element <paramref name="index"/> of the span <paramref name="span"/> as an expression: the local that holds it when
    /// this scope assigned it with <see cref="StoreElement"/> (so the value is not read back from memory), else
    /// <c>span[index]</c>.
    /// </summary>
    string Element(string span, int index);

    /// <summary>
    /// Writes <c>span[index] = expression</c> or <c>+=</c> (one statement of an unrolled step). An assignment also keeps
    /// the value in a local of the element type that later <see cref="Element"/> reads in the same scope use: the next
    /// step reads it from a register instead of waiting for the store to reach the load (a tiny network's step is one
    /// chain of such latencies).
    /// </summary>
    void StoreElement(string span, int index, Assignment assignment, string expression);

    IDisposable Block(string header);

    /// <summary>The node's value for writing (forward).</summary>
    string Output();

    /// <summary>The node's value for reading (backward).</summary>
    string OutputValue();

    string InputValue(int index);

    /// <summary>The node's mask for writing (forward; ops with <see cref="Op.HasMask"/>).</summary>
    string Mask();

    /// <summary>The node's mask for reading (backward).</summary>
    string MaskValue();

    /// <summary>dL/d(node), read by the backward step.</summary>
    string Gradient();

    /// <summary>dL/d(input), written by the backward step.</summary>
    string InputGradient(int index);

    string ParameterValue(int index);

    string ParameterGradient(int index);

    /// <summary>Batch views for kernels: <c>span, stride</c> of input <paramref name="index"/> over all samples.</summary>
    string BatchInput(int index);

    /// <summary>Batch view of the node's value: a span starting at sample 0 (stride <c>SampleStride</c>).</summary>
    string BatchOutput();

    string BatchGradient();

    string BatchInputGradient(int index);

    /// <summary>The activation this node's batch kernel computes as it stores the node's value (the plan fused it), or null.</summary>
    FusedActivationSite? OutputEpilogue();

    /// <summary>
    /// The activation that input <paramref name="index"/> is, when this node's input gradient kernel applies its derivative
    /// as it stores the gradient (the plan fused it): then the kernel writes dL/d(the activation's input), or null.
    /// </summary>
    FusedActivationSite? InputEpilogue(int index);

    /// <summary><c>parameters.Slice(W1Offset, 4)</c>.</summary>
    string ParameterSlice(int index);

    /// <summary><c>gradient.Slice(W1Offset, 4)</c>.</summary>
    string ParameterGradientSlice(int index);

    /// <summary>
    /// The fully qualified name of a type in the runtime's <c>NetGen.CompilerServices</c> namespace, which holds
    /// what only generated code calls (<c>global::NetGen.CompilerServices.DenseKernels</c>).
    /// </summary>
    string CompilerService(string type);
}
