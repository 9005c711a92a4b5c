using System.Numerics;
using System.Text;

namespace NetGen.Mpi;

/// <summary>
/// MPI's world communicator: every process started by one <c>mpiexec</c>. Creating it initializes MPI;
/// disposing it finalizes MPI, which can happen once per process.
/// </summary>
/// <example>
/// <code>
/// using var world = MpiCommunicator.InitializeWorld();
/// Console.WriteLine($"rank {world.Rank} of {world.Size}");
/// </code>
/// </example>
public sealed unsafe class MpiCommunicator : IDisposable
{
    private static int s_created;
    private readonly MpiNative.Handles _handles;
    private bool _disposed;

    private MpiCommunicator(MpiNative.Handles handles, int rank, int size)
    {
        _handles = handles;
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's index among <see cref="Size"/> processes, from 0.</summary>
    public int Rank { get; }

    /// <summary>The number of processes.</summary>
    public int Size { get; }

    /// <summary>True when Open MPI's library can be loaded (it may still fail to start outside <c>mpiexec</c>).</summary>
    public static bool IsLibraryAvailable => MpiNative.IsAvailable();

    /// <summary>Initializes MPI and returns the world communicator. Call once per process.</summary>
    /// <exception cref="DllNotFoundException">Open MPI is not installed.</exception>
    /// <exception cref="InvalidOperationException">MPI was already initialized in this process.</exception>
    /// <exception cref="MpiException">MPI failed to start.</exception>
    public static MpiCommunicator InitializeWorld()
    {
        if (Interlocked.Exchange(ref s_created, 1) != 0)
        {
            throw new InvalidOperationException("MPI can be initialized once per process, and it already was: keep the first MpiCommunicator.");
        }

        var handles = MpiNative.Predefined;
        Check(MpiNative.Init(0, 0), "MPI_Init");
        Check(MpiNative.CommRank(handles.CommWorld, out int rank), "MPI_Comm_rank");
        Check(MpiNative.CommSize(handles.CommWorld, out int size), "MPI_Comm_size");
        return new MpiCommunicator(handles, rank, size);
    }

    /// <summary>Replaces <paramref name="values"/> on every process with the element-wise sum over all processes.</summary>
    public void AllreduceSum<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (T* pointer = values)
        {
            Check(MpiNative.Allreduce(MpiNative.InPlace, pointer, values.Length, DataType<T>(), _handles.Sum, _handles.CommWorld), "MPI_Allreduce");
        }
    }

    /// <summary>The sum of <paramref name="value"/> over all processes, on every process.</summary>
    public double AllreduceSum(double value)
    {
        AllreduceSum(new Span<double>(ref value));
        return value;
    }

    /// <summary>Copies <paramref name="values"/> of process <paramref name="root"/> into <paramref name="values"/> of every other process.</summary>
    public void Broadcast<T>(Span<T> values, int root = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (root < 0 || root >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"'root' must be a rank from 0 to {Size - 1}.");
        }

        fixed (T* pointer = values)
        {
            Check(MpiNative.Broadcast(pointer, values.Length, DataType<T>(), root, _handles.CommWorld), "MPI_Bcast");
        }
    }

    /// <summary>Waits until every process has called it.</summary>
    public void Barrier()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Check(MpiNative.Barrier(_handles.CommWorld), "MPI_Barrier");
    }

    /// <summary>Finalizes MPI. Every process must call it before exiting.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Check(MpiNative.Finalize(), "MPI_Finalize");
        }
    }

    private nint DataType<T>() =>
        typeof(T) == typeof(float) ? _handles.Float
        : typeof(T) == typeof(double) ? _handles.Double
        : throw new NotSupportedException($"MPI reductions here support float and double, not {typeof(T).Name}.");

    private static void Check(int code, string call)
    {
        if (code != MpiNative.Success)
        {
            var text = new byte[256];
            string message;
            fixed (byte* pointer = text)
            {
                message = MpiNative.ErrorString(code, pointer, out int length) == MpiNative.Success
                    ? Encoding.ASCII.GetString(text, 0, length)
                    : "unknown error";
            }

            throw new MpiException($"{call} failed with MPI error {code}: {message}.", code);
        }
    }
}

/// <summary>An MPI call returned an error.</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MpiException(string message, int errorCode)
        : base(message) => ErrorCode = errorCode;

    /// <summary>The MPI error code.</summary>
    public int ErrorCode { get; }
}
