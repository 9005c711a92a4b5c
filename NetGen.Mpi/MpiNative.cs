using System.Reflection;
using System.Runtime.InteropServices;

namespace NetGen.Mpi;

/// <summary>
/// The few MPI calls data-parallel training needs, bound to Open MPI's <c>libmpi.so.40</c> (Debian's
/// <c>libopenmpi3</c>, installed with <c>openmpi-bin</c>).
/// </summary>
/// <remarks>
/// Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, ...) are not integers as in MPICH or
/// MS-MPI but the addresses of exported objects (<c>ompi_mpi_comm_world</c>, ...), which
/// <see cref="NativeLibrary.GetExport"/> finds. The library is opened with <c>RTLD_GLOBAL</c> first, because Open MPI
/// loads its components as plug-ins that resolve symbols of <c>libmpi</c> globally.
/// </remarks>
internal static unsafe partial class MpiNative
{
    private const string Library = "libmpi.so.40";

    /// <summary>MPI_SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>Open MPI's <c>MPI_IN_PLACE</c>: <c>(void*)1</c>.</summary>
    public static readonly void* InPlace = (void*)1;

    private static readonly Lazy<Handles> s_handles = new(LoadHandles);

    static MpiNative() => NativeLibrary.SetDllImportResolver(typeof(MpiNative).Assembly, Resolve);

    /// <summary>The predefined handles, found once.</summary>
    public static Handles Predefined => s_handles.Value;

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Init")]
    public static partial int Init(nint argc, nint argv);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(nint communicator, out int rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(nint communicator, out int size);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    public static partial int Allreduce(void* send, void* receive, int count, nint datatype, nint operation, nint communicator);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    public static partial int Broadcast(void* buffer, int count, nint datatype, int root, nint communicator);

    [LibraryImport(Library, EntryPoint = "MPI_Barrier")]
    public static partial int Barrier(nint communicator);

    [LibraryImport(Library, EntryPoint = "MPI_Error_string")]
    public static partial int ErrorString(int code, byte* text, out int length);

    /// <summary>True when Open MPI's library can be loaded in this process.</summary>
    public static bool IsAvailable()
    {
        try
        {
            return OpenGlobally() != 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? OpenGlobally() : 0;

    private static nint s_library;

    private static nint OpenGlobally()
    {
        if (s_library != 0)
        {
            return s_library;
        }

        const int RtldNow = 2, RtldGlobal = 0x100;
        foreach (string candidate in new[] { Library, "libmpi.so" })
        {
            nint handle = DlOpen(candidate, RtldNow | RtldGlobal);
            if (handle != 0)
            {
                return s_library = handle;
            }
        }

        throw new DllNotFoundException("Open MPI's libmpi.so.40 was not found: install it with 'apt-get install openmpi-bin libopenmpi-dev' (Debian/Ubuntu).");
    }

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    private static Handles LoadHandles()
    {
        nint library = OpenGlobally();
        return new Handles(
            NativeLibrary.GetExport(library, "ompi_mpi_comm_world"),
            NativeLibrary.GetExport(library, "ompi_mpi_float"),
            NativeLibrary.GetExport(library, "ompi_mpi_double"),
            NativeLibrary.GetExport(library, "ompi_mpi_op_sum"));
    }

    /// <summary>Open MPI's predefined objects, by address.</summary>
    public readonly record struct Handles(nint CommWorld, nint Float, nint Double, nint Sum);
}
