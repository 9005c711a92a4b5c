using System.Runtime.Intrinsics;
using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The dense products split across a kernel team: the same bits as on one thread at every vector width, for W3's and
/// W4's shapes and odd ones (parts of unequal size, a last part with a remainder, both forward paths), and failures
/// on another thread reach the caller.
/// </summary>
public class KernelTeamTests
{
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (64, 128, 784), (64, 10, 128), (256, 512, 784), (256, 512, 512), (256, 10, 512), (128, 256, 784),
        (37, 140, 131), (33, 150, 250), (5, 200, 300), (1, 300, 1000), (100, 130, 200), (31, 300, 130),
    ];

    public static TheoryData<int, int, int, int> WidthsAndShapes() => ProductShapes.AtEveryWidth(s_shapes);

    [Theory]
    [MemberData(nameof(WidthsAndShapes))]
    public void TeamProductsGiveTheBitsOfOneThread(int bits, int m, int n, int k)
    {
        var random = new DeterministicRandom((m * 7919) + (n * 31) + k);
        int xStride = k + 3, zStride = n + 5;
        var x = Fill(random, m * xStride);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var dz = Fill(random, m * zStride);
        var dw = Fill(random, n * k);
        var db = Fill(random, n);
        var dx = Fill(random, m * xStride);

        var z1 = new float[m * zStride];
        var dw1 = dw.ToArray();
        var db1 = db.ToArray();
        var dx1 = dx.ToArray();
        var dxSum1 = dx.ToArray();
        DenseKernels.Forward<float>(bits, x, xStride, w, b, z1, zStride, m, n, k);
        DenseKernels.AccumulateWeightGradient<float>(bits, dz, zStride, x, xStride, dw1, db1, m, n, k);
        DenseKernels.InputGradient<float>(bits, dz, zStride, w, dx1, xStride, m, n, k);
        DenseKernels.InputGradient<float>(bits, dz, zStride, w, dxSum1, xStride, m, n, k, accumulate: true);

        bool large = (long)m * n * k >= DenseKernels.MinTeamProduct;
        foreach (int threads in new[] { 2, 3 })
        {
            using var served = new ServedTeam(threads);
            var z = new float[m * zStride];
            var dwTeam = dw.ToArray();
            var dbTeam = db.ToArray();
            var dxTeam = dx.ToArray();
            var dxSum = dx.ToArray();
            DenseKernels.Forward<float>(bits, x, xStride, w, b, z, zStride, m, n, k, served.Team);
            DenseKernels.AccumulateWeightGradient<float>(bits, dz, zStride, x, xStride, dwTeam, dbTeam, m, n, k, served.Team);
            DenseKernels.InputGradient<float>(bits, dz, zStride, w, dxTeam, xStride, m, n, k, team: served.Team);
            DenseKernels.InputGradient<float>(bits, dz, zStride, w, dxSum, xStride, m, n, k, accumulate: true, team: served.Team);

            Assert.Equal(z1, z);
            Assert.Equal(dw1, dwTeam);
            Assert.Equal(db1, dbTeam);
            Assert.Equal(dx1, dxTeam);
            Assert.Equal(dxSum1, dxSum);

            // Large products really were split (four calls; W3's 10-output layer is too small for a team), except a
            // forward product with fewer than two quanta of W's rows (10 outputs on Wᵀ at 512 bits: one sliver).
            int forwardQuantum = bits switch
            {
                512 => DenseKernels<float, Vector512Ops<float>, Vector512<float>>.ForwardRowQuantum(m, n, k),
                256 => DenseKernels<float, Vector256Ops<float>, Vector256<float>>.ForwardRowQuantum(m, n, k),
                _ => DenseKernels<float, Vector128Ops<float>, Vector128<float>>.ForwardRowQuantum(m, n, k),
            };
            Assert.Equal(large ? (n >= 2 * forwardQuantum ? 4 : 3) : 0, served.Team.SharedProducts);
        }
    }

    [Fact]
    public void ATeamThatIsNotServedRunsEveryPartOnTheCaller()
    {
        AssertForwardWithTeamIsForwardAlone(new KernelTeam(2), seed: 4);
    }

    [Fact]
    public void SharesAreWholeQuantaWithTheRemainderLast()
    {
        Assert.Equal((0, 64), KernelTeam.Share(128, 64, 0, 2));
        Assert.Equal((64, 64), KernelTeam.Share(128, 64, 1, 2));
        Assert.Equal((0, 384), KernelTeam.Share(784, 64, 0, 2));
        Assert.Equal((384, 400), KernelTeam.Share(784, 64, 1, 2));
        Assert.Equal((0, 4), KernelTeam.Share(10, 4, 0, 2));
        Assert.Equal((4, 6), KernelTeam.Share(10, 4, 1, 2));
        Assert.Equal((4, 4), KernelTeam.Share(13, 4, 1, 3));
        Assert.Equal((8, 5), KernelTeam.Share(13, 4, 2, 3));
    }

    [Fact]
    public unsafe void AFailureOnAnotherThreadReachesTheCallerAndTheTeamGoesOn()
    {
        using var served = new ServedTeam(2);
        var job = new KernelTeam.Job { Part = &FailOnPartOne };
        var error = Assert.Throws<InvalidOperationException>(() => served.Team.Run(job, 2));
        Assert.Equal("A kernel team thread failed: part 1 of 2", error.Message);
        Assert.IsType<FormatException>(error.InnerException);

        // The next product runs normally.
        AssertForwardWithTeamIsForwardAlone(served.Team, seed: 5);
        Assert.Equal(2, served.Team.SharedProducts);
    }

    [Fact]
    public unsafe void TheCallersOwnFailureIsRethrownAsItIsAfterTheOtherPartsFinish()
    {
        using var served = new ServedTeam(2);
        var job = new KernelTeam.Job { Part = &FailOnPartZero };
        var error = Assert.Throws<FormatException>(() => served.Team.Run(job, 2));
        Assert.Equal("part 0 of 2", error.Message);
    }

    private static void FailOnPartOne(in KernelTeam.Job job, int part, int parts)
    {
        if (part == 1)
        {
            throw new FormatException($"part {part} of {parts}");
        }
    }

    private static void FailOnPartZero(in KernelTeam.Job job, int part, int parts)
    {
        if (part == 0)
        {
            throw new FormatException($"part {part} of {parts}");
        }
    }

    /// <summary>W3's first layer over 64 samples with <paramref name="team"/> gives the bits of the product without one.</summary>
    private static void AssertForwardWithTeamIsForwardAlone(KernelTeam team, int seed)
    {
        var random = new DeterministicRandom(seed);
        const int m = 64, n = 128, k = 784;
        var x = Fill(random, m * k);
        var w = Fill(random, n * k);
        var b = Fill(random, n);
        var expected = new float[m * n];
        var z = new float[m * n];
        DenseKernels.Forward<float>(x, k, w, b, expected, n, m, n, k);
        DenseKernels.Forward<float>(x, k, w, b, z, n, m, n, k, team);
        Assert.Equal(expected, z);
    }

    private static float[] Fill(DeterministicRandom random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble(-1, 1);
        }

        return values;
    }

    /// <summary>A team whose other threads serve it until disposed (what the gradient engine's workers do during a batch).</summary>
    internal sealed class ServedTeam : IDisposable
    {
        private readonly Thread[] _threads;

        public ServedTeam(int threads)
        {
            Team = new KernelTeam(threads);
            Team.Open();
            _threads = new Thread[threads - 1];
            for (int i = 0; i < _threads.Length; i++)
            {
                int thread = i + 1;
                _threads[i] = new Thread(() => Team.Serve(thread)) { IsBackground = true };
                _threads[i].Start();
            }
        }

        public KernelTeam Team { get; }

        public void Dispose()
        {
            Team.Close();
            foreach (var thread in _threads)
            {
                thread.Join();
            }
        }
    }
}
