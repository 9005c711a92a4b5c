namespace NetGen;

/// <summary>
/// Asks NetGen to differentiate a static method at compile time: next to <c>F</c> it generates
/// <c>FGradient</c>, with the same parameters, returning the value of <c>F</c> and the partial derivative
/// with respect to every parameter, computed by reverse mode on the method's expression graph.
/// </summary>
/// <remarks>
/// <para>The method is <c>static</c>, in a <c>partial</c> non-generic type; its parameters and its result are all
/// <see cref="float"/> or all <see cref="double"/>. Its body is an expression (<c>=&gt; ...</c>) or local
/// declarations and assignments followed by one <c>return</c>, built from <c>+ - * /</c>, unary minus, literals and
/// constants, the parameters and locals, a conditional <c>c ? a : b</c> (comparisons, <c>&amp;&amp;</c>, <c>||</c>,
/// <c>!</c> in <c>c</c>), and <c>Math</c>/<c>MathF</c> <c>Exp</c>, <c>Log</c>, <c>Sqrt</c>, <c>Tanh</c>,
/// <c>Pow</c> (constant exponent), <c>Max</c>, <c>Min</c>, <c>Abs</c>. Anything else is a compile-time NetGen
/// diagnostic (NG0050-NG0069) at the expression, naming what is supported.</para>
/// <para>Where a function has no derivative (<c>Max</c>/<c>Min</c> at a tie, <c>Abs</c> at 0, the edge of a
/// conditional), the generated code takes the derivative of the branch it evaluated: the first argument of
/// <c>Max</c>/<c>Min</c> at a tie, 0 for <c>Abs</c> at 0.</para>
/// </remarks>
/// <example>
/// <code>
/// public static partial class Notes
/// {
///     [Differentiable]
///     public static double F(double x, double y, double z) =&gt; x * (y * y + z);
/// }
///
/// var (f, dx, dy, dz) = Notes.FGradient(-2, 5, -4);   // f = -42, dx = 21, dy = -20, dz = -2
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
