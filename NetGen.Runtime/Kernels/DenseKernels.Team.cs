using System.Numerics;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// The products of <see cref="DenseKernels"/> split across a <see cref="KernelTeam"/>: each thread computes a range of
/// the output with the same kernel, so no part needs another's result and nothing is summed across threads.
/// </summary>
public static partial class DenseKernels
{
    /// <summary>
    /// Multiply-adds below which a product runs on the caller alone even with a team: posting a product and waiting for
    /// the other part costs about a microsecond, a few percent of a product this size (about 3 µs on one core).
    /// </summary>
    internal const long MinTeamProduct = 1 << 18;

    /// <summary>Parts of a team product: one per thread, fewer when the output has fewer whole quanta; 1 runs it on the caller.</summary>
    private static int TeamParts(KernelTeam team, int m, int n, int k, int total, int quantum) =>
        (long)m * n * k < MinTeamProduct ? 1 : Math.Min(team.Threads, total / quantum);

    /// <summary>
    /// <see cref="Forward{T}(int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int, KernelTeam?, ProductEpilogue)"/>
    /// by ranges of W's rows (Z's columns), each a multiple of <see cref="DenseKernels{T, TOps, TVector}.ForwardRowQuantum"/>
    /// so every part takes the whole product's path and tiles; false when the product is too small to split.
    /// </summary>
    private static unsafe bool ForwardOnTeam<T>(KernelTeam team, int vectorBits, ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k, ProductEpilogue epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int quantum = vectorBits switch
        {
            512 => DenseKernels<T, Vector512Ops<T>, Vector512<T>>.ForwardRowQuantum(m, n, k),
            256 => DenseKernels<T, Vector256Ops<T>, Vector256<T>>.ForwardRowQuantum(m, n, k),
            _ => DenseKernels<T, Vector128Ops<T>, Vector128<T>>.ForwardRowQuantum(m, n, k),
        };
        int parts = TeamParts(team, m, n, k, n, quantum);
        if (parts < 2)
        {
            return false;
        }

        fixed (T* px = x, pw = w, pb = b, pz = z)
        {
            var job = new KernelTeam.Job
            {
                Part = &ForwardPart<T>,
                A = px, ALength = x.Length, AStride = xStride,
                B = pw, BLength = w.Length,
                D = pb, DLength = b.Length,
                C = pz, CLength = z.Length, CStride = zStride,
                M = m, N = n, K = k, Quantum = quantum, VectorBits = vectorBits, Epilogue = epilogue,
            };
            team.Run(job, parts);
        }

        return true;
    }

    private static unsafe void ForwardPart<T>(in KernelTeam.Job job, int part, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, count) = KernelTeam.Share(job.N, job.Quantum, part, parts);
        Forward(
            job.VectorBits,
            new ReadOnlySpan<T>(job.A, job.ALength), job.AStride,
            new ReadOnlySpan<T>((T*)job.B + ((long)start * job.K), count * job.K),
            new ReadOnlySpan<T>((T*)job.D + start, count),
            new Span<T>((T*)job.C + start, job.CLength - start), job.CStride,
            job.M, count, job.K, team: null, job.Epilogue.Columns<T>(start));
    }

    /// <summary>
    /// <see cref="AccumulateWeightGradient{T}(int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, Span{T}, int, int, int, KernelTeam?)"/>
    /// by ranges of dW's rows (and db's elements): each element of dW is one chain over the samples whichever rows
    /// a thread has, and db's sums go column by column. Ranges are multiples of four rows.
    /// </summary>
    private static unsafe bool WeightGradientOnTeam<T>(KernelTeam team, int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int quantum = 4;
        int parts = TeamParts(team, m, n, k, n, quantum);
        if (parts < 2)
        {
            return false;
        }

        fixed (T* pdz = dz, px = x, pdw = dw, pdb = db)
        {
            var job = new KernelTeam.Job
            {
                Part = &WeightGradientPart<T>,
                A = pdz, ALength = dz.Length, AStride = dzStride,
                B = px, BLength = x.Length, BStride = xStride,
                C = pdw, CLength = dw.Length,
                D = pdb, DLength = db.Length,
                M = m, N = n, K = k, Quantum = quantum, VectorBits = vectorBits,
            };
            team.Run(job, parts);
        }

        return true;
    }

    private static unsafe void WeightGradientPart<T>(in KernelTeam.Job job, int part, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, count) = KernelTeam.Share(job.N, job.Quantum, part, parts);
        AccumulateWeightGradient(
            job.VectorBits,
            new ReadOnlySpan<T>((T*)job.A + start, job.ALength - start), job.AStride,
            new ReadOnlySpan<T>(job.B, job.BLength), job.BStride,
            new Span<T>((T*)job.C + ((long)start * job.K), count * job.K),
            new Span<T>((T*)job.D + start, count),
            job.M, count, job.K);
    }

    /// <summary>
    /// <see cref="InputGradient{T}(int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool, KernelTeam?, ProductEpilogue)"/>
    /// by ranges of dX's columns, whole slivers of the blocked product, so each thread packs only its own columns of W.
    /// </summary>
    private static unsafe bool InputGradientOnTeam<T>(KernelTeam team, int vectorBits, ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate, ProductEpilogue epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int quantum = vectorBits switch
        {
            512 => DenseKernels<T, Vector512Ops<T>, Vector512<T>>.InputGradientColumnQuantum,
            256 => DenseKernels<T, Vector256Ops<T>, Vector256<T>>.InputGradientColumnQuantum,
            _ => DenseKernels<T, Vector128Ops<T>, Vector128<T>>.InputGradientColumnQuantum,
        };
        int parts = TeamParts(team, m, n, k, k, quantum);
        if (parts < 2)
        {
            return false;
        }

        fixed (T* pdz = dz, pw = w, pdx = dx)
        {
            var job = new KernelTeam.Job
            {
                Part = &InputGradientPart<T>,
                A = pdz, ALength = dz.Length, AStride = dzStride,
                B = pw, BLength = w.Length,
                C = pdx, CLength = dx.Length, CStride = dxStride,
                M = m, N = n, K = k, Quantum = quantum, VectorBits = vectorBits, Accumulate = accumulate, Epilogue = epilogue,
            };
            team.Run(job, parts);
        }

        return true;
    }

    private static unsafe void InputGradientPart<T>(in KernelTeam.Job job, int part, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, count) = KernelTeam.Share(job.K, job.Quantum, part, parts);
        InputGradientColumns(
            job.VectorBits,
            new ReadOnlySpan<T>(job.A, job.ALength), job.AStride,
            new ReadOnlySpan<T>(job.B, job.BLength),
            new Span<T>(job.C, job.CLength), job.CStride,
            job.M, job.N, job.K, start, count, job.Accumulate, job.Epilogue);
    }
}
