using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// NG0050-NG0069: the diagnostics of [Differentiable] methods, part of <see cref="DiagnosticCatalog.All"/>. Each
/// message says what is supported, so the fix is in the message.
/// </summary>
internal static class DifferentiableDiagnostics
{
    /// <summary>What an arithmetic expression may hold (the argument of <see cref="DifferentiableExpression"/>).</summary>
    public const string SupportedArithmetic =
        "it may use + - * /, unary minus, literals and constants, its parameters and locals, c ? a : b, and Math or MathF Exp, Log, Sqrt, Tanh, Pow (constant exponent), Max, Min and Abs";

    /// <summary>What a condition of <c>c ? a : b</c> may hold (the argument of <see cref="DifferentiableExpression"/>).</summary>
    public const string SupportedConditions =
        "a condition of c ? a : b may compare supported expressions with < <= > >= == != and combine comparisons with && || !";

    public static readonly DiagnosticDescriptor DifferentiableNotStatic = DiagnosticCatalog.Create(
        "NG0050", "A differentiable method must be static",
        "'{0}' is {1}; [Differentiable] applies to a static method of a partial class, struct or record",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableContainingType = DiagnosticCatalog.Create(
        "NG0051", "A differentiable method's type must be partial and non-generic",
        "'{0}' is declared in '{1}', which {2}; NetGen adds '{0}Gradient' to that type, so declare it as a partial, non-generic class, struct or record",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableSignature = DiagnosticCatalog.Create(
        "NG0052", "Unsupported signature for a differentiable method",
        "{0} of '{1}' {2}; a [Differentiable] method takes one or more float parameters and returns float, or takes double parameters and returns double, all passed by value",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableStatement = DiagnosticCatalog.Create(
        "NG0053", "Unsupported statement in a differentiable method",
        "This statement is not supported in the [Differentiable] method '{0}' ({1}); the body may hold local declarations with an initializer, assignments (= += -= *= /=) to locals and parameters, and one return as its last statement; write a branch as c ? a : b",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableExpression = DiagnosticCatalog.Create(
        "NG0054", "Unsupported expression in a differentiable method",
        "'{0}' is not supported in the [Differentiable] method '{1}': {2}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableCall = DiagnosticCatalog.Create(
        "NG0055", "Unsupported call in a differentiable method",
        "'{0}' is not supported in the [Differentiable] method '{1}'; it may call Math or MathF Exp, Log, Sqrt, Tanh, Pow (constant exponent), Max, Min and Abs",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor PowExponentNotConstant = DiagnosticCatalog.Create(
        "NG0056", "Pow needs a constant exponent",
        "The exponent '{0}' in the [Differentiable] method '{1}' is not a constant; Pow(x, c) is supported with a constant c (write x^y as Exp(y * Log(x)))",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableVariable = DiagnosticCatalog.Create(
        "NG0057", "A differentiable method reads only parameters, locals and constants",
        "'{0}' is {1}; the [Differentiable] method '{2}' may read only its parameters, its locals and constants, so pass the value as a parameter",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DifferentiableNoBody = DiagnosticCatalog.Create(
        "NG0058", "A differentiable method needs a body",
        "'{0}' has no body; [Differentiable] differentiates the method's body, so give it one",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor CompanionNameTaken = DiagnosticCatalog.Create(
        "NG0059", "The gradient companion's name is taken",
        "'{0}' already declares a member named '{1}', the name of the method NetGen generates for [Differentiable] '{2}'; rename that member or the method",
        DiagnosticSeverity.Error);

    public static DiagnosticDescriptor[] All { get; } = new[]
    {
        DifferentiableNotStatic, DifferentiableContainingType, DifferentiableSignature, DifferentiableStatement,
        DifferentiableExpression, DifferentiableCall, PowExponentNotConstant, DifferentiableVariable,
        DifferentiableNoBody, CompanionNameTaken,
    };
}
