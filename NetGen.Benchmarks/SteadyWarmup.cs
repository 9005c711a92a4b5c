using System.Diagnostics;

namespace NetGen.Benchmarks;

/// <summary>
/// The warm-up before every timed measurement of `compare`, NetGen's and its .NET peer's alike (this file is compiled
/// into NetGen.Benchmarks.TorchSharp too; bench/peer_pytorch.py follows the same rule): tiered compilation replaces a
/// small network's step two or three times in its first second (W2's step at batch 16 ran at 2, 17 and then 23 million
/// samples a second in 250-ms windows), so a fixed half-second warm-up let slower code into the timed second.
/// </summary>
internal static class SteadyWarmup
{
    /// <summary>The shortest warm-up.</summary>
    public const double MinimumSeconds = 0.5;

    /// <summary>The longest warm-up, for a step whose rate never settles.</summary>
    public const double MaximumSeconds = 3;

    /// <summary>The window whose rate is compared with the window before it.</summary>
    public const double WindowSeconds = 0.1;

    /// <summary>How close two windows' rates are for the step to count as settled.</summary>
    public const double Tolerance = 0.02;

    /// <summary>
    /// Runs <paramref name="step"/> for <see cref="MinimumSeconds"/>, then window by window until a window's rate is
    /// within <see cref="Tolerance"/> of the window before it, or <see cref="MaximumSeconds"/> have passed.
    /// </summary>
    public static void Run(Action step)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < MinimumSeconds)
        {
            step();
        }

        double previous = double.NaN;
        while (clock.Elapsed.TotalSeconds < MaximumSeconds)
        {
            double start = clock.Elapsed.TotalSeconds;
            long steps = 0;
            while (clock.Elapsed.TotalSeconds - start < WindowSeconds)
            {
                step();
                steps++;
            }

            double rate = steps / (clock.Elapsed.TotalSeconds - start);
            if (Math.Abs(rate - previous) <= Tolerance * previous)
            {
                return;
            }

            previous = rate;
        }
    }
}
