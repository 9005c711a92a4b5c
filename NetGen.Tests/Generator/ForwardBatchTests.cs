using System.Reflection;
using NetGen.Tests.Infrastructure;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Generator;

/// <summary>
/// Networks run sample by sample compute their forward pass one operation at a time over the whole batch
/// (<c>ForwardBatch</c>): each sample's outputs must still be the ones it gets alone, bit for bit.
/// </summary>
public class ForwardBatchTests
{
    /// <summary>Every float network of the test assembly that the generator emitted sample by sample (it has a <c>BackwardSample</c>).</summary>
    public static TheoryData<string> SampleBySampleNetworks() => new(SampleBySampleTypes().Select(t => t.Name));

    private static IEnumerable<Type> SampleBySampleTypes() =>
        DeclaredNetworks.Where(t => typeof(INetwork<float>).IsAssignableFrom(t) && t.GetMethod("BackwardSample", BindingFlags.NonPublic | BindingFlags.Static) is not null);

    [Fact]
    public void TheCasesIncludeUnrolledVectorDropoutAndGraphNetworks()
    {
        var names = SampleBySampleTypes().Select(t => t.Name).ToList();
        Assert.Equal([nameof(InputDropoutNet), nameof(ResidualNet), nameof(SmallTanhClassifier), nameof(XorNet)], names);
    }

    [Theory]
    [MemberData(nameof(SampleBySampleNetworks))]
    public void EachSampleOfABatchHasTheBitsItHasAlone(string networkName)
    {
        var type = SampleBySampleTypes().Single(t => t.Name == networkName);
        var net = (INetwork<float>)Activator.CreateInstance(type, 3)!;
        const int Batch = 13;
        var random = new DeterministicRandom(5);
        var inputs = Enumerable.Range(0, Batch * net.InputSize).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var outputs = new float[Batch * net.OutputSize];
        net.Forward(inputs, outputs, net.CreateWorkspace(Batch));

        var alone = new float[net.OutputSize];
        for (int s = 0; s < Batch; s++)
        {
            net.Predict(inputs.AsSpan(s * net.InputSize, net.InputSize), alone);
            for (int o = 0; o < net.OutputSize; o++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(alone[o]) == BitConverter.SingleToInt32Bits(outputs[(s * net.OutputSize) + o]),
                    $"{networkName}: sample {s}, output {o}: {outputs[(s * net.OutputSize) + o]:R} in the batch, {alone[o]:R} alone");
            }
        }
    }
}
