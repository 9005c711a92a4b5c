using System.ComponentModel;
using System.Runtime.ExceptionServices;

namespace NetGen.CompilerServices;

/// <summary>
/// Threads that compute one large matrix product together: the <see cref="DenseKernels"/> products given a team
/// split their output into one part per thread (rows of <c>W</c> for the forward product and the weight gradient,
/// columns of <c>dX</c> for the input gradient), the caller computes the first part and waits for the others.
/// Every part is the same kernel on a sub-range whose bounds follow the kernel's tiles, so each output element is
/// computed with the same arithmetic as without a team: results do not depend on the number of threads.
/// </summary>
/// <remarks>
/// The multithreaded gradient engine owns the team and its threads: while it runs a batch, its workers serve the
/// team (spinning between products, which come microseconds apart), and the generated code reaches the team
/// through <see cref="WorkspaceAccess.Team{T}"/>. Outside such a batch a team's products run on the caller alone.
/// Nothing is allocated per product: the spans are pinned and handed to the other threads as pointers for as long
/// as the caller waits for them.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KernelTeam
{
    // How this team's threads start every wait (in place first or not), decided once from the thread count.
    private readonly PatientSpin _freshWait;

    private Job _job;
    private int _parts;

    // The sequence number of the last product posted, its value when the team opened, and how many threads
    // (other than the caller) have not yet finished the current product.
    private int _posted;
    private int _openedAt;
    private int _pending;
    private volatile bool _open;
    private Exception? _error;

    /// <summary>Creates a team of <paramref name="threads"/> threads, the caller's included.</summary>
    internal KernelTeam(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Threads = threads;
        _freshWait = PatientSpin.For(threads);
    }

    /// <summary>Threads that share a product, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Products this team's threads have shared (for tests: a product too small to split is not counted).</summary>
    internal long SharedProducts { get; private set; }

    /// <summary>
    /// Starts a session: from now until <see cref="Close"/>, threads 1 to <see cref="Threads"/> - 1 must each be in
    /// <see cref="Serve"/>. Call it before releasing those threads (their release must be a memory barrier).
    /// </summary>
    internal void Open()
    {
        _openedAt = _posted;
        _error = null;
        _open = true;
    }

    /// <summary>Ends the session; the threads in <see cref="Serve"/> return once they see it.</summary>
    internal void Close() => _open = false;

    /// <summary>
    /// Thread <paramref name="thread"/> (1 or more) computes its part of every product posted in this session,
    /// spinning between them, and returns when the session is closed. A part that throws is reported to the caller
    /// of that product.
    /// </summary>
    internal void Serve(int thread)
    {
        int seen = _openedAt;
        var spin = _freshWait;
        while (true)
        {
            int posted = Volatile.Read(ref _posted);
            if (posted != seen)
            {
                seen = posted;
                if (thread < _parts)
                {
                    try
                    {
                        _job.Run(thread, _parts);
                    }
                    catch (Exception error)
                    {
                        Interlocked.CompareExchange(ref _error, error, null);
                    }
                }

                Interlocked.Decrement(ref _pending);
                spin = _freshWait;
                continue;
            }

            // Every product posted before the close has been waited for, so a closed team has no part left.
            if (!_open)
            {
                return;
            }

            spin.SpinOnce();
        }
    }

    /// <summary>
    /// Computes <paramref name="job"/> in <paramref name="parts"/> parts (at most <see cref="Threads"/>): part 0 on
    /// the caller, the others on the serving threads, or all of them on the caller when the team is not open. Returns
    /// when every part is done; rethrows the caller's exception as it is and another thread's wrapped.
    /// </summary>
    internal void Run(in Job job, int parts)
    {
        if (!_open || parts < 2)
        {
            for (int part = 0; part < parts; part++)
            {
                job.Run(part, parts);
            }

            return;
        }

        SharedProducts++;
        _job = job;
        _parts = parts;
        _error = null;
        Volatile.Write(ref _pending, Threads - 1);
        Interlocked.Increment(ref _posted);
        ExceptionDispatchInfo? callerError = null;
        try
        {
            job.Run(0, parts);
        }
        catch (Exception exception)
        {
            callerError = ExceptionDispatchInfo.Capture(exception);
        }

        // The other parts read the caller's pinned memory: wait for them even when the caller's part failed.
        var spin = _freshWait;
        while (Volatile.Read(ref _pending) > 0)
        {
            spin.SpinOnce();
        }

        _job = default;
        callerError?.Throw();
        if (_error is { } error)
        {
            _error = null;
            throw new InvalidOperationException("A kernel team thread failed: " + error.Message, error);
        }
    }

    /// <summary>
    /// Thread <paramref name="part"/>'s share of <paramref name="total"/> rows or columns cut into
    /// <paramref name="parts"/>: whole multiples of <paramref name="quantum"/> from the start, the remainder with the last part.
    /// </summary>
    internal static (int Start, int Count) Share(int total, int quantum, int part, int parts)
    {
        int blocks = total / quantum;
        int start = quantum * (int)((long)blocks * part / parts);
        int end = part == parts - 1 ? total : quantum * (int)((long)blocks * (part + 1) / parts);
        return (start, end - start);
    }

    /// <summary>
    /// One product for the team: the operands as pinned pointers with their lengths, the sizes, and the function
    /// that computes part i of n of it.
    /// </summary>
    internal unsafe struct Job
    {
        /// <summary>Computes part <c>part</c> of <c>parts</c> of the job.</summary>
        public delegate*<in Job, int, int, void> Part;

        /// <summary>The operands (which is which depends on <see cref="Part"/>).</summary>
        public void* A, B, C, D;

        /// <summary>The operands' lengths in elements.</summary>
        public int ALength, BLength, CLength, DLength;

        /// <summary>Row strides of the strided operands.</summary>
        public int AStride, BStride, CStride;

        /// <summary>The product's sizes: samples, outputs and inputs of the layer.</summary>
        public int M, N, K;

        /// <summary>The split's unit: every part but the last spans a multiple of it.</summary>
        public int Quantum;

        /// <summary>The vector width the whole product runs at.</summary>
        public int VectorBits;

        /// <summary>Add to the output rather than overwrite it.</summary>
        public bool Accumulate;

        /// <summary>What the product applies to its output as it stores it (a fused activation or its derivative).</summary>
        public ProductEpilogue Epilogue;

        /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
        public readonly void Run(int part, int parts) => Part(in this, part, parts);
    }
}
