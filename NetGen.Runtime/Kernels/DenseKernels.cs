using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Register-blocked matrix kernels of a dense layer over a minibatch, the work of batched training:
/// the forward product <c>Z = X · Wᵀ + b</c>, the weight gradient <c>dW += dZᵀ · X</c> (with
/// <c>db += Σ dZ</c>) and the input gradient <c>dX = dZ · W</c>, all with <c>W</c> stored row-major as
/// [outputs x inputs] and no transposed copy. Rows of <c>X</c>, <c>Z</c>, <c>dZ</c> and <c>dX</c> may be
/// strided (one row per sample inside a larger per-sample buffer). Generated networks call these for
/// layers too large to unroll; so does the dynamic graph, so the two are compared on equal kernels.
/// </summary>
/// <remarks>
/// Each kernel keeps a small tile of outputs in <see cref="Vector{T}"/> registers (8 accumulators) so
/// every loaded vector feeds several fused multiply-adds. Results depend only on the sizes, never on
/// the thread that runs them. Arguments are validated once per call; the loops then read without
/// bounds checks.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class DenseKernels
{
    /// <summary>
    /// <c>z[s, j] = b[j] + Σ_i x[s, i] w[j, i]</c> for <paramref name="m"/> samples, <paramref name="n"/> outputs
    /// and <paramref name="k"/> inputs.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int xStride, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int zStride, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckMatrix(z.Length, m, n, zStride, nameof(z));
        CheckLength(w.Length, n * k, nameof(w));
        CheckLength(b.Length, n, nameof(b));
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rz = ref MemoryMarshal.GetReference(z);

        // Rows of W outside, samples inside: a block of four rows (a few KB) stays in L1 while every sample
        // streams past it, instead of W (megabytes for wide layers) streaming from memory once per sample pair.
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref T rows = ref Unsafe.Add(ref rw, j * k);
            T b0 = Unsafe.Add(ref rb, j), b1 = Unsafe.Add(ref rb, j + 1), b2 = Unsafe.Add(ref rb, j + 2), b3 = Unsafe.Add(ref rb, j + 3);
            int s = 0;
            for (; s + 4 <= m; s += 4)
            {
                Dot4x4(ref Unsafe.Add(ref rx, s * xStride), xStride, ref rows, k, out var d);
                for (int r = 0; r < 4; r++)
                {
                    ref T zr = ref Unsafe.Add(ref rz, ((s + r) * zStride) + j);
                    zr = b0 + d[4 * r];
                    Unsafe.Add(ref zr, 1) = b1 + d[(4 * r) + 1];
                    Unsafe.Add(ref zr, 2) = b2 + d[(4 * r) + 2];
                    Unsafe.Add(ref zr, 3) = b3 + d[(4 * r) + 3];
                }
            }

            for (; s + 2 <= m; s += 2)
            {
                ref T z0 = ref Unsafe.Add(ref rz, (s * zStride) + j);
                ref T z1 = ref Unsafe.Add(ref rz, ((s + 1) * zStride) + j);
                Dot2x4(ref Unsafe.Add(ref rx, s * xStride), ref Unsafe.Add(ref rx, (s + 1) * xStride), ref rows, k, out var d);
                z0 = b0 + d[0]; Unsafe.Add(ref z0, 1) = b1 + d[1]; Unsafe.Add(ref z0, 2) = b2 + d[2]; Unsafe.Add(ref z0, 3) = b3 + d[3];
                z1 = b0 + d[4]; Unsafe.Add(ref z1, 1) = b1 + d[5]; Unsafe.Add(ref z1, 2) = b2 + d[6]; Unsafe.Add(ref z1, 3) = b3 + d[7];
            }

            if (s < m)
            {
                // One sample left: four dot products at once, each row's x load shared.
                ref T z0 = ref Unsafe.Add(ref rz, (s * zStride) + j);
                Dot1x4(ref Unsafe.Add(ref rx, s * xStride), ref rows, k, out var d);
                z0 = b0 + d[0]; Unsafe.Add(ref z0, 1) = b1 + d[1]; Unsafe.Add(ref z0, 2) = b2 + d[2]; Unsafe.Add(ref z0, 3) = b3 + d[3];
            }
        }

        for (; j < n; j++)
        {
            ref T row = ref Unsafe.Add(ref rw, j * k);
            T bias = Unsafe.Add(ref rb, j);
            for (int s = 0; s < m; s++)
            {
                Unsafe.Add(ref rz, (s * zStride) + j) = bias + Dot(ref Unsafe.Add(ref rx, s * xStride), ref row, k);
            }
        }
    }

    /// <summary>
    /// Adds <c>dw[j, i] += Σ_s dz[s, j] x[s, i]</c> and <c>db[j] += Σ_s dz[s, j]</c> over <paramref name="m"/> samples.
    /// </summary>
    public static void AccumulateWeightGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> x, int xStride, Span<T> dw, Span<T> db, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(x.Length, m, k, xStride, nameof(x));
        CheckLength(dw.Length, n * k, nameof(dw));
        CheckLength(db.Length, n, nameof(db));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rdw = ref MemoryMarshal.GetReference(dw);
        ref T rdb = ref MemoryMarshal.GetReference(db);

        for (int j = 0; j < n; j++)
        {
            T sum = T.Zero;
            for (int s = 0; s < m; s++)
            {
                sum += Unsafe.Add(ref rdz, (s * dzStride) + j);
            }

            Unsafe.Add(ref rdb, j) += sum;
        }

        int width = Vector<T>.Count;
        int j4 = 0;
        for (; j4 + 4 <= n; j4 += 4)
        {
            ref T w0 = ref Unsafe.Add(ref rdw, j4 * k);
            ref T w1 = ref Unsafe.Add(ref w0, k);
            ref T w2 = ref Unsafe.Add(ref w1, k);
            ref T w3 = ref Unsafe.Add(ref w2, k);
            int i = 0;
            for (; i + (2 * width) <= k; i += 2 * width)
            {
                var a00 = Load(ref w0, i); var a01 = Load(ref w0, i + width);
                var a10 = Load(ref w1, i); var a11 = Load(ref w1, i + width);
                var a20 = Load(ref w2, i); var a21 = Load(ref w2, i + width);
                var a30 = Load(ref w3, i); var a31 = Load(ref w3, i + width);
                for (int s = 0; s < m; s++)
                {
                    ref T xs = ref Unsafe.Add(ref rx, s * xStride);
                    var v0 = Load(ref xs, i);
                    var v1 = Load(ref xs, i + width);
                    ref T g = ref Unsafe.Add(ref rdz, (s * dzStride) + j4);
                    var g0 = new Vector<T>(g);
                    a00 = Fma(g0, v0, a00); a01 = Fma(g0, v1, a01);
                    var g1 = new Vector<T>(Unsafe.Add(ref g, 1));
                    a10 = Fma(g1, v0, a10); a11 = Fma(g1, v1, a11);
                    var g2 = new Vector<T>(Unsafe.Add(ref g, 2));
                    a20 = Fma(g2, v0, a20); a21 = Fma(g2, v1, a21);
                    var g3 = new Vector<T>(Unsafe.Add(ref g, 3));
                    a30 = Fma(g3, v0, a30); a31 = Fma(g3, v1, a31);
                }

                Store(a00, ref w0, i); Store(a01, ref w0, i + width);
                Store(a10, ref w1, i); Store(a11, ref w1, i + width);
                Store(a20, ref w2, i); Store(a21, ref w2, i + width);
                Store(a30, ref w3, i); Store(a31, ref w3, i + width);
            }

            for (; i < k; i++)
            {
                for (int s = 0; s < m; s++)
                {
                    T xv = Unsafe.Add(ref rx, (s * xStride) + i);
                    ref T g = ref Unsafe.Add(ref rdz, (s * dzStride) + j4);
                    Unsafe.Add(ref w0, i) += g * xv;
                    Unsafe.Add(ref w1, i) += Unsafe.Add(ref g, 1) * xv;
                    Unsafe.Add(ref w2, i) += Unsafe.Add(ref g, 2) * xv;
                    Unsafe.Add(ref w3, i) += Unsafe.Add(ref g, 3) * xv;
                }
            }
        }

        for (; j4 < n; j4++)
        {
            ref T row = ref Unsafe.Add(ref rdw, j4 * k);
            for (int s = 0; s < m; s++)
            {
                Axpy(Unsafe.Add(ref rdz, (s * dzStride) + j4), ref Unsafe.Add(ref rx, s * xStride), ref row, k);
            }
        }
    }

    /// <summary>
    /// <c>dx[s, i] = Σ_j dz[s, j] w[j, i]</c> (or <c>+=</c> when <paramref name="accumulate"/>) over <paramref name="m"/> samples.
    /// </summary>
    public static void InputGradient<T>(ReadOnlySpan<T> dz, int dzStride, ReadOnlySpan<T> w, Span<T> dx, int dxStride, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatrix(dz.Length, m, n, dzStride, nameof(dz));
        CheckMatrix(dx.Length, m, k, dxStride, nameof(dx));
        CheckLength(w.Length, n * k, nameof(w));
        ref T rdz = ref MemoryMarshal.GetReference(dz);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T rdx = ref MemoryMarshal.GetReference(dx);
        int width = Vector<T>.Count;

        int s = 0;
        for (; s + 4 <= m; s += 4)
        {
            ref T d0 = ref Unsafe.Add(ref rdx, s * dxStride);
            ref T d1 = ref Unsafe.Add(ref d0, dxStride);
            ref T d2 = ref Unsafe.Add(ref d1, dxStride);
            ref T d3 = ref Unsafe.Add(ref d2, dxStride);
            ref T g0 = ref Unsafe.Add(ref rdz, s * dzStride);
            ref T g1 = ref Unsafe.Add(ref g0, dzStride);
            ref T g2 = ref Unsafe.Add(ref g1, dzStride);
            ref T g3 = ref Unsafe.Add(ref g2, dzStride);
            int i = 0;
            for (; i + (2 * width) <= k; i += 2 * width)
            {
                Vector<T> a00, a01, a10, a11, a20, a21, a30, a31;
                if (accumulate)
                {
                    a00 = Load(ref d0, i); a01 = Load(ref d0, i + width);
                    a10 = Load(ref d1, i); a11 = Load(ref d1, i + width);
                    a20 = Load(ref d2, i); a21 = Load(ref d2, i + width);
                    a30 = Load(ref d3, i); a31 = Load(ref d3, i + width);
                }
                else
                {
                    a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = Vector<T>.Zero;
                }

                for (int j = 0; j < n; j++)
                {
                    ref T row = ref Unsafe.Add(ref rw, j * k);
                    var v0 = Load(ref row, i);
                    var v1 = Load(ref row, i + width);
                    var c0 = new Vector<T>(Unsafe.Add(ref g0, j));
                    a00 = Fma(c0, v0, a00); a01 = Fma(c0, v1, a01);
                    var c1 = new Vector<T>(Unsafe.Add(ref g1, j));
                    a10 = Fma(c1, v0, a10); a11 = Fma(c1, v1, a11);
                    var c2 = new Vector<T>(Unsafe.Add(ref g2, j));
                    a20 = Fma(c2, v0, a20); a21 = Fma(c2, v1, a21);
                    var c3 = new Vector<T>(Unsafe.Add(ref g3, j));
                    a30 = Fma(c3, v0, a30); a31 = Fma(c3, v1, a31);
                }

                Store(a00, ref d0, i); Store(a01, ref d0, i + width);
                Store(a10, ref d1, i); Store(a11, ref d1, i + width);
                Store(a20, ref d2, i); Store(a21, ref d2, i + width);
                Store(a30, ref d3, i); Store(a31, ref d3, i + width);
            }

            for (; i < k; i++)
            {
                T s0 = accumulate ? Unsafe.Add(ref d0, i) : T.Zero;
                T s1 = accumulate ? Unsafe.Add(ref d1, i) : T.Zero;
                T s2 = accumulate ? Unsafe.Add(ref d2, i) : T.Zero;
                T s3 = accumulate ? Unsafe.Add(ref d3, i) : T.Zero;
                for (int j = 0; j < n; j++)
                {
                    T wv = Unsafe.Add(ref rw, (j * k) + i);
                    s0 += Unsafe.Add(ref g0, j) * wv;
                    s1 += Unsafe.Add(ref g1, j) * wv;
                    s2 += Unsafe.Add(ref g2, j) * wv;
                    s3 += Unsafe.Add(ref g3, j) * wv;
                }

                Unsafe.Add(ref d0, i) = s0;
                Unsafe.Add(ref d1, i) = s1;
                Unsafe.Add(ref d2, i) = s2;
                Unsafe.Add(ref d3, i) = s3;
            }
        }

        for (; s < m; s++)
        {
            ref T ds = ref Unsafe.Add(ref rdx, s * dxStride);
            if (!accumulate)
            {
                MemoryMarshal.CreateSpan(ref ds, k).Clear();
            }

            ref T gs = ref Unsafe.Add(ref rdz, s * dzStride);
            for (int j = 0; j < n; j++)
            {
                Axpy(Unsafe.Add(ref gs, j), ref Unsafe.Add(ref rw, j * k), ref ds, k);
            }
        }
    }

    /// <summary>
    /// Sixteen dot products at once: samples x, x+xStride, x+2xStride, x+3xStride against rows w, w+k, w+2k,
    /// w+3k. Sixteen accumulators plus the loads fit the 32 vector registers of AVX-512 machines; each
    /// loaded vector feeds four fused multiply-adds.
    /// </summary>
    private static void Dot4x4<T>(ref T x, int xStride, ref T w, int k, out Tile16<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x1 = ref Unsafe.Add(ref x, xStride);
        ref T x2 = ref Unsafe.Add(ref x1, xStride);
        ref T x3 = ref Unsafe.Add(ref x2, xStride);
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        Vector<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector<T> c30 = default, c31 = default, c32 = default, c33 = default;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var v0 = Load(ref w, i);
            var v1 = Load(ref w1, i);
            var v2 = Load(ref w2, i);
            var v3 = Load(ref w3, i);
            var a = Load(ref x, i);
            c00 = Fma(a, v0, c00); c01 = Fma(a, v1, c01); c02 = Fma(a, v2, c02); c03 = Fma(a, v3, c03);
            a = Load(ref x1, i);
            c10 = Fma(a, v0, c10); c11 = Fma(a, v1, c11); c12 = Fma(a, v2, c12); c13 = Fma(a, v3, c13);
            a = Load(ref x2, i);
            c20 = Fma(a, v0, c20); c21 = Fma(a, v1, c21); c22 = Fma(a, v2, c22); c23 = Fma(a, v3, c23);
            a = Load(ref x3, i);
            c30 = Fma(a, v0, c30); c31 = Fma(a, v1, c31); c32 = Fma(a, v2, c32); c33 = Fma(a, v3, c33);
        }

        result = default;
        result[0] = Vector.Sum(c00); result[1] = Vector.Sum(c01); result[2] = Vector.Sum(c02); result[3] = Vector.Sum(c03);
        result[4] = Vector.Sum(c10); result[5] = Vector.Sum(c11); result[6] = Vector.Sum(c12); result[7] = Vector.Sum(c13);
        result[8] = Vector.Sum(c20); result[9] = Vector.Sum(c21); result[10] = Vector.Sum(c22); result[11] = Vector.Sum(c23);
        result[12] = Vector.Sum(c30); result[13] = Vector.Sum(c31); result[14] = Vector.Sum(c32); result[15] = Vector.Sum(c33);
        for (; i < k; i++)
        {
            T v0 = Unsafe.Add(ref w, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
            T a0 = Unsafe.Add(ref x, i), a1 = Unsafe.Add(ref x1, i), a2 = Unsafe.Add(ref x2, i), a3 = Unsafe.Add(ref x3, i);
            result[0] += a0 * v0; result[1] += a0 * v1; result[2] += a0 * v2; result[3] += a0 * v3;
            result[4] += a1 * v0; result[5] += a1 * v1; result[6] += a1 * v2; result[7] += a1 * v3;
            result[8] += a2 * v0; result[9] += a2 * v1; result[10] += a2 * v2; result[11] += a2 * v3;
            result[12] += a3 * v0; result[13] += a3 * v1; result[14] += a3 * v2; result[15] += a3 * v3;
        }
    }

    /// <summary>Eight dot products at once: samples x0, x1 against rows w, w+k, w+2k, w+3k.</summary>
    private static void Dot2x4<T>(ref T x0, ref T x1, ref T w, int k, out Tile8<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var c00 = Vector<T>.Zero; var c01 = Vector<T>.Zero; var c02 = Vector<T>.Zero; var c03 = Vector<T>.Zero;
        var c10 = Vector<T>.Zero; var c11 = Vector<T>.Zero; var c12 = Vector<T>.Zero; var c13 = Vector<T>.Zero;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var a0 = Load(ref x0, i);
            var a1 = Load(ref x1, i);
            var v = Load(ref w, i);
            c00 = Fma(a0, v, c00); c10 = Fma(a1, v, c10);
            v = Load(ref w1, i);
            c01 = Fma(a0, v, c01); c11 = Fma(a1, v, c11);
            v = Load(ref w2, i);
            c02 = Fma(a0, v, c02); c12 = Fma(a1, v, c12);
            v = Load(ref w3, i);
            c03 = Fma(a0, v, c03); c13 = Fma(a1, v, c13);
        }

        result = default;
        result[0] = Vector.Sum(c00); result[1] = Vector.Sum(c01); result[2] = Vector.Sum(c02); result[3] = Vector.Sum(c03);
        result[4] = Vector.Sum(c10); result[5] = Vector.Sum(c11); result[6] = Vector.Sum(c12); result[7] = Vector.Sum(c13);
        for (; i < k; i++)
        {
            T a0 = Unsafe.Add(ref x0, i);
            T a1 = Unsafe.Add(ref x1, i);
            T v0 = Unsafe.Add(ref w, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
            result[0] += a0 * v0; result[1] += a0 * v1; result[2] += a0 * v2; result[3] += a0 * v3;
            result[4] += a1 * v0; result[5] += a1 * v1; result[6] += a1 * v2; result[7] += a1 * v3;
        }
    }

    /// <summary>Four dot products of one sample x against rows w, w+k, w+2k, w+3k.</summary>
    private static void Dot1x4<T>(ref T x, ref T w, int k, out Tile8<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T w1 = ref Unsafe.Add(ref w, k);
        ref T w2 = ref Unsafe.Add(ref w1, k);
        ref T w3 = ref Unsafe.Add(ref w2, k);
        var c0 = Vector<T>.Zero; var c1 = Vector<T>.Zero; var c2 = Vector<T>.Zero; var c3 = Vector<T>.Zero;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            var a = Load(ref x, i);
            c0 = Fma(a, Load(ref w, i), c0);
            c1 = Fma(a, Load(ref w1, i), c1);
            c2 = Fma(a, Load(ref w2, i), c2);
            c3 = Fma(a, Load(ref w3, i), c3);
        }

        result = default;
        result[0] = Vector.Sum(c0); result[1] = Vector.Sum(c1); result[2] = Vector.Sum(c2); result[3] = Vector.Sum(c3);
        for (; i < k; i++)
        {
            T a = Unsafe.Add(ref x, i);
            result[0] += a * Unsafe.Add(ref w, i);
            result[1] += a * Unsafe.Add(ref w1, i);
            result[2] += a * Unsafe.Add(ref w2, i);
            result[3] += a * Unsafe.Add(ref w3, i);
        }
    }

    private static T Dot<T>(ref T a, ref T b, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c0 = Vector<T>.Zero;
        var c1 = Vector<T>.Zero;
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + (2 * width) <= k; i += 2 * width)
        {
            c0 = Fma(Load(ref a, i), Load(ref b, i), c0);
            c1 = Fma(Load(ref a, i + width), Load(ref b, i + width), c1);
        }

        for (; i + width <= k; i += width)
        {
            c0 = Fma(Load(ref a, i), Load(ref b, i), c0);
        }

        T sum = Vector.Sum(c0 + c1);
        for (; i < k; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return sum;
    }

    private static void Axpy<T>(T alpha, ref T x, ref T y, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var va = new Vector<T>(alpha);
        int width = Vector<T>.Count;
        int i = 0;
        for (; i + width <= k; i += width)
        {
            Store(Fma(va, Load(ref x, i), Load(ref y, i)), ref y, i);
        }

        for (; i < k; i++)
        {
            Unsafe.Add(ref y, i) += alpha * Unsafe.Add(ref x, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ref T source, int offset)
        where T : unmanaged => Vector.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> value, ref T destination, int offset)
        where T : unmanaged => Vector.StoreUnsafe(value, ref destination, (nuint)offset);

    /// <summary><c>a * b + c</c>, fused where the hardware has FMA (one rounding, and twice the throughput).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged
    {
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    private static void CheckMatrix(int length, int rows, int columns, int stride, string name)
    {
        if (rows < 0 || columns < 0 || stride < columns)
        {
            throw new ArgumentException($"'{name}': {rows} rows of {columns} with stride {stride} is not a valid layout.", name);
        }

        if (rows > 0 && length < ((long)(rows - 1) * stride) + columns)
        {
            throw new ArgumentException($"'{name}' has {length} elements; {rows} rows of {columns} with stride {stride} need {((long)(rows - 1) * stride) + columns}.", name);
        }
    }

    private static void CheckLength(int length, int required, string name)
    {
        if (length < required)
        {
            throw new ArgumentException($"'{name}' has {length} elements; the layer needs {required}.", name);
        }
    }

    /// <summary>Sixteen results of <see cref="Dot4x4"/>, on the stack.</summary>
    [InlineArray(16)]
    private struct Tile16<T>
    {
        private T _element;
    }

    /// <summary>Eight results of <see cref="Dot2x4"/>, on the stack.</summary>
    [InlineArray(8)]
    private struct Tile8<T>
    {
        private T _element;
    }
}
