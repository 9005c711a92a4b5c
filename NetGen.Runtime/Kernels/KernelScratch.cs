namespace NetGen;

/// <summary>
/// Per-thread scratch memory for packing kernel operands. It grows to the largest size a thread has
/// asked for and is then reused, so steady-state training allocates nothing.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class KernelScratch<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_buffer;

    /// <summary>Scratch of at least <paramref name="length"/> elements, valid until this thread's next call.</summary>
    public static Span<T> Get(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            t_buffer = buffer = new T[length];
        }

        return buffer.AsSpan(0, length);
    }
}
