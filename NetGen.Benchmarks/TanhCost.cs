using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.CompilerServices;

namespace NetGen.Benchmarks;

/// <summary>
/// `tanh-cost`: nanoseconds per element of the float tanh kernel against the formula it replaced (TensorPrimitives.Tanh's:
/// <c>z = e^(-2|x|) - 1</c>, <c>tanh = sign · -z/(z + 2)</c>, with the vector exponential that widens floats to doubles),
/// both in the kernel's loop (whole vectors, then one overlapping last vector), at the process's vector width, on spans of
/// 16, 128 and 1024 floats. Rounds alternate the two after ten warm-up rounds; the medians are printed.
/// </summary>
internal static class TanhCost
{
    public static int Run(int rounds = 9)
    {
        int bits = VectorWidth.Bits;
        if (bits < 256)
        {
            Console.WriteLine("tanh-cost compares at 256 or 512 bits; this process runs 128.");
            return 1;
        }

        Console.WriteLine($"ns per element, median of {rounds} alternating rounds, {bits}-bit vectors, 1 thread");
        Console.WriteLine($"{"floats",8} {"old formula",12} {"kernel",12} {"old/kernel",11}");
        foreach (int length in new[] { 16, 128, 1024 })
        {
            var random = new DeterministicRandom(length);
            var z = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-3, 3)).ToArray();
            var a = new float[length];
            int repeats = (1 << 24) / length;
            var old = new List<double>();
            var kernel = new List<double>();
            // Ten warm-up rounds (about a second): the old formula's vector exponential runs at about 3 ns an element
            // for its first few hundred milliseconds, until its tier-1 code replaces it.
            for (int round = -10; round < rounds; round++)
            {
                double oldTime = TimeOld(z, a, repeats) / length, kernelTime = TimeKernel(z, a, repeats) / length;
                if (round >= 0)
                {
                    old.Add(oldTime);
                    kernel.Add(kernelTime);
                }
            }

            double oldMedian = old.Order().ElementAt(rounds / 2), kernelMedian = kernel.Order().ElementAt(rounds / 2);
            Console.WriteLine($"{length,8} {oldMedian,12:F3} {kernelMedian,12:F3} {oldMedian / kernelMedian,11:F2}");
        }

        return 0;
    }

    // The two timing loops call the public kernel and the old formula through the process's width (a static readonly
    // field the JIT folds), as generated code does, rather than through a delegate or a width argument.
    private static double TimeKernel(float[] z, float[] a, int repeats)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < repeats; i++)
        {
            ActivationKernels.Tanh<float>(z, a);
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / repeats;
    }

    private static double TimeOld(float[] z, float[] a, int repeats)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < repeats; i++)
        {
            Old(z, a);
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / repeats;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Old(float[] z, float[] a)
    {
        ref float rz = ref MemoryMarshal.GetArrayDataReference(z);
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        int n = z.Length;
        if (VectorWidth.Bits == 512)
        {
            var last = Vector512.LoadUnsafe(ref rz, (nuint)(n - 16));
            for (int i = 0; i + 16 < n; i += 16)
            {
                Old(Vector512.LoadUnsafe(ref rz, (nuint)i)).StoreUnsafe(ref ra, (nuint)i);
            }

            Old(last).StoreUnsafe(ref ra, (nuint)(n - 16));
        }
        else
        {
            // 256 bits (Run returns before this at 128).
            var last = Vector256.LoadUnsafe(ref rz, (nuint)(n - 8));
            for (int i = 0; i + 8 < n; i += 8)
            {
                Old(Vector256.LoadUnsafe(ref rz, (nuint)i)).StoreUnsafe(ref ra, (nuint)i);
            }

            Old(last).StoreUnsafe(ref ra, (nuint)(n - 8));
        }
    }

    private static Vector512<float> Old(Vector512<float> v)
    {
        var z = Vector512.Exp(Vector512.Create(-2f) * Vector512.Abs(v)) - Vector512<float>.One;
        return ((v.AsUInt32() & Vector512.Create(0x8000_0000u)) ^ (-z / (z + Vector512.Create(2f))).AsUInt32()).AsSingle();
    }

    private static Vector256<float> Old(Vector256<float> v)
    {
        var z = Vector256.Exp(Vector256.Create(-2f) * Vector256.Abs(v)) - Vector256<float>.One;
        return ((v.AsUInt32() & Vector256.Create(0x8000_0000u)) ^ (-z / (z + Vector256.Create(2f))).AsUInt32()).AsSingle();
    }
}
