using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// Float tanh computed in float, within 2 ulp of the correctly rounded value over every finite float (an exhaustive
/// sweep measured at most 1 ulp; see the tests), with the same bits at every vector width and in every lane.
/// <para>
/// <c>Vector512.Exp(float)</c>, which <c>TensorPrimitives.Tanh</c>'s float formula uses, widens each float vector to two
/// double vectors and runs the double exponential, so a 16-unit layer spent most of its tanh there. Here, with
/// <c>y = |x|</c>:
/// </para>
/// <list type="bullet">
/// <item>below <see cref="Threshold"/>, <c>tanh y = y + y·s·Q(s)</c> with <c>s = y²</c> and Q a degree-4 minimax polynomial
/// (the correction is at most an eighth of y, so its rounding errors shrink eightfold, and tiny y comes back as y
/// itself);</item>
/// <item>from it on, <c>tanh y = 1 - 2e/(1 + e)</c> with <c>e = e^(-2y)</c>, y clamped to 10, where tanh is 1 in float:
/// e is at most e^(-1.25), so its error reaches the result damped, and the quotient, below 0.5, is rounded on a grid
/// half as fine as the result's. The exponential reduces <c>-2y = n·ln 2 + r</c> with |r| ≤ ln 2 / 2 (ln 2 split in two
/// so <c>n·ln2Hi</c> is exact), takes <c>e^r = 1 + r + r²·G(r)</c> with G a degree-4 minimax polynomial, and 2^n from the
/// exponent bits (n from -29 to -2, so always a normal float).</item>
/// </list>
/// <para>
/// x's sign bit is put back last, so tanh(-0) = -0, and tanh(±∞) = ±1. NaN fails the comparison that chooses the second
/// branch and stays NaN through the first. The multiply-adds are fused wherever the vector types' <c>Fma</c> fuses them,
/// which on one machine is the same at every width the kernels use, so lanes of every width round alike. The
/// coefficients were fitted by a Remez exchange on the relative error and rounded to float. The polynomials are
/// evaluated in Estrin's form rather than Horner's: a 16-unit layer is one vector, whose latency, not the throughput,
/// is what a sample's forward pass waits on.
/// </para>
/// </summary>
internal static class FloatTanh
{
    /// <summary>|x| from which the exponential branch is taken (tanh 0.625 ≈ 0.555, so that branch's results are above 0.5).</summary>
    public const float Threshold = 0.625f;

    /// <summary>|x| is clamped to this in the exponential branch: tanh 10 rounds to 1 in float, and e^-20 stays normal.</summary>
    private const float Saturation = 10f;

    // Q(s) = (tanh y - y) / y³ on s = y² in [0, 0.625²]; relative error of tanh ≤ 7.4e-9 before rounding.
    private const float Q0 = -0.33333292603492737f;
    private const float Q1 = 0.13331541419029236f;
    private const float Q2 = -0.05373862385749817f;
    private const float Q3 = 0.020615996792912483f;
    private const float Q4 = -0.005664775148034096f;

    // G(r) = (e^r - 1 - r) / r² on |r| ≤ ln 2 / 2; relative error of e^r ≤ 3.3e-9 before rounding.
    private const float G0 = 0.4999999403953552f;
    private const float G1 = 0.16666515171527863f;
    private const float G2 = 0.04166845604777336f;
    private const float G3 = 0.008369418792426586f;
    private const float G4 = 0.0013813144760206342f;

    private const float Log2E = 1.4426950216293335f;

    // ln 2 = Ln2Hi + Ln2Lo, Ln2Hi with its 12 low mantissa bits zero, so n·Ln2Hi is exact for |n| < 2^12.
    private const float Ln2Hi = 0.693115234375f;
    private const float Ln2Lo = 3.194618329871446e-05f;

    // 1.5·2^23: adding it rounds to an integer, which lands in the low mantissa bits (bits 0x4B400000 + n).
    private const float Shifter = 12582912f;

    /// <summary>tanh of one float, by the vector formula in one lane (for spans shorter than a vector and for tests).</summary>
    public static float Tanh(float x) => Tanh<Vector128Ops<float>, Vector128<float>>(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>tanh of each element of a vector of floats, written once for every width (<typeparamref name="TOps"/> says which).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Tanh<TOps, TVector>(TVector x)
        where TOps : IVectorOps<float, TVector>
        where TVector : struct
    {
        var one = TOps.Broadcast(1f);
        var y = TOps.Abs(x);

        var s = TOps.Multiply(y, y);
        var s2 = TOps.Multiply(s, s);
        var q = TOps.Fma(s2, TOps.Fma(s2, TOps.Broadcast(Q4), TOps.Fma(s, TOps.Broadcast(Q3), TOps.Broadcast(Q2))), TOps.Fma(s, TOps.Broadcast(Q1), TOps.Broadcast(Q0)));
        var small = TOps.Fma(TOps.Multiply(y, s), q, y);

        var clamped = TOps.MinNative(y, TOps.Broadcast(Saturation));
        var w = TOps.Multiply(clamped, TOps.Broadcast(-2f));
        var k = TOps.Fma(clamped, TOps.Broadcast(-2f * Log2E), TOps.Broadcast(Shifter));
        var n = TOps.Subtract(k, TOps.Broadcast(Shifter));
        var r = TOps.Fma(n, TOps.Broadcast(-Ln2Lo), TOps.Fma(n, TOps.Broadcast(-Ln2Hi), w));
        var r2 = TOps.Multiply(r, r);
        var g = TOps.Fma(r2, TOps.Fma(r2, TOps.Broadcast(G4), TOps.Fma(r, TOps.Broadcast(G3), TOps.Broadcast(G2))), TOps.Fma(r, TOps.Broadcast(G1), TOps.Broadcast(G0)));

        // 2^n: k's low mantissa bits hold n, so k << 23 is n << 23, and adding 1's bits (127 << 23) gives 2^n's.
        var e = TOps.Multiply(TOps.Add(TOps.Fma(r2, g, r), one), TOps.ShiftLeftThenAdd32(k, 23, one));
        var large = TOps.Subtract(one, TOps.Divide(TOps.Add(e, e), TOps.Add(e, one)));

        // -0's bits are the sign bit alone.
        var magnitude = TOps.SelectWhereAtLeast(y, TOps.Broadcast(Threshold), large, small);
        return TOps.Xor(magnitude, TOps.BitwiseAnd(x, TOps.Broadcast(-0f)));
    }
}
