using System.Collections.Generic;
using System.Linq;
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
    /// The shape rule: the size of the op's value for one sample, given the sizes of its inputs, or a
    /// message saying why the inputs do not fit.
    /// </summary>
    public abstract ShapeResult Shape(IReadOnlyList<int> inputSizes);

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
    /// True when the op is unrolled exactly when every value it reads was (add, concat): it moves or combines
    /// values one element at a time, so it follows its inputs' form; otherwise it loops.
    /// </summary>
    public virtual bool StrategyFollowsInputs => false;

    /// <summary>The forward form for docs and diagrams: <c>a1 = sigmoid(z1)</c>.</summary>
    public abstract string ForwardFormula(OpNames names);

    /// <summary>Writes the forward computation of one node.</summary>
    public abstract void EmitForward(IOpSite site);

    /// <summary>The chain rule through this op towards <paramref name="wrt"/>: <c>dL/dz1 = dL/da1 * a1 * (1 - a1)</c>.</summary>
    public abstract string DerivativeFormula(OpNames names, Wrt wrt);

    /// <summary>
    /// The comment of one backward step: <see cref="DerivativeFormula"/>, with <c>+=</c> for an input whose gradient
    /// already holds another consumer's contribution (a value read twice gets one term per use, as in the notes).
    /// </summary>
    public string StepFormula(OpNames names, Wrt wrt, bool accumulate)
    {
        string formula = DerivativeFormula(names, wrt);
        int assignment = formula.IndexOf(" = ", System.StringComparison.Ordinal);
        return accumulate && !wrt.IsParameter && assignment > 0 ? formula.Substring(0, assignment) + " += " + formula.Substring(assignment + 3) : formula;
    }

    /// <summary>
    /// Writes the gradient with respect to <paramref name="wrt"/> (assigning it, or adding to it when
    /// <paramref name="accumulate"/>; parameter gradients are always added). The emitter has already
    /// printed <see cref="DerivativeFormula"/> as the comment above it, except under
    /// <see cref="Strategy.Kernel"/>, where a kernel may compute several derivatives and the op prints
    /// the formulas it computes.
    /// </summary>
    public abstract void EmitDerivative(IOpSite site, Wrt wrt, bool accumulate);
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

/// <summary>The result of a shape rule: a size, or why the inputs do not fit.</summary>
internal readonly struct ShapeResult
{
    private ShapeResult(int size, string? error)
    {
        Size = size;
        Error = error;
    }

    public int Size { get; }

    public string? Error { get; }

    public static ShapeResult Of(int size) => new(size, null);

    public static ShapeResult Invalid(string error) => new(0, error);

    /// <summary>The shape rule of element-wise ops of one input: the value has the input's size.</summary>
    public static ShapeResult SameAsSingleInput(IReadOnlyList<int> inputSizes, string op) =>
        inputSizes.Count == 1 ? Of(inputSizes[0]) : Invalid(op + " takes one input, not " + inputSizes.Count);

    /// <summary>The shape rule of element-wise merges (add, multiply): two or more inputs of one size, which the value keeps.</summary>
    public static ShapeResult SameSizeMerge(IReadOnlyList<int> inputSizes, string op) =>
        inputSizes.Count < 2 ? Invalid(op + " takes at least two inputs, not " + inputSizes.Count)
        : inputSizes.Any(size => size != inputSizes[0]) ? Invalid(op + " needs inputs of one size, not " + string.Join(", ", inputSizes))
        : Of(inputSizes[0]);
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
