using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>Theory data shared by the product tests: every shape at every vector width this machine has.</summary>
internal static class ProductShapes
{
    /// <summary>One row (bits, m, n, k) per width in <see cref="VectorWidth.Available"/> and shape.</summary>
    public static TheoryData<int, int, int, int> AtEveryWidth((int M, int N, int K)[] shapes)
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int bits in VectorWidth.Available)
        {
            foreach (var (m, n, k) in shapes)
            {
                data.Add(bits, m, n, k);
            }
        }

        return data;
    }
}
