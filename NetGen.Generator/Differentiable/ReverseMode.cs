using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Model;

namespace NetGen.Generator.Differentiable;

/// <summary>
/// Derive stage of the [Differentiable] pipeline: reverse-mode differentiation of a function's expression
/// graph. The forward statements compute every node the result depends on, in evaluation order; the
/// backward statements visit those nodes in reverse and, for each operand <c>a</c> of a node <c>v</c>,
/// apply one step of the chain rule, <c>∂f/∂a += ∂f/∂v · ∂v/∂a</c>, so a value read several times
/// accumulates one term per use. Each step carries its formula as the comment of its line; this is the
/// only place the derivative of an operation is written down.
/// </summary>
internal sealed class ReverseMode
{
    private readonly DifferentiableFunction _function;
    private readonly EquatableArray<ExpressionNode> _nodes;
    private readonly string _t;
    private readonly string _math;
    private readonly string[] _value;
    private readonly string[] _adjoint;
    private readonly bool[] _declared;
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly List<CodeLine> _backward = new();

    private ReverseMode(DifferentiableFunction function)
    {
        _function = function;
        _nodes = function.Nodes;
        _t = function.ElementType;
        _math = function.MathType;
        _value = new string[_nodes.Count];
        _adjoint = new string[_nodes.Count];
        _declared = new bool[_nodes.Count];
        foreach (var node in _nodes)
        {
            if (node.Name.Length > 0)
            {
                _reserved.Add(Unescaped(node.Name));
            }
        }
    }

    public static GradientProgram Derive(DifferentiableFunction function) => new ReverseMode(function).Run();

    private GradientProgram Run()
    {
        bool[] live = Live();
        int result = _function.Result;
        foreach (var parameter in _function.Parameters)
        {
            _claimed.Add(Unescaped(parameter));
        }

        // Name every value: parameters and the user's locals keep their names, the result is named after the
        // method (f for F), and the other intermediate values are v1, v2, ... in evaluation order.
        int temporaries = 0;
        for (int i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            _value[i] = node.Kind switch
            {
                ExpressionKind.Parameter => node.Name,
                ExpressionKind.Constant => Literal(node.Constant, asOperand: true),
                _ when node.IsBoolean => Condition(i),
                _ when !live[i] => string.Empty,
                _ when node.Name.Length > 0 => Fresh(Unescaped(node.Name)),
                _ when i == result => Fresh(MethodValueName()),
                _ => NextTemporary(ref temporaries),
            };
        }

        var forward = new List<CodeLine>();
        for (int i = 0; i < _nodes.Count; i++)
        {
            if (live[i] && !_nodes[i].IsLeaf && !_nodes[i].IsBoolean)
            {
                forward.Add(new CodeLine(_t + " " + _value[i] + " = " + Expression(i) + ";"));
            }
        }

        // The name in comments: the result's, or the method's for a constant function.
        string f = _nodes[result].Kind == ExpressionKind.Constant ? MethodValueName() : Unescaped(_value[result]);
        if (_nodes[result].Kind != ExpressionKind.Constant)
        {
            _adjoint[result] = Fresh("d" + Unescaped(_value[result]));
            _declared[result] = true;
            _backward.Add(new CodeLine(_t + " " + _adjoint[result] + " = " + Literal(1, asOperand: false) + ";", $"∂{f}/∂{f} = 1"));
        }

        for (int i = result; i >= 0; i--)
        {
            if (live[i] && _declared[i] && !_nodes[i].IsLeaf)
            {
                int header = _backward.Count;
                _backward.Add(new CodeLine(string.Empty, _value[i] + " = " + Expression(i).Replace("@", string.Empty)));
                Propagate(i, f);
                if (_backward.Count == header + 1)
                {
                    _backward.RemoveAt(header); // only constants below: no step to write
                }
            }
        }

        if (_backward.Count == 1 && _nodes[result].Kind != ExpressionKind.Parameter)
        {
            _backward.Clear(); // the seed alone would be an unread local (the result depends on no parameter)
        }

        var gradients = new List<string>();
        for (int i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            if (node.Kind != ExpressionKind.Parameter)
            {
                continue;
            }

            if (!_declared[i])
            {
                _adjoint[i] = Fresh("d" + Unescaped(node.Name));
                _backward.Add(new CodeLine(string.Empty, string.Empty));
                _backward.Add(new CodeLine(_t + " " + _adjoint[i] + " = " + Literal(0, asOperand: false) + ";",
                    $"∂{f}/∂{Unescaped(node.Name)} = 0: no differentiable path leads from {Unescaped(node.Name)} to {f}"));
            }

            gradients.Add(_adjoint[i]);
        }

        bool comparesWithItself = _nodes.Where((n, i) => live[i] && n.Kind is >= ExpressionKind.Less and <= ExpressionKind.NotEqual && n.Left == n.Right).Any();
        return new GradientProgram(_function, f, comparesWithItself, _nodes[result].Kind == ExpressionKind.Constant ? Literal(_nodes[result].Constant, asOperand: false) : _value[result],
            forward.ToEquatableArray(), _backward.ToEquatableArray(), gradients.ToEquatableArray());
    }

    /// <summary>The chain-rule steps from node <paramref name="v"/> to each of its operands.</summary>
    private void Propagate(int v, string f)
    {
        var node = _nodes[v];
        string a = node.Left >= 0 ? _value[node.Left] : string.Empty;
        string b = node.Right >= 0 ? _value[node.Right] : string.Empty;
        string y = _value[v];
        string zero = Literal(0, asOperand: false);
        switch (node.Kind)
        {
            case ExpressionKind.Add:
                Step(v, node.Left, f, Local.One);
                Step(v, node.Right, f, Local.One);
                break;
            case ExpressionKind.Subtract:
                Step(v, node.Left, f, Local.One);
                Step(v, node.Right, f, Local.MinusOne);
                break;
            case ExpressionKind.Multiply:
                Step(v, node.Left, f, Local.Times(b));
                Step(v, node.Right, f, Local.Times(a));
                break;
            case ExpressionKind.Divide:
                Step(v, node.Left, f, Local.Over(b));
                Step(v, node.Right, f, Local.Times("-" + y + " / " + b));
                break;
            case ExpressionKind.Negate:
                Step(v, node.Left, f, Local.MinusOne);
                break;
            case ExpressionKind.Exp:
                Step(v, node.Left, f, Local.Times(y));
                break;
            case ExpressionKind.Log:
                Step(v, node.Left, f, Local.Over(a));
                break;
            case ExpressionKind.Sqrt:
                Step(v, node.Left, f, Local.Over(Literal(2, asOperand: false) + " * " + y));
                break;
            case ExpressionKind.Tanh:
                Step(v, node.Left, f, Local.Times(Literal(1, asOperand: false) + " - " + y + " * " + y));
                break;
            case ExpressionKind.Pow:
            {
                double c = node.Constant;
                if (c == 0)
                {
                    break; // x^0 = 1 does not depend on x
                }

                double lower = _function.IsSingle ? (float)(c - 1) : c - 1;
                Step(v, node.Left, f, c == 1 ? Local.One
                    : lower == 1 ? Local.Times(Literal(c, asOperand: true) + " * " + a)
                    : Local.Times(Literal(c, asOperand: true) + " * " + _math + ".Pow(" + a + ", " + Literal(lower, asOperand: false) + ")"));
                break;
            }

            case ExpressionKind.Max or ExpressionKind.Min when node.Left == node.Right:
                Step(v, node.Left, f, Local.One); // max(a, a) = a
                break;
            case ExpressionKind.Max:
                Step(v, node.Left, f, Local.When(a + " >= " + b, zero));
                Step(v, node.Right, f, Local.Unless(a + " >= " + b, zero));
                break;
            case ExpressionKind.Min:
                Step(v, node.Left, f, Local.When(a + " <= " + b, zero));
                Step(v, node.Right, f, Local.Unless(a + " <= " + b, zero));
                break;
            case ExpressionKind.Abs:
                Step(v, node.Left, f, Local.Sign(a, zero));
                break;
            case ExpressionKind.Select:
                Step(v, node.Left, f, Local.When(_value[node.Condition], zero));
                Step(v, node.Right, f, Local.Unless(_value[node.Condition], zero));
                break;
            default:
                throw new InvalidOperationException("Node kind " + node.Kind + " has no derivative rule."); // unreachable: leaves and conditions are skipped
        }
    }

    /// <summary>One chain-rule step: <c>∂f/∂operand += ∂f/∂v · ∂v/∂operand</c>, declaring the adjoint on its first term.</summary>
    private void Step(int v, int operand, string f, Local local)
    {
        var kind = _nodes[operand].Kind;
        if (kind == ExpressionKind.Constant)
        {
            return;
        }

        string operandName = _value[operand];
        string g = _adjoint[v];
        string code;
        if (_declared[operand])
        {
            code = _adjoint[operand] + " += " + local.Code(g) + ";";
        }
        else
        {
            _adjoint[operand] = Fresh("d" + Unescaped(operandName));
            _declared[operand] = true;
            code = _t + " " + _adjoint[operand] + " = " + local.Code(g) + ";";
        }

        string op = code.StartsWith(_t + " ", StringComparison.Ordinal) ? " = " : " += ";
        _backward.Add(new CodeLine(code, $"∂{f}/∂{Unescaped(operandName)}{op}∂{f}/∂{_value[v]} · {local.Comment.Replace("@", string.Empty)}"));
    }

    private string Expression(int i)
    {
        var node = _nodes[i];
        string a = node.Left >= 0 ? _value[node.Left] : string.Empty;
        string b = node.Right >= 0 ? _value[node.Right] : string.Empty;
        return node.Kind switch
        {
            ExpressionKind.Add => a + " + " + b,
            ExpressionKind.Subtract => a + " - " + b,
            ExpressionKind.Multiply => a + " * " + b,
            ExpressionKind.Divide => a + " / " + b,
            ExpressionKind.Negate => "-" + a,
            ExpressionKind.Pow => _math + ".Pow(" + a + ", " + Literal(node.Constant, asOperand: false) + ")",
            ExpressionKind.Max or ExpressionKind.Min => _math + "." + node.Kind + "(" + a + ", " + b + ")",
            ExpressionKind.Exp or ExpressionKind.Log or ExpressionKind.Sqrt or ExpressionKind.Tanh or ExpressionKind.Abs => _math + "." + node.Kind + "(" + a + ")",
            ExpressionKind.Select => _value[node.Condition] + " ? " + a + " : " + b,
            _ => _value[i],
        };
    }

    /// <summary>A condition as a C# expression (conditions are recomputed where they are read, never stored).</summary>
    private string Condition(int i)
    {
        var node = _nodes[i];
        string Operand(int operand, ExpressionKind parent)
        {
            var kind = _nodes[operand].Kind;
            bool bare = kind is ExpressionKind.BooleanConstant or ExpressionKind.Not || (kind == parent && kind is ExpressionKind.And or ExpressionKind.Or)
                || (parent is ExpressionKind.And or ExpressionKind.Or && kind is >= ExpressionKind.Less and <= ExpressionKind.NotEqual);
            return bare ? _value[operand] : "(" + _value[operand] + ")";
        }

        string a = node.Left >= 0 ? _value[node.Left] : string.Empty;
        string b = node.Right >= 0 ? _value[node.Right] : string.Empty;
        return node.Kind switch
        {
            ExpressionKind.BooleanConstant => node.Constant != 0 ? "true" : "false",
            ExpressionKind.Less => a + " < " + b,
            ExpressionKind.LessOrEqual => a + " <= " + b,
            ExpressionKind.Greater => a + " > " + b,
            ExpressionKind.GreaterOrEqual => a + " >= " + b,
            ExpressionKind.Equal => a + " == " + b,
            ExpressionKind.NotEqual => a + " != " + b,
            ExpressionKind.And => Operand(node.Left, node.Kind) + " && " + Operand(node.Right, node.Kind),
            ExpressionKind.Or => Operand(node.Left, node.Kind) + " || " + Operand(node.Right, node.Kind),
            _ => "!" + Operand(node.Left, node.Kind),
        };
    }

    /// <summary>The nodes the result depends on, values and conditions.</summary>
    private bool[] Live()
    {
        var live = new bool[_nodes.Count];
        live[_function.Result] = true;
        for (int i = _function.Result; i >= 0; i--)
        {
            if (!live[i])
            {
                continue;
            }

            var node = _nodes[i];
            foreach (int operand in new[] { node.Left, node.Right, node.Condition })
            {
                if (operand >= 0 && node.Kind != ExpressionKind.Parameter)
                {
                    live[operand] = true;
                }
            }
        }

        return live;
    }

    private string NextTemporary(ref int count)
    {
        string name;
        do
        {
            count++;
            name = "v" + count.ToString(CultureInfo.InvariantCulture);
        }
        while (_reserved.Contains(name) || _claimed.Contains(name));

        _claimed.Add(name);
        return name;
    }

    /// <summary>A new local name: <paramref name="name"/> itself when free, else name_2, name_3, ...</summary>
    private string Fresh(string name)
    {
        string candidate = name;
        for (int k = 2; _claimed.Contains(candidate) || SyntaxFacts.GetKeywordKind(candidate) != SyntaxKind.None
            || (candidate != name && _reserved.Contains(candidate)); k++)
        {
            candidate = name + "_" + k.ToString(CultureInfo.InvariantCulture);
        }

        _claimed.Add(candidate);
        return candidate;
    }

    private string Literal(double value, bool asOperand)
    {
        string suffix = _function.IsSingle ? "f" : string.Empty;
        if (double.IsNaN(value))
        {
            return _t + ".NaN";
        }

        if (double.IsInfinity(value))
        {
            return _t + (value > 0 ? ".PositiveInfinity" : ".NegativeInfinity");
        }

        string text = _function.IsSingle
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
        if (!_function.IsSingle && text.IndexOfAny(new[] { '.', 'E' }) < 0)
        {
            text += ".0";
        }

        text += suffix;
        return asOperand && text.StartsWith("-", StringComparison.Ordinal) ? "(" + text + ")" : text;
    }

    /// <summary>The method's name starting in lower case: the value of F is f.</summary>
    private string MethodValueName()
    {
        string name = Unescaped(_function.MethodName);
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static string Unescaped(string name) => name.TrimStart('@');

    /// <summary>A local derivative <c>∂v/∂a</c>: how to multiply the adjoint <c>g</c> of v by it, and how to write it.</summary>
    private sealed class Local
    {
        private readonly Func<string, string> _code;

        private Local(Func<string, string> code, string comment)
        {
            _code = code;
            Comment = comment;
        }

        public static Local One { get; } = new(g => g, "1");

        public static Local MinusOne { get; } = new(g => "-" + g, "(-1)");

        public string Comment { get; }

        public string Code(string g) => _code(g);

        public static Local Times(string factor) => IsAtomic(factor)
            ? new Local(g => g + " * " + factor, Pretty(factor))
            : new Local(g => g + " * (" + factor + ")", "(" + Pretty(factor) + ")");

        public static Local Over(string divisor) => IsAtomic(divisor)
            ? new Local(g => g + " / " + divisor, "1 / " + Pretty(divisor))
            : new Local(g => g + " / (" + divisor + ")", "1 / (" + Pretty(divisor) + ")");

        public static Local When(string condition, string zero) =>
            new(g => condition + " ? " + g + " : " + zero, "(" + Pretty(condition) + " ? 1 : 0)");

        public static Local Unless(string condition, string zero) =>
            new(g => condition + " ? " + zero + " : " + g, "(" + Pretty(condition) + " ? 0 : 1)");

        public static Local Sign(string a, string zero) =>
            new(g => a + " > " + zero + " ? " + g + " : " + a + " < " + zero + " ? -" + g + " : " + zero, "sign(" + a + ")");

        /// <summary>A name or a literal (a negative literal comes parenthesized), which needs no parentheses as a factor.</summary>
        private static bool IsAtomic(string text) =>
            text.All(c => char.IsLetterOrDigit(c) || c is '_' or '@' or '.')
            || (text.StartsWith("(-", StringComparison.Ordinal) && text.EndsWith(")", StringComparison.Ordinal) && text.IndexOf(' ') < 0);

        private static string Pretty(string code) => code.Replace(" * ", " · ").Replace(">=", "≥").Replace("<=", "≤");
    }
}
