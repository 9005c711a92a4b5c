namespace NetGen.Generator.Ops;

/// <summary>
/// How a backward step writes its target, chosen once by the deriver: <c>=</c> for the first contribution to a value's
/// gradient, <c>+=</c> when another consumer of the value already wrote its own (a value read twice gets one term per
/// use, as in the notes) and for parameter gradients (summed over the samples of a batch). An op prints this one value
/// in the step's formula (the comment and the DOT label) and in its code, so the comment cannot say <c>=</c> where the
/// code adds.
/// </summary>
/// <param name="Accumulates">True for <c>+=</c>.</param>
internal readonly record struct Assignment(bool Accumulates)
{
    /// <summary><c>=</c>: the step writes the first contribution.</summary>
    public static Assignment Assign => new(false);

    /// <summary><c>+=</c>: the step adds to what is there.</summary>
    public static Assignment Accumulate => new(true);

    /// <summary>The operator with a space either side, as formulas and statements print it: <c> = </c> or <c> += </c>.</summary>
    public string Operator => Accumulates ? " += " : " = ";

    /// <summary>The C# literal a kernel's <c>accumulate</c> argument takes.</summary>
    public string Flag => Accumulates ? "true" : "false";

    /// <summary>The start of a step's formula: <c>dL/da1 = </c> or <c>dL/da1 += </c>.</summary>
    public string Of(string value) => "dL/d" + value + Operator;
}
