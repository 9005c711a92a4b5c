using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Differentiable;

/// <summary>
/// Parse stage of the [Differentiable] pipeline: reads one method into a <see cref="DifferentiableFunction"/>
/// (its body as an expression graph) and the diagnostics of everything outside the supported subset, each at
/// the exact expression. This is the last place Roslyn syntax and symbols are seen.
/// </summary>
internal sealed class FunctionParser
{
    public const string AttributeName = "NetGen.DifferentiableAttribute";

    private static readonly Dictionary<string, ExpressionKind> MathFunctions = new(StringComparer.Ordinal)
    {
        ["Exp"] = ExpressionKind.Exp,
        ["Log"] = ExpressionKind.Log,
        ["Sqrt"] = ExpressionKind.Sqrt,
        ["Tanh"] = ExpressionKind.Tanh,
        ["Pow"] = ExpressionKind.Pow,
        ["Max"] = ExpressionKind.Max,
        ["Min"] = ExpressionKind.Min,
        ["Abs"] = ExpressionKind.Abs,
    };

    private readonly SemanticModel _model;
    private readonly IMethodSymbol _method;
    private readonly SpecialType _element;
    private readonly CancellationToken _cancellationToken;
    private readonly List<ExpressionNode> _nodes = new();
    private readonly List<DiagnosticInfo> _diagnostics = new();

    /// <summary>The node each parameter and local currently stands for (a reassignment rebinds the name).</summary>
    private readonly Dictionary<ISymbol, int> _bindings = new(SymbolEqualityComparer.Default);

    private FunctionParser(SemanticModel model, IMethodSymbol method, SpecialType element, CancellationToken cancellationToken)
    {
        _model = model;
        _method = method;
        _element = element;
        _cancellationToken = cancellationToken;
    }

    public static DifferentiableParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var none = new DifferentiableParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        if (context.TargetSymbol is not IMethodSymbol method)
        {
            return none;
        }

        // Code the compiler rejects is the compiler's to report; differentiating it would only add noise.
        if (context.TargetNode.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            || context.SemanticModel.GetDiagnostics(context.TargetNode.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return none;
        }

        var diagnostics = new List<DiagnosticInfo>();
        string name = method.Name;
        LocationInfo? identifier = context.TargetNode switch
        {
            MethodDeclarationSyntax m => LocationInfo.From(m.Identifier.GetLocation()),
            LocalFunctionStatementSyntax f => LocationInfo.From(f.Identifier.GetLocation()),
            _ => LocationInfo.From(context.TargetNode),
        };

        if (context.TargetNode is not MethodDeclarationSyntax declaration || method.MethodKind != MethodKind.Ordinary)
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableNotStatic, identifier, name, "a local function"));
            return new DifferentiableParseResult(null, diagnostics.ToEquatableArray());
        }

        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableNotStatic, identifier, name, "an instance method"));
        }

        var types = new List<ContainingType>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            string? problem = type.TypeKind is not (TypeKind.Class or TypeKind.Struct) ? "is not a class, struct or record"
                : type.IsGenericType ? "is generic"
                : !IsPartial(type, cancellationToken) ? "is not partial"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableContainingType, identifier, name, type.Name, problem));
            }

            types.Insert(0, Describe(type));
        }

        CheckSignature(method, declaration, diagnostics, out var element);
        if (method.ContainingType is { } containing && containing.GetMembers(name + "Gradient").Length > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.CompanionNameTaken, identifier, containing.Name, name + "Gradient", name));
        }

        if (declaration.Body is null && declaration.ExpressionBody is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableNoBody, identifier, name));
        }

        if (diagnostics.Count > 0)
        {
            return new DifferentiableParseResult(null, diagnostics.ToEquatableArray());
        }

        var parser = new FunctionParser(context.SemanticModel, method, element, cancellationToken);
        int result = parser.ReadBody(declaration);
        if (parser._diagnostics.Count > 0 || result < 0)
        {
            return new DifferentiableParseResult(null, parser._diagnostics.ToEquatableArray());
        }

        bool single = element == SpecialType.System_Single;
        string mathType = single ? "MathF" : "Math";
        if (context.SemanticModel.LookupNamespacesAndTypes(declaration.SpanStart, name: mathType)
            .Any(s => s.ToDisplayString() != "System." + mathType))
        {
            // A type of that name in the user's scope would capture the generated calls.
            mathType = "global::System." + mathType;
        }

        var function = new DifferentiableFunction(
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            types.ToEquatableArray(),
            AccessibilityText(method.DeclaredAccessibility),
            EscapeIdentifier(name),
            single,
            mathType,
            method.Parameters.Select(p => EscapeIdentifier(p.Name)).ToEquatableArray(),
            parser._nodes.ToEquatableArray(),
            result);
        return new DifferentiableParseResult(function, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static void CheckSignature(IMethodSymbol method, MethodDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, out SpecialType element)
    {
        string name = method.Name;
        element = method.ReturnType.SpecialType;
        if (element is not (SpecialType.System_Single or SpecialType.System_Double))
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableSignature, LocationInfo.From(declaration.ReturnType), "The return type", name,
                "is " + method.ReturnType.ToDisplayString()));
            element = method.Parameters.Length > 0 ? method.Parameters[0].Type.SpecialType : SpecialType.System_Double;
        }

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableSignature, LocationInfo.From(declaration.TypeParameterList), "The method", name, "is generic"));
        }

        if (method.Parameters.Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableSignature, LocationInfo.From(declaration.ParameterList), "The parameter list", name,
                "is empty, so there is nothing to differentiate with respect to"));
        }

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var location = LocationInfo.From(declaration.ParameterList.Parameters[i]);
            string what = "The parameter '" + parameter.Name + "'";
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableSignature, location, what, name,
                    "is passed " + (parameter.IsParams ? "as params" : "by " + parameter.RefKind.ToString().ToLowerInvariant())));
            }
            else if (parameter.Type.SpecialType != element)
            {
                diagnostics.Add(DiagnosticInfo.Create(DifferentiableDiagnostics.DifferentiableSignature, location, what, name,
                    "has type " + parameter.Type.ToDisplayString() + " but the method returns " + method.ReturnType.ToDisplayString()));
            }
        }
    }

    private int ReadBody(MethodDeclarationSyntax declaration)
    {
        foreach (var parameter in _method.Parameters)
        {
            _bindings[parameter] = Add(new ExpressionNode(ExpressionKind.Parameter, Left: parameter.Ordinal, Name: EscapeIdentifier(parameter.Name)));
        }

        if (declaration.ExpressionBody is { } arrow)
        {
            return Read(arrow.Expression);
        }

        var statements = declaration.Body!.Statements;
        int result = -1;
        for (int i = 0; i < statements.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var statement = statements[i];
            switch (statement)
            {
                case LocalDeclarationStatementSyntax local when !local.IsConst && local.UsingKeyword.IsKind(SyntaxKind.None)
                    && !local.Declaration.Type.IsKind(SyntaxKind.RefType):
                    foreach (var variable in local.Declaration.Variables)
                    {
                        ReadLocal(variable);
                    }

                    break;
                case LocalDeclarationStatementSyntax { IsConst: true }:
                    break; // constants are read where they are used
                case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                    ReadAssignment(statement, assignment);
                    break;
                case ReturnStatementSyntax { Expression: { } value } when i == statements.Count - 1:
                    result = Read(value);
                    break;
                case ReturnStatementSyntax:
                    Report(DifferentiableDiagnostics.DifferentiableStatement, statement, _method.Name, "a return before the end of the body");
                    break;
                case EmptyStatementSyntax:
                    break;
                default:
                    Report(DifferentiableDiagnostics.DifferentiableStatement, statement, _method.Name, StatementKind(statement));
                    break;
            }
        }

        return result;
    }

    private void ReadLocal(VariableDeclaratorSyntax variable)
    {
        if (_model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local)
        {
            return;
        }

        if (local.Type.SpecialType != _element)
        {
            Report(DifferentiableDiagnostics.DifferentiableExpression, variable, Shorten(variable.ToString()), _method.Name,
                "its locals have the method's type " + ElementName + ", and this one is " + local.Type.ToDisplayString());
            return;
        }

        if (variable.Initializer is null)
        {
            Report(DifferentiableDiagnostics.DifferentiableStatement, variable, _method.Name, "a local without an initializer");
            return;
        }

        int node = Read(variable.Initializer.Value);
        if (node >= 0)
        {
            _bindings[local] = Named(node, local.Name);
        }
    }

    private void ReadAssignment(StatementSyntax statement, AssignmentExpressionSyntax assignment)
    {
        var target = _model.GetSymbolInfo(assignment.Left, _cancellationToken).Symbol;
        if (assignment.Left is not IdentifierNameSyntax
            || target is not (ILocalSymbol or IParameterSymbol)
            || !SymbolEqualityComparer.Default.Equals(target.ContainingSymbol, _method)
            || !_bindings.TryGetValue(target, out int current))
        {
            Report(DifferentiableDiagnostics.DifferentiableStatement, statement, _method.Name, "an assignment to something other than a local or parameter");
            return;
        }

        var kind = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => (ExpressionKind?)null,
            SyntaxKind.AddAssignmentExpression => ExpressionKind.Add,
            SyntaxKind.SubtractAssignmentExpression => ExpressionKind.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => ExpressionKind.Multiply,
            SyntaxKind.DivideAssignmentExpression => ExpressionKind.Divide,
            _ => ExpressionKind.BooleanConstant,
        };
        if (kind == ExpressionKind.BooleanConstant)
        {
            Report(DifferentiableDiagnostics.DifferentiableStatement, statement, _method.Name, "the operator " + assignment.OperatorToken.Text);
            return;
        }

        int value = Read(assignment.Right);
        if (value < 0)
        {
            return;
        }

        int node = kind is { } op ? Add(new ExpressionNode(op, current, value)) : value;
        _bindings[target] = Named(node, target.Name);
    }

    /// <summary>Reads an arithmetic expression of the element type; returns its node, or -1 after reporting why it is not supported.</summary>
    private int Read(ExpressionSyntax expression)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var constant = _model.GetConstantValue(expression, _cancellationToken);
        if (constant.HasValue && constant.Value is not (bool or string or char or null))
        {
            double value = Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture);
            return Add(new ExpressionNode(ExpressionKind.Constant, Constant: _element == SpecialType.System_Single ? (float)value : value));
        }

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Read(parenthesized.Expression);
            case BinaryExpressionSyntax binary when ArithmeticKind(binary.Kind()) is { } kind && IsElementTyped(binary):
            {
                int left = Read(binary.Left);
                int right = Read(binary.Right);
                return left < 0 || right < 0 ? -1 : Add(new ExpressionNode(kind, left, right));
            }

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression) && IsElementTyped(unary):
            {
                int operand = Read(unary.Operand);
                return operand < 0 ? -1 : Add(new ExpressionNode(ExpressionKind.Negate, operand));
            }

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression) && IsElementTyped(unary):
                return Read(unary.Operand);
            case ConditionalExpressionSyntax conditional when IsElementTyped(conditional):
            {
                int condition = ReadCondition(conditional.Condition);
                int whenTrue = Read(conditional.WhenTrue);
                int whenFalse = Read(conditional.WhenFalse);
                return condition < 0 || whenTrue < 0 || whenFalse < 0 ? -1 : Add(new ExpressionNode(ExpressionKind.Select, whenTrue, whenFalse, condition));
            }

            case InvocationExpressionSyntax invocation:
                return ReadCall(invocation);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                return ReadVariable(expression);
            default:
                Report(DifferentiableDiagnostics.DifferentiableExpression, expression, Shorten(expression.ToString()), _method.Name,
                    IsElementTyped(expression) || expression is not (BinaryExpressionSyntax or PrefixUnaryExpressionSyntax or ConditionalExpressionSyntax)
                        ? DifferentiableDiagnostics.SupportedArithmetic
                        : "its values have the method's type " + ElementName + ", and this one is " + TypeName(expression));
                return -1;
        }
    }

    private int ReadVariable(ExpressionSyntax expression)
    {
        var symbol = _model.GetSymbolInfo(expression, _cancellationToken).Symbol;
        if (symbol is ILocalSymbol or IParameterSymbol && SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, _method)
            && _bindings.TryGetValue(symbol, out int node))
        {
            return node;
        }

        if (symbol is ILocalSymbol && SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, _method))
        {
            return -1; // a local whose declaration was already reported
        }

        string what = symbol switch
        {
            IFieldSymbol => "a field",
            IPropertySymbol => "a property",
            ILocalSymbol or IParameterSymbol => "a variable of an enclosing scope",
            IMethodSymbol => "a method group",
            null => "not a value NetGen can read",
            _ => "a " + symbol.Kind.ToString().ToLowerInvariant(),
        };
        Report(DifferentiableDiagnostics.DifferentiableVariable, expression, Shorten(expression.ToString()), what, _method.Name);
        return -1;
    }

    private int ReadCall(InvocationExpressionSyntax invocation)
    {
        var target = _model.GetSymbolInfo(invocation, _cancellationToken).Symbol as IMethodSymbol;
        string? typeName = target?.ContainingType?.ToDisplayString();
        if (target is null || typeName is not ("System.Math" or "System.MathF")
            || !MathFunctions.TryGetValue(target.Name, out var kind)
            || target.ReturnType.SpecialType != _element
            || invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            Report(DifferentiableDiagnostics.DifferentiableCall, invocation, Shorten(invocation.ToString()), _method.Name);
            return -1;
        }

        var arguments = invocation.ArgumentList.Arguments;
        if (kind == ExpressionKind.Pow)
        {
            var exponent = _model.GetConstantValue(arguments[1].Expression, _cancellationToken);
            if (!exponent.HasValue || exponent.Value is bool or string or char or null)
            {
                Report(DifferentiableDiagnostics.PowExponentNotConstant, arguments[1], Shorten(arguments[1].ToString()), _method.Name);
                return -1;
            }

            int operand = Read(arguments[0].Expression);
            double power = Convert.ToDouble(exponent.Value, CultureInfo.InvariantCulture);
            return operand < 0 ? -1 : Add(new ExpressionNode(ExpressionKind.Pow, operand, Constant: _element == SpecialType.System_Single ? (float)power : power));
        }

        int first = Read(arguments[0].Expression);
        if (kind is ExpressionKind.Max or ExpressionKind.Min)
        {
            int second = Read(arguments[1].Expression);
            return first < 0 || second < 0 ? -1 : Add(new ExpressionNode(kind, first, second));
        }

        return first < 0 ? -1 : Add(new ExpressionNode(kind, first));
    }

    /// <summary>Reads the condition of a <c>c ? a : b</c>: comparisons combined with <c>&amp;&amp; || !</c>.</summary>
    private int ReadCondition(ExpressionSyntax expression)
    {
        var constant = _model.GetConstantValue(expression, _cancellationToken);
        if (constant.HasValue && constant.Value is bool value)
        {
            return Add(new ExpressionNode(ExpressionKind.BooleanConstant, Constant: value ? 1 : 0));
        }

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ReadCondition(parenthesized.Expression);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
            {
                int operand = ReadCondition(unary.Operand);
                return operand < 0 ? -1 : Add(new ExpressionNode(ExpressionKind.Not, operand));
            }

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression) || binary.IsKind(SyntaxKind.LogicalOrExpression):
            {
                int left = ReadCondition(binary.Left);
                int right = ReadCondition(binary.Right);
                var kind = binary.IsKind(SyntaxKind.LogicalAndExpression) ? ExpressionKind.And : ExpressionKind.Or;
                return left < 0 || right < 0 ? -1 : Add(new ExpressionNode(kind, left, right));
            }

            case BinaryExpressionSyntax binary when ComparisonKind(binary.Kind()) is { } kind
                && IsElementOrConstant(binary.Left) && IsElementOrConstant(binary.Right):
            {
                int left = Read(binary.Left);
                int right = Read(binary.Right);
                return left < 0 || right < 0 ? -1 : Add(new ExpressionNode(kind, left, right));
            }

            default:
                Report(DifferentiableDiagnostics.DifferentiableExpression, expression, Shorten(expression.ToString()), _method.Name, DifferentiableDiagnostics.SupportedConditions);
                return -1;
        }
    }

    private bool IsElementTyped(ExpressionSyntax expression) =>
        _model.GetTypeInfo(expression, _cancellationToken).Type?.SpecialType == _element;

    /// <summary>An operand of a comparison: of the element type, or a numeric constant (as in <c>x &gt; 0</c>).</summary>
    private bool IsElementOrConstant(ExpressionSyntax expression) =>
        IsElementTyped(expression) || _model.GetConstantValue(expression, _cancellationToken) is { HasValue: true, Value: not (bool or string or char or null) };

    private string ElementName => _element == SpecialType.System_Single ? "float" : "double";

    private string TypeName(ExpressionSyntax expression) =>
        _model.GetTypeInfo(expression, _cancellationToken).Type?.ToDisplayString() ?? "unknown";

    private int Add(ExpressionNode node)
    {
        _nodes.Add(node);
        return _nodes.Count - 1;
    }

    /// <summary>Gives a local's name to the node it is initialized with, unless that node already has one (then the local is an alias).</summary>
    private int Named(int node, string name)
    {
        if (_nodes[node].Name.Length == 0 && !_nodes[node].IsLeaf)
        {
            _nodes[node] = _nodes[node] with { Name = EscapeIdentifier(name) };
        }

        return node;
    }

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(node), arguments));

    private static ExpressionKind? ArithmeticKind(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => ExpressionKind.Add,
        SyntaxKind.SubtractExpression => ExpressionKind.Subtract,
        SyntaxKind.MultiplyExpression => ExpressionKind.Multiply,
        SyntaxKind.DivideExpression => ExpressionKind.Divide,
        _ => null,
    };

    private static ExpressionKind? ComparisonKind(SyntaxKind kind) => kind switch
    {
        SyntaxKind.LessThanExpression => ExpressionKind.Less,
        SyntaxKind.LessThanOrEqualExpression => ExpressionKind.LessOrEqual,
        SyntaxKind.GreaterThanExpression => ExpressionKind.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => ExpressionKind.GreaterOrEqual,
        SyntaxKind.EqualsExpression => ExpressionKind.Equal,
        SyntaxKind.NotEqualsExpression => ExpressionKind.NotEqual,
        _ => null,
    };

    private static string StatementKind(StatementSyntax statement) => statement switch
    {
        IfStatementSyntax => "an if statement",
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "a loop",
        LocalDeclarationStatementSyntax => "a using, ref or const declaration",
        LocalFunctionStatementSyntax => "a local function",
        ExpressionStatementSyntax => "an expression statement that is not an assignment",
        BlockSyntax => "a nested block",
        _ => "a " + statement.Kind().ToString().Replace("Statement", " statement").ToLowerInvariant(),
    };

    private static string Shorten(string text)
    {
        text = string.Join(" ", text.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Length > 0
        && type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static ContainingType Describe(INamedTypeSymbol type)
    {
        string keyword = type.IsRecord ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
            : type.TypeKind == TypeKind.Struct ? "struct" : "class";
        var modifiers = new List<string>();
        if (type.IsStatic)
        {
            modifiers.Add("static");
        }

        if (type.TypeKind == TypeKind.Struct && type.IsReadOnly)
        {
            modifiers.Add("readonly");
        }

        if (type.IsRefLikeType)
        {
            modifiers.Add("ref");
        }

        return new ContainingType(string.Join(" ", modifiers), keyword, EscapeIdentifier(type.Name));
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
