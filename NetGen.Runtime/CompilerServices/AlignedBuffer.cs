using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.CompilerServices;

/// <summary>
/// <see cref="Length"/> elements whose first one is on a 64-byte boundary: a cache line, and one 512-bit vector. The
/// kernels load and store whole vectors from a buffer's start (a layer's weights, a sample's values in a workspace, a
/// gradient); in a plain array, whose elements start 16 bytes into a GC-aligned object, every 512-bit access straddles
/// two lines and costs two. Generated networks keep their parameters in one, workspaces and the gradient engine their
/// buffers, and the trainers their copy of each batch and the gradient they step with. (A <see cref="Predictor{T}"/>'s
/// packed copy stays a plain array: aligned, one W3 sample measured 0.96-0.97x; see docs/design-notes.md.)
/// </summary>
/// <remarks>
/// The array behind it lives on the pinned object heap, so the GC never moves it off the boundary; it is a few elements
/// longer than <see cref="Length"/>, and the span starts at the first boundary in it. <c>default</c> is an empty buffer.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct AlignedBuffer<T>
    where T : unmanaged
{
    /// <summary>The boundary the first element is on, in bytes.</summary>
    public const int Alignment = 64;

    private readonly T[]? _array;
    private readonly int _start;

    /// <summary>Allocates a zeroed buffer of <paramref name="length"/> elements.</summary>
    /// <param name="length">The number of elements; at most <see cref="MaxLength"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or above <see cref="MaxLength"/>.</exception>
    /// <exception cref="NotSupportedException">The size of <typeparamref name="T"/> does not divide 64 bytes.</exception>
    public AlignedBuffer(int length)
    {
        if (Alignment % Unsafe.SizeOf<T>() != 0)
        {
            throw new NotSupportedException($"An aligned buffer holds elements whose size divides {Alignment} bytes; {typeof(T).Name} has {Unsafe.SizeOf<T>()}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        _array = GC.AllocateArray<T>(length + Padding, pinned: true);
        _start = ElementsToBoundary(ref MemoryMarshal.GetArrayDataReference(_array));
        Length = length;
    }

    /// <summary>The most elements a buffer can hold: the largest .NET array less the elements that may precede the boundary.</summary>
    public static int MaxLength => Array.MaxLength - Padding;

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements, from the one on the boundary.</summary>
    public Span<T> Span => _array is null ? default : MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _start), Length);

    /// <summary>The same elements as <see cref="Span"/>, for APIs that take <see cref="Memory{T}"/> (the array is pinned, so they stay on the boundary).</summary>
    public Memory<T> Memory => _array is null ? default : _array.AsMemory(_start, Length);

    /// <summary>Elements an array may need before its first boundary (the runtime aligns array data to at least 8 bytes).</summary>
    private static int Padding => (Alignment / Unsafe.SizeOf<T>()) - 1;

    private static unsafe int ElementsToBoundary(ref T first)
    {
        nint address = (nint)Unsafe.AsPointer(ref first);
        int bytes = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1));
        if (bytes % Unsafe.SizeOf<T>() != 0)
        {
            throw new InvalidOperationException($"An array of {typeof(T).Name} starts {bytes} bytes before a {Alignment}-byte boundary, not a whole number of elements.");
        }

        return bytes / Unsafe.SizeOf<T>();
    }
}
