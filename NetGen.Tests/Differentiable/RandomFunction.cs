using System.Globalization;
using System.Text;
using NetGen.Tests.Robustness;

namespace NetGen.Tests.Differentiable;

/// <summary>
/// A random function in the [Differentiable] subset, as C# source and as an independent evaluator: forward-mode
/// dual numbers (value and gradient carried together), so the generated reverse-mode code is checked against a
/// different method. The evaluator also records how close the point came to a kink (Max, Min, Abs, a condition),
/// because central differences are meaningful only away from one.
/// </summary>
internal sealed class RandomFunction
{
    private readonly List<(string Name, Expr Value, bool Compound)> _locals = [];
    private readonly Expr _result;

    private RandomFunction(int parameters, bool smooth, FuzzRandom random)
    {
        Parameters = parameters;
        var names = Enumerable.Range(0, parameters).Select(i => "p" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        int locals = random.Next(3);
        for (int i = 0; i < locals; i++)
        {
            string name = "t" + i.ToString(CultureInfo.InvariantCulture);
            var value = Expr.Random(random, names, depth: 3, smooth);
            _locals.Add((name, value, false));
            if (random.Chance(0.4))
            {
                // a reassignment: t = t op e, which the generator sees as a second value named t
                _locals.Add((name, Expr.Random(random, [.. names, name], depth: 2, smooth), true));
            }

            names.Add(name);
        }

        _result = Expr.Random(random, names, depth: 4, smooth);
    }

    public int Parameters { get; }

    public static RandomFunction Create(ulong seed, bool smooth)
    {
        var random = new FuzzRandom(seed);
        return new RandomFunction(1 + random.Next(4), smooth, random);
    }

    /// <summary>The method <paramref name="name"/> in <paramref name="type"/> (double or float).</summary>
    public string Source(string name, string type)
    {
        var text = new StringBuilder();
        text.Append("    [Differentiable]\n    public static ").Append(type).Append(' ').Append(name).Append('(')
            .Append(string.Join(", ", Enumerable.Range(0, Parameters).Select(i => type + " p" + i.ToString(CultureInfo.InvariantCulture))))
            .Append(")\n    {\n");
        foreach (var (local, value, compound) in _locals)
        {
            text.Append("        ").Append(compound ? local + " *= " : "var " + local + " = ").Append(value.Render(type)).Append(";\n");
        }

        text.Append("        return ").Append(_result.Render(type)).Append(";\n    }\n");
        return text.ToString();
    }

    /// <summary>The value, the gradient and the smallest distance to a kink met on the way.</summary>
    public (double Value, double[] Gradient, double KinkMargin) Evaluate(double[] point)
    {
        var env = new Dictionary<string, Dual>(StringComparer.Ordinal);
        for (int i = 0; i < point.Length; i++)
        {
            var gradient = new double[point.Length];
            gradient[i] = 1;
            env["p" + i.ToString(CultureInfo.InvariantCulture)] = new Dual(point[i], gradient);
        }

        double margin = double.PositiveInfinity;
        foreach (var (local, value, compound) in _locals)
        {
            var v = value.Evaluate(env, ref margin);
            env[local] = compound ? env[local] * v : v;
        }

        var result = _result.Evaluate(env, ref margin);
        return (result.Value, result.Gradient, margin);
    }

    /// <summary>A value and its gradient with respect to every parameter.</summary>
    internal readonly record struct Dual(double Value, double[] Gradient)
    {
        public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, Combine(a, 1, b, 1));

        public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, Combine(a, 1, b, -1));

        public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, Combine(a, b.Value, b, a.Value));

        public static Dual operator /(Dual a, Dual b) => new(a.Value / b.Value, Combine(a, 1 / b.Value, b, -a.Value / (b.Value * b.Value)));

        public Dual Chain(double value, double derivative) => new(value, Gradient.Select(g => g * derivative).ToArray());

        private static double[] Combine(Dual a, double da, Dual b, double db) => a.Gradient.Zip(b.Gradient, (x, y) => (x * da) + (y * db)).ToArray();
    }

    /// <summary>A node of a random expression.</summary>
    internal abstract class Expr
    {
        public abstract string Render(string type);

        public abstract Dual Evaluate(Dictionary<string, Dual> env, ref double margin);

        public static Expr Random(FuzzRandom random, IReadOnlyList<string> names, int depth, bool smooth)
        {
            if (depth == 0 || random.Chance(0.2))
            {
                return random.Chance(0.8) ? new Variable(random.Pick(names)) : new Constant(Math.Round((random.Next(2000) - 1000) / 250.0, 3));
            }

            Expr Sub() => Random(random, names, depth - 1, smooth);
            int choices = smooth ? 11 : 15;
            return random.Next(choices) switch
            {
                0 => new Binary('+', Sub(), Sub()),
                1 => new Binary('-', Sub(), Sub()),
                2 => new Binary('*', Sub(), Sub()),
                3 => new Binary('/', Sub(), new Binary('+', new Square(Sub()), new Constant(1))),
                4 => new Negate(Sub()),
                5 => new Call("Exp", new Call("Tanh", Sub())),
                6 => new Call("Log", new Binary('+', new Square(Sub()), new Constant(0.5))),
                7 => new Call("Sqrt", new Binary('+', new Square(Sub()), new Constant(0.25))),
                8 => new Call("Tanh", Sub()),
                9 => new Power(Sub(), random.Pick([2.0, 3.0, 1.0, 0.0])),
                10 => new Power(new Binary('+', new Square(Sub()), new Constant(1)), random.Pick([-0.5, 1.5, -2.0])),
                11 => new Call("Max", Sub(), Sub()),
                12 => new Call("Min", Sub(), Sub()),
                13 => new Call("Abs", Sub()),
                _ => new Select(random.Pick(["<", "<=", ">", ">="]), Sub(), Sub(), Sub(), Sub(), random.Chance(0.3)),
            };
        }

        protected static string Literal(double value, string type)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            if (type == "float")
            {
                text += "f";
            }
            else if (!text.Contains('.', StringComparison.Ordinal))
            {
                text += ".0";
            }

            return value < 0 ? "(" + text + ")" : text;
        }

        protected static string MathType(string type) => type == "float" ? "MathF" : "Math";
    }

    private sealed class Variable(string name) : Expr
    {
        public override string Render(string type) => name;

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin) => env[name];
    }

    private sealed class Constant(double value) : Expr
    {
        public override string Render(string type) => Literal(value, type);

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin) =>
            new(value, new double[env["p0"].Gradient.Length]);
    }

    private sealed class Binary(char op, Expr left, Expr right) : Expr
    {
        public override string Render(string type) => "(" + left.Render(type) + " " + op + " " + right.Render(type) + ")";

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin)
        {
            var a = left.Evaluate(env, ref margin);
            var b = right.Evaluate(env, ref margin);
            return op switch { '+' => a + b, '-' => a - b, '*' => a * b, _ => a / b };
        }
    }

    private sealed class Square(Expr operand) : Expr
    {
        public override string Render(string type)
        {
            string x = operand.Render(type);
            return "(" + x + " * " + x + ")";
        }

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin)
        {
            var x = operand.Evaluate(env, ref margin);
            return x * x;
        }
    }

    private sealed class Negate(Expr operand) : Expr
    {
        public override string Render(string type) => "(-" + operand.Render(type) + ")";

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin)
        {
            var x = operand.Evaluate(env, ref margin);
            return x.Chain(-x.Value, -1);
        }
    }

    private sealed class Power(Expr operand, double exponent) : Expr
    {
        public override string Render(string type) => MathType(type) + ".Pow(" + operand.Render(type) + ", " + Literal(exponent, type) + ")";

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin)
        {
            var x = operand.Evaluate(env, ref margin);
            return x.Chain(Math.Pow(x.Value, exponent), exponent == 0 ? 0 : exponent * Math.Pow(x.Value, exponent - 1));
        }
    }

    private sealed class Call(string name, params Expr[] arguments) : Expr
    {
        public override string Render(string type) =>
            MathType(type) + "." + name + "(" + string.Join(", ", arguments.Select(a => a.Render(type))) + ")";

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin)
        {
            var a = arguments[0].Evaluate(env, ref margin);
            switch (name)
            {
                case "Exp":
                    return a.Chain(Math.Exp(a.Value), Math.Exp(a.Value));
                case "Log":
                    return a.Chain(Math.Log(a.Value), 1 / a.Value);
                case "Sqrt":
                    return a.Chain(Math.Sqrt(a.Value), 0.5 / Math.Sqrt(a.Value));
                case "Tanh":
                    double t = Math.Tanh(a.Value);
                    return a.Chain(t, 1 - (t * t));
                case "Abs":
                    margin = Math.Min(margin, Math.Abs(a.Value));
                    return a.Chain(Math.Abs(a.Value), a.Value > 0 ? 1 : a.Value < 0 ? -1 : 0);
                default:
                    var b = arguments[1].Evaluate(env, ref margin);
                    margin = Math.Min(margin, Math.Abs(a.Value - b.Value));
                    bool first = name == "Max" ? a.Value >= b.Value : a.Value <= b.Value;
                    return first ? a : b;
            }
        }
    }

    private sealed class Select(string comparison, Expr left, Expr right, Expr whenTrue, Expr whenFalse, bool negate) : Expr
    {
        public override string Render(string type)
        {
            string condition = left.Render(type) + " " + comparison + " " + right.Render(type);
            return "(" + (negate ? "!(" + condition + ")" : condition) + " ? " + whenTrue.Render(type) + " : " + whenFalse.Render(type) + ")";
        }

        public override Dual Evaluate(Dictionary<string, Dual> env, ref double margin)
        {
            double a = left.Evaluate(env, ref margin).Value;
            double b = right.Evaluate(env, ref margin).Value;
            margin = Math.Min(margin, Math.Abs(a - b));
            bool condition = comparison switch { "<" => a < b, "<=" => a <= b, ">" => a > b, _ => a >= b };
            return (condition != negate ? whenTrue : whenFalse).Evaluate(env, ref margin);
        }
    }
}
