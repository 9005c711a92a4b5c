using System.Globalization;

namespace NetGen.Generator.Ops;

/// <summary>
/// A scalar formula, written once by an op and printed twice: as the comment a reader checks against
/// the lecture notes (<see cref="Notation.Formula"/>: <c>dL/da1 * a1 * (1 - a1)</c>) and as the C# that
/// computes it (<see cref="Notation.Code"/>: <c>da1[0] * a1[0] * (1f - a1[0])</c>). Because both come from
/// one tree, the comment cannot drift from the code.
/// </summary>
internal abstract class Expr
{
    /// <summary>Binding strength: a child weaker than its parent's slot is parenthesized.</summary>
    protected abstract int Precedence { get; }

    public static implicit operator Expr(double value) => new Literal(value);

    public static Expr operator +(Expr left, Expr right) => new Binary("+", 1, left, right);

    public static Expr operator -(Expr left, Expr right) => new Binary("-", 1, left, right);

    public static Expr operator *(Expr left, Expr right) => new Binary("*", 2, left, right);

    public static Expr operator /(Expr left, Expr right) => new Binary("/", 2, left, right);

    public static Expr operator -(Expr operand) => new Negation(operand);

    /// <summary>A value: <paramref name="formula"/> in the comment, <paramref name="code"/> in C#.</summary>
    public static Expr Value(string formula, string code) => new Variable(formula, code);

    public static Expr Exp(Expr x) => new Call("exp", "Exp", x);

    public static Expr Log(Expr x) => new Call("ln", "Log", x);

    public static Expr Tanh(Expr x) => new Call("tanh", "Tanh", x);

    public static Expr Abs(Expr x) => new Call("abs", "Abs", x);

    public static Expr Max(Expr x, Expr y) => new Call("max", "Max", x, y);

    /// <summary><c>x &gt; 0 ? then : otherwise</c>.</summary>
    public static Expr IfPositive(Expr x, Expr then, Expr otherwise) => new Conditional(x, then, otherwise);

    /// <summary>The text of the formula in <paramref name="notation"/>.</summary>
    public abstract string Print(Notation notation);

    protected string Print(Notation notation, int slot) =>
        Precedence < slot ? "(" + Print(notation) + ")" : Print(notation);

    private sealed class Literal(double value) : Expr
    {
        protected override int Precedence => 9;

        public override string Print(Notation notation) => notation.Literal(value);
    }

    private sealed class Variable(string formula, string code) : Expr
    {
        protected override int Precedence => 9;

        public override string Print(Notation notation) => notation.IsCode ? code : formula;
    }

    private sealed class Binary(string op, int precedence, Expr left, Expr right) : Expr
    {
        protected override int Precedence => precedence;

        // Left-associative: the right operand of - and / binds one level tighter (a - (b - c)).
        public override string Print(Notation notation) =>
            left.Print(notation, precedence) + " " + op + " " + right.Print(notation, precedence + 1);
    }

    private sealed class Negation(Expr operand) : Expr
    {
        protected override int Precedence => 3;

        public override string Print(Notation notation) => "-" + operand.Print(notation, 4);
    }

    private sealed class Call(string formulaName, string mathName, params Expr[] arguments) : Expr
    {
        protected override int Precedence => 9;

        public override string Print(Notation notation)
        {
            var printed = System.Array.ConvertAll(arguments, a => a.Print(notation));
            return (notation.IsCode ? notation.MathClass + "." + mathName : formulaName) + "(" + string.Join(", ", printed) + ")";
        }
    }

    private sealed class Conditional(Expr test, Expr then, Expr otherwise) : Expr
    {
        protected override int Precedence => 0;

        public override string Print(Notation notation) =>
            test.Print(notation, 5) + " > " + notation.Literal(0) + " ? " + then.Print(notation, 1) + " : " + otherwise.Print(notation, 1);
    }
}

/// <summary>How an <see cref="Expr"/> is printed: as a formula for comments, or as C# of one element type.</summary>
internal sealed class Notation
{
    private Notation(bool isCode, bool isDouble)
    {
        IsCode = isCode;
        IsDouble = isDouble;
    }

    /// <summary>Plain math for comments: <c>1</c>, <c>exp(x)</c>.</summary>
    public static Notation Formula { get; } = new(isCode: false, isDouble: false);

    public static Notation Float { get; } = new(isCode: true, isDouble: false);

    public static Notation Double { get; } = new(isCode: true, isDouble: true);

    public bool IsCode { get; }

    public bool IsDouble { get; }

    /// <summary>The class whose functions compute in the element type.</summary>
    public string MathClass => IsDouble ? "global::System.Math" : "global::System.MathF";

    /// <summary>A constant: <c>1</c> in a formula, <c>1f</c> for float, <c>1.0</c> for double.</summary>
    public string Literal(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!IsCode)
        {
            return text;
        }

        if (IsDouble)
        {
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        return text + "f";
    }
}
