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

    // (0x4B400000 + n) << 23 is n << 23 (the shifter's bits shift out), so adding this gives 2^n's bits.
    private const uint ExponentBias = 127u << 23;

    private const uint SignBit = 0x8000_0000u;

    /// <summary>tanh of one float, by the vector formula in one lane (for spans shorter than a vector and for tests).</summary>
    public static float Tanh(float x) => Tanh(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>tanh of each element of a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var y = Vector512.Abs(x);

        var s = y * y;
        var s2 = s * s;
        var q = Fma(s2, Fma(s2, Vector512.Create(Q4), Fma(s, Vector512.Create(Q3), Vector512.Create(Q2))), Fma(s, Vector512.Create(Q1), Vector512.Create(Q0)));
        var small = Fma(y * s, q, y);

        var clamped = Vector512.MinNative(y, Vector512.Create(Saturation));
        var w = clamped * Vector512.Create(-2f);
        var k = Fma(clamped, Vector512.Create(-2f * Log2E), Vector512.Create(Shifter));
        var n = k - Vector512.Create(Shifter);
        var r = Fma(n, Vector512.Create(-Ln2Lo), Fma(n, Vector512.Create(-Ln2Hi), w));
        var r2 = r * r;
        var g = Fma(r2, Fma(r2, Vector512.Create(G4), Fma(r, Vector512.Create(G3), Vector512.Create(G2))), Fma(r, Vector512.Create(G1), Vector512.Create(G0)));
        var e = (Fma(r2, g, r) + Vector512<float>.One) * ((k.AsUInt32() << 23) + Vector512.Create(ExponentBias)).AsSingle();
        var large = Vector512<float>.One - ((e + e) / (e + Vector512<float>.One));

        var magnitude = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(y, Vector512.Create(Threshold)), large, small);
        return (magnitude.AsUInt32() ^ (x.AsUInt32() & Vector512.Create(SignBit))).AsSingle();

        static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512Ops<float>.Fma(a, b, c);
    }

    /// <summary>tanh of each element of a 256-bit vector (<see cref="Tanh(Vector512{float})"/>'s formula).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var y = Vector256.Abs(x);

        var s = y * y;
        var s2 = s * s;
        var q = Fma(s2, Fma(s2, Vector256.Create(Q4), Fma(s, Vector256.Create(Q3), Vector256.Create(Q2))), Fma(s, Vector256.Create(Q1), Vector256.Create(Q0)));
        var small = Fma(y * s, q, y);

        var clamped = Vector256.MinNative(y, Vector256.Create(Saturation));
        var w = clamped * Vector256.Create(-2f);
        var k = Fma(clamped, Vector256.Create(-2f * Log2E), Vector256.Create(Shifter));
        var n = k - Vector256.Create(Shifter);
        var r = Fma(n, Vector256.Create(-Ln2Lo), Fma(n, Vector256.Create(-Ln2Hi), w));
        var r2 = r * r;
        var g = Fma(r2, Fma(r2, Vector256.Create(G4), Fma(r, Vector256.Create(G3), Vector256.Create(G2))), Fma(r, Vector256.Create(G1), Vector256.Create(G0)));
        var e = (Fma(r2, g, r) + Vector256<float>.One) * ((k.AsUInt32() << 23) + Vector256.Create(ExponentBias)).AsSingle();
        var large = Vector256<float>.One - ((e + e) / (e + Vector256<float>.One));

        var magnitude = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(y, Vector256.Create(Threshold)), large, small);
        return (magnitude.AsUInt32() ^ (x.AsUInt32() & Vector256.Create(SignBit))).AsSingle();

        static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256Ops<float>.Fma(a, b, c);
    }

    /// <summary>tanh of each element of a 128-bit vector (<see cref="Tanh(Vector512{float})"/>'s formula).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var y = Vector128.Abs(x);

        var s = y * y;
        var s2 = s * s;
        var q = Fma(s2, Fma(s2, Vector128.Create(Q4), Fma(s, Vector128.Create(Q3), Vector128.Create(Q2))), Fma(s, Vector128.Create(Q1), Vector128.Create(Q0)));
        var small = Fma(y * s, q, y);

        var clamped = Vector128.MinNative(y, Vector128.Create(Saturation));
        var w = clamped * Vector128.Create(-2f);
        var k = Fma(clamped, Vector128.Create(-2f * Log2E), Vector128.Create(Shifter));
        var n = k - Vector128.Create(Shifter);
        var r = Fma(n, Vector128.Create(-Ln2Lo), Fma(n, Vector128.Create(-Ln2Hi), w));
        var r2 = r * r;
        var g = Fma(r2, Fma(r2, Vector128.Create(G4), Fma(r, Vector128.Create(G3), Vector128.Create(G2))), Fma(r, Vector128.Create(G1), Vector128.Create(G0)));
        var e = (Fma(r2, g, r) + Vector128<float>.One) * ((k.AsUInt32() << 23) + Vector128.Create(ExponentBias)).AsSingle();
        var large = Vector128<float>.One - ((e + e) / (e + Vector128<float>.One));

        var magnitude = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(y, Vector128.Create(Threshold)), large, small);
        return (magnitude.AsUInt32() ^ (x.AsUInt32() & Vector128.Create(SignBit))).AsSingle();

        static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128Ops<float>.Fma(a, b, c);
    }
}
