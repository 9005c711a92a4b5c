using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Ops;

/// <summary>
/// One operation of the forward graph, as one unit that every later stage reads: its shape rule, its
/// parameters and their initializer hint, its forward form, its derivative with respect to each input and
/// parameter (the comment formula and the code written from the same definition), the values its
/// backward pass reads, and the vector primitive it prefers. Adding an operation is one new subclass;
/// the abstract members make the compiler list everything it must define.
/// </summary>
/// <remarks>
/// Ops are records so that graphs holding them stay equatable for the incremental pipeline. They are
/// pure descriptions: an op never sees Roslyn objects, the spec or the plan, only an <see cref="IOpSite"/>
/// that names its values and writes code where the emitter says.
/// </remarks>
internal abstract record Op
{
    /// <summary>The lower-case name used in diagrams and comments (<c>linear</c>, <c>sigmoid</c>, <c>dropout</c>).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The shape rule, written once: the size of the op's value for one sample, given its inputs (their sizes, and
    /// how a message names them), or why they do not fit. The graph stage reports a misfit a user can make
    /// (<see cref="ShapeResult.Misfit"/>) on the layer's attribute, and any other refusal as a generator bug.
    /// </summary>
    public abstract ShapeResult Shape(Operands inputs);

    /// <summary>The parameters the op owns (none by default), in flat-buffer order, for the given input sizes.</summary>
    public virtual IReadOnlyList<ParameterShape> Parameters(IReadOnlyList<int> inputSizes) => System.Array.Empty<ParameterShape>();

    /// <summary>The values the backward pass reads besides gradients.</summary>
    public abstract SavedValues Saves { get; }

    /// <summary>True when the op keeps a per-sample mask next to its value (dropout).</summary>
    public virtual bool HasMask => false;

    /// <summary>True when the forward code needs the index of the sample within the minibatch (dropout masks).</summary>
    public virtual bool NeedsSampleIndex => false;

    /// <summary>True when the op has a form that runs over a whole batch at once (the dense kernels).</summary>
    public virtual bool HasBatchKernel => false;

    /// <summary>
    /// True when an op with a batch kernel also has vector code for one sample of these input sizes and element size
    /// (in bytes), used for layers small enough to run sample by sample instead of unrolled scalar statements.
    /// </summary>
    public virtual bool HasSampleKernel(IReadOnlyList<int> inputSizes, int elementBytes) => false;

    /// <summary>
    /// The index of the parameter a predictor's packed copy stores transposed for this op's batch kernel, given the op's
    /// output size and the element size in bytes (<c>DenseKernels.PackWeights</c>); null when it stores them as they are.
    /// </summary>
    public virtual int? PackedWeights(int size, int elementBytes) => null;

    /// <summary>
    /// True when the op is unrolled exactly when every value it reads was (add, concat): it moves or combines
    /// values one element at a time, so it follows its inputs' form; otherwise it loops.
    /// </summary>
    public virtual bool StrategyFollowsInputs => false;

    /// <summary>
    /// How a dense layer's batch kernels apply this op to their product's value as they store it, and its derivative to
    /// the input gradient they store (the fused epilogue), given the strategy the op would run with on its own; null when
    /// the kernels have no such epilogue or it would not give the bits of the op's own code.
    /// </summary>
    public virtual FusedActivation? ProductEpilogue(Strategy strategy, Notation notation) => null;

    /// <summary>The forward form for docs and diagrams: <c>a1 = sigmoid(z1)</c>.</summary>
    public abstract string ForwardFormula(OpNames names);

    /// <summary>Writes the forward computation of one node.</summary>
    public abstract void EmitForward(IOpSite site);

    /// <summary>
    /// The chain rule through this op towards <paramref name="wrt"/>, writing its target with <paramref name="assignment"/>
    /// (<c>assignment.Of(z)</c>): <c>dL/dz1 = dL/da1 * a1 * (1 - a1)</c>, or <c>dL/da1 += ...</c> for a value another
    /// consumer already wrote. It is the step's comment and its DOT label.
    /// </summary>
    public abstract string DerivativeFormula(OpNames names, Wrt wrt, Assignment assignment);

    /// <summary>
    /// Writes the gradient with respect to <paramref name="wrt"/>, with the same <paramref name="assignment"/> as the
    /// formula's (the deriver's: <c>+=</c> for parameters and for a value another consumer already wrote). The emitter has
    /// already printed <see cref="DerivativeFormula"/> as the comment above it, except under <see cref="Strategy.Kernel"/>,
    /// where a kernel may compute several derivatives and the op prints the formulas it computes.
    /// </summary>
    public abstract void EmitDerivative(IOpSite site, Wrt wrt, Assignment assignment);
}

/// <summary>What an op's backward pass reads from the forward pass.</summary>
[System.Flags]
internal enum SavedValues
{
    None = 0,

    /// <summary>The op's inputs (ReLU reads z, a linear op reads a for dW).</summary>
    Inputs = 1,

    /// <summary>The op's own value (sigmoid and tanh differentiate through their output).</summary>
    Output = 2,

    /// <summary>The op's mask (dropout).</summary>
    Mask = 4,
}

/// <summary>
/// The result of a shape rule: a size (a long, so that a rule can say how large a value would be; the graph stage
/// checks it against the limit), or why the inputs do not fit.
/// </summary>
internal readonly struct ShapeResult
{
    private ShapeResult(long size, string? error, DiagnosticDescriptor? misuse)
    {
        Size = size;
        Error = error;
        Misuse = misuse;
    }

    public long Size { get; }

    /// <summary>Why the inputs do not fit; null when they do.</summary>
    public string? Error { get; }

    /// <summary>
    /// The diagnostic of a misfit a user can write (its message is <c>The [Kind] layer N of 'Net' </c> + <see cref="Error"/>);
    /// null when the refusal is an invariant the wiring guarantees (breaking it is a generator bug).
    /// </summary>
    public DiagnosticDescriptor? Misuse { get; }

    public static ShapeResult Of(long size) => new(size, null, null);

    /// <summary>Inputs the wiring never gives this op (a wrong count, sizes it was not built for): a generator bug if they come.</summary>
    public static ShapeResult Invalid(string error) => new(0, error, null);

    /// <summary>
    /// Inputs a user's description can give but that do not fit, reported as <paramref name="misuse"/> on the layer's attribute;
    /// <paramref name="message"/> continues <c>The [Add] layer 3 of 'Net' </c>, e.g. <c>sums layer 2 (3) + 'h1' (4); ...</c>.
    /// </summary>
    public static ShapeResult Misfit(DiagnosticDescriptor misuse, string message) => new(0, message, misuse);

    /// <summary>The shape rule of element-wise ops of one input: the value has the input's size.</summary>
    public static ShapeResult SameAsSingleInput(Operands inputs, string op) =>
        inputs.Count == 1 ? Of(inputs[0]) : Invalid(op + " takes one input, not " + inputs.Count);

    /// <summary>
    /// The shape rule of element-wise merges (add, multiply): two or more inputs of one size, which the value keeps; inputs
    /// of different sizes are <paramref name="mismatch"/>, whose message is <paramref name="verb"/>, the inputs joined by
    /// <paramref name="symbol"/> with their sizes, and <paramref name="rule"/>.
    /// </summary>
    public static ShapeResult SameSizeMerge(Operands inputs, string op, DiagnosticDescriptor mismatch, string verb, string symbol, string rule) =>
        inputs.Count < 2 ? Invalid(op + " takes at least two inputs, not " + inputs.Count)
        : inputs.Any(size => size != inputs[0]) ? Misfit(mismatch, verb + " " + inputs.Describe(symbol) + "; " + rule)
        : Of(inputs[0]);
}

/// <summary>
/// The inputs a shape rule sees: their sizes (the list), and how a message names each (<c>layer 2</c>, <c>'h1'</c>,
/// <c>the input</c>; inside a layer, the value's name).
/// </summary>
internal sealed class Operands : IReadOnlyList<int>
{
    private readonly int[] _sizes;
    private readonly string[] _labels;

    public Operands(int[] sizes, string[] labels)
    {
        _sizes = sizes;
        _labels = labels;
    }

    public int Count => _sizes.Length;

    public int this[int index] => _sizes[index];

    /// <summary>Inputs named <c>input 1</c>, <c>input 2</c>, ... (for tests and values that no attribute names).</summary>
    public static Operands Of(params int[] sizes) => new(sizes, sizes.Select((_, i) => "input " + (i + 1)).ToArray());

    /// <summary>How a message names input <paramref name="index"/>.</summary>
    public string Label(int index) => _labels[index];

    /// <summary>Every input with its size, joined by <paramref name="symbol"/>: <c>layer 2 (3) + 'h1' (4)</c>.</summary>
    public string Describe(string symbol) => string.Join(" " + symbol + " ", _labels.Select((label, i) => label + " (" + _sizes[i] + ")"));

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_sizes).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _sizes.GetEnumerator();
}

/// <summary>A parameter an op owns: its role letter (<c>W</c>, <c>b</c>), shape and initializer (null: zeros).</summary>
internal sealed record ParameterShape(string Role, int Rows, int Columns, bool IsVector, WeightInitializer? Initializer);

/// <summary>
/// What a derivative is taken with respect to: input <see cref="Index"/> of the op, or its parameter
/// <see cref="Index"/> (in <see cref="Op.Parameters"/> order) when <see cref="IsParameter"/>.
/// </summary>
internal readonly record struct Wrt(bool IsParameter, int Index)
{
    public static Wrt Input(int index) => new(false, index);

    public static Wrt Parameter(int index) => new(true, index);
}

/// <summary>The names of a node's value, inputs and parameters, as formulas and generated code call them.</summary>
internal sealed record OpNames(string Output, EquatableArray<string> Inputs, EquatableArray<string> Parameters)
{
    public string Input(int index) => Inputs[index];
}
