using NetGen.Generator.Model;

namespace NetGen.Generator.Differentiable;

/// <summary>What a node of a function's expression graph computes.</summary>
internal enum ExpressionKind
{
    /// <summary>A parameter of the method: a leaf we differentiate with respect to.</summary>
    Parameter,
    /// <summary>A numeric constant: a leaf without a derivative.</summary>
    Constant,
    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,
    Exp,
    Log,
    Sqrt,
    Tanh,
    /// <summary><c>Pow(a, c)</c> with the constant exponent in <see cref="ExpressionNode.Constant"/>.</summary>
    Pow,
    Max,
    Min,
    Abs,
    /// <summary><c>c ? a : b</c>: <see cref="ExpressionNode.Condition"/> picks <see cref="ExpressionNode.Left"/> or <see cref="ExpressionNode.Right"/>.</summary>
    Select,

    // Boolean nodes: they steer a Select and have no derivative.
    BooleanConstant,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,
}

/// <summary>
/// One node of the expression graph: an operation on earlier nodes (by index; -1 when unused).
/// <see cref="Name"/> is the parameter's or local's name when the source gave the value one, else empty.
/// </summary>
internal sealed record ExpressionNode(ExpressionKind Kind, int Left = -1, int Right = -1, int Condition = -1, double Constant = 0, string Name = "")
{
    public bool IsBoolean => Kind >= ExpressionKind.BooleanConstant;

    public bool IsLeaf => Kind is ExpressionKind.Parameter or ExpressionKind.Constant or ExpressionKind.BooleanConstant;
}

/// <summary>A type that encloses the method, as the generated partial declaration repeats it (<c>static partial class</c>).</summary>
internal sealed record ContainingType(string Modifiers, string Keyword, string Name);

/// <summary>
/// A [Differentiable] method as plain, equatable data: where it lives, its signature, and its body as an
/// expression graph in evaluation order (a node's operands always come before it; a local assigned twice is two nodes).
/// </summary>
internal sealed record DifferentiableFunction(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Accessibility,
    string MethodName,
    bool IsSingle,
    string MathType,
    EquatableArray<string> Parameters,
    EquatableArray<ExpressionNode> Nodes,
    int Result)
{
    /// <summary>The generated companion: <c>F</c> gives <c>FGradient</c>.</summary>
    public string CompanionName => MethodName + "Gradient";

    public string ElementType => IsSingle ? "float" : "double";

    /// <summary>Unique per overload: namespace, types, method, then the parameter count and element type.</summary>
    public string HintName
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (Namespace is not null)
            {
                parts.Add(Namespace);
            }

            foreach (var type in ContainingTypes)
            {
                parts.Add(type.Name);
            }

            parts.Add(MethodName);
            return (string.Join(".", parts) + "-" + Parameters.Count + (IsSingle ? "f" : "d") + ".Gradient.g.cs").Replace("@", string.Empty);
        }
    }
}

/// <summary>The parser's result: the function when the method is supported, and the diagnostics found either way.</summary>
internal sealed record DifferentiableParseResult(DifferentiableFunction? Function, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One emitted statement and the chain-rule step (or note) it implements.</summary>
internal sealed record CodeLine(string Code, string Comment = "");

/// <summary>
/// The derived companion: forward statements (every node's value in evaluation order), backward statements
/// (reverse mode, one chain-rule step per line), and the names the method returns.
/// </summary>
internal sealed record GradientProgram(
    DifferentiableFunction Function,
    string DisplayName,
    bool ComparesValueWithItself,
    string ValueName,
    EquatableArray<CodeLine> Forward,
    EquatableArray<CodeLine> Backward,
    EquatableArray<string> GradientNames);
