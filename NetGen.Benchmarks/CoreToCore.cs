using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks;

/// <summary>
/// How long one cache line takes to travel from one core to another and back, measured with two threads passing a
/// flag. Two-thread figures depend on it: a virtual machine's host may place its two vCPUs on one die (a round trip of
/// 100-170 ns on the Zen 5 machine of the README) or on two (400-470 ns), and the same binary then trained W3 on two
/// threads at 530-600k or 350-400k samples per second. `compare` prints it beside its two-thread ratios.
/// </summary>
internal static class CoreToCore
{
    private const int RoundTrips = 20_000;

    private const int Batches = 5;

    /// <summary>
    /// The median over <see cref="Batches"/> batches (after one to warm up) of the mean round trip in nanoseconds over
    /// <see cref="RoundTrips"/> hand-offs of the flag, or null on a machine with one core (the two threads would take
    /// turns on it, and the figure would measure the scheduler).
    /// </summary>
    public static double? RoundTripNanoseconds()
    {
        if (Environment.ProcessorCount < 2)
        {
            return null;
        }

        var flag = new Flag();
        var partner = new Thread(() =>
        {
            for (int i = 0; i < (Batches + 1) * RoundTrips; i++)
            {
                while (Volatile.Read(ref flag.Value) != 1)
                {
                }

                Volatile.Write(ref flag.Value, 0);
            }
        })
        {
            IsBackground = true,
            Name = "core-to-core partner",
        };
        partner.Start();

        var batches = new double[Batches + 1];
        for (int batch = 0; batch <= Batches; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < RoundTrips; i++)
            {
                Volatile.Write(ref flag.Value, 1);
                while (Volatile.Read(ref flag.Value) != 0)
                {
                }
            }

            batches[batch] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / RoundTrips;
        }

        partner.Join();
        var measured = batches[1..];
        Array.Sort(measured);
        return measured[Batches / 2];
    }

    /// <summary>The flag, alone on its cache line (128 bytes either side covers adjacent-line prefetching), so nothing else travels with it.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private sealed class Flag
    {
        [FieldOffset(128)]
        public int Value;
    }
}
