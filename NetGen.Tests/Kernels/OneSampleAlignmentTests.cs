using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// One sample through a layer (a prediction) reads W's rows a cache line at a time when they do not start on one (512-bit
/// floats, inputs a multiple of 16), putting each vector together from two lines: the result must not depend on where the
/// weights sit in memory, and must be the bits of the dot-product tiles of a small batch, as with any other layout.
/// </summary>
public class OneSampleAlignmentTests
{
    public static TheoryData<int> Widths() => [.. VectorWidth.Available];

    [Theory]
    [MemberData(nameof(Widths))]
    public void OneSamplesOutputs_AreTheBitsOfASmallBatch_AtEveryPlaceOfTheWeightsInACacheLine(int bits)
    {
        // W3's two layers, a small one with inputs a multiple of 16, and an odd one (the general loop).
        foreach (var (n, k) in new[] { (128, 784), (10, 128), (16, 32), (13, 37) })
        {
            var random = new DeterministicRandom((n * 1000) + k);
            var w = Floats(random, n * k);
            var b = Floats(random, n);
            const int batch = 31;
            var x = Floats(random, batch * k);
            var z = new float[batch * n];
            DenseKernels.Forward<float>(bits, x, k, w, b, z, n, batch, n, k);

            // Sixteen floats span a cache line: the weights at each offset in a larger buffer start at each place in a line.
            var shifted = new float[(n * k) + 16];
            for (int offset = 0; offset < 16; offset++)
            {
                Array.Fill(shifted, float.NaN);
                w.CopyTo(shifted, offset);
                for (int s = 0; s < batch; s += 10)
                {
                    var alone = new float[n];
                    DenseKernels.Forward<float>(bits, x.AsSpan(s * k, k), k, shifted.AsSpan(offset, n * k), b, alone, n, 1, n, k);
                    Assert.Equal(z.AsSpan(s * n, n).ToArray(), alone);
                }
            }
        }
    }

    private static float[] Floats(DeterministicRandom random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
}
