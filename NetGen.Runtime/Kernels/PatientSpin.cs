using System.Diagnostics;

namespace NetGen.CompilerServices;

/// <summary>
/// How the gradient engine's threads wait for each other inside a step (a posted product, a part's end, a barrier):
/// when each of them can have a core of its own, first in place, with the processor's spin-wait hint only, for 10 µs;
/// then (at once when there are more threads than cores) as <see cref="SpinWait"/> does, yielding the core between checks.
/// </summary>
/// <remarks>
/// Most waits inside a step last a microsecond or less, and on a virtual machine a yield is a system call that can cost
/// more than that (1.2-1.4 µs for <c>sched_yield</c> on the Zen 5 VM of the README), so a thread that starts yielding
/// after a few spins, as <see cref="SpinWait"/> does, notices the other thread's signal late. Yielding after the window
/// keeps a thread that waits long (another process holds the core it waits for) from starving it. Measured on that VM,
/// one process switching between the two ways every block of steps (medians of 68-125 block pairs): W3 training on two
/// threads 1.015x and 1.019x, W4 1.001x, the Fashion-MNIST race's step 1.005x; windows of 20 µs to 1 ms gave W3
/// 1.011-1.012x. With more threads than cores a thread that spins in place holds the core the thread it waits for
/// needs: four threads on the two cores ran W3 at 0.75-0.88x and W4 at 0.92-0.97x with the window, so a group that
/// outnumbers the cores (<see cref="Environment.ProcessorCount"/>, which follows the process's affinity and CPU limit)
/// yields from the start, as before.
/// </remarks>
internal struct PatientSpin
{
    /// <summary>How long a thread waits in place before it starts yielding: 10 µs.</summary>
    private static readonly long s_pauseTicks = Stopwatch.Frequency / 100_000;

    private readonly long _pauseTicks;
    private long _since;
    private SpinWait _yielding;

    private PatientSpin(long pauseTicks) => _pauseTicks = pauseTicks;

    /// <summary>
    /// A wait among <paramref name="threads"/> threads: in place first when each can have a core, else
    /// <see cref="SpinWait"/>'s escalation from the start (also what <c>default(PatientSpin)</c> does).
    /// </summary>
    public static PatientSpin For(int threads) => new(threads <= Environment.ProcessorCount ? s_pauseTicks : 0);

    /// <summary>Whether this wait spins in place before it yields (for tests).</summary>
    internal readonly bool WaitsInPlace => _pauseTicks != 0;

    /// <summary>One step of waiting: a spin-wait hint within the window, a <see cref="SpinWait.SpinOnce(int)"/> after it.</summary>
    public void SpinOnce()
    {
        if (_pauseTicks == 0)
        {
            _yielding.SpinOnce(sleep1Threshold: -1);
            return;
        }

        long now = Stopwatch.GetTimestamp();
        if (_since == 0)
        {
            _since = now;
        }

        if (now - _since < _pauseTicks)
        {
            Thread.SpinWait(1);
            return;
        }

        _yielding.SpinOnce(sleep1Threshold: -1);
    }
}
