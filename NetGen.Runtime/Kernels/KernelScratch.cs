using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Per-thread scratch memory for packing kernel operands. It grows to the largest size a thread has
/// asked for and is then reused, so steady-state training allocates nothing.
/// </summary>
/// <remarks>
/// The buffer lives on the pinned object heap and the scratch starts at its first cache-line boundary: 64-byte
/// vectors loaded from a packed sliver then never straddle two lines, and no garbage collection moves the buffer to
/// another alignment (a .NET array's elements start 16 bytes past an 8-byte boundary, and compaction moves them).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal static class KernelScratch<T>
    where T : unmanaged
{
    private const int LineBytes = 64;

    [ThreadStatic]
    private static T[]? t_buffer;

    [ThreadStatic]
    private static int t_start;

    /// <summary>Scratch of at least <paramref name="length"/> elements, starting on a cache line, valid until this thread's next call.</summary>
    public static Span<T> Get(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length - t_start < length)
        {
            t_buffer = buffer = GC.AllocateArray<T>(length + (LineBytes / Unsafe.SizeOf<T>()), pinned: true);
            t_start = LineStart(buffer);
        }

        return buffer.AsSpan(t_start, length);
    }

    /// <summary>The index of the first element of the pinned <paramref name="buffer"/> that starts a cache line.</summary>
    private static unsafe int LineStart(T[] buffer)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (int)((LineBytes - (address & (LineBytes - 1))) & (LineBytes - 1)) / Unsafe.SizeOf<T>();
    }
}
