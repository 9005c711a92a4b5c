using NetGen.CompilerServices;
using NetGen.Graph;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Runtime;

/// <summary>
/// A workspace (generated code: one array of batchCapacity x SampleStride values, indexed s * SampleStride in int) or a
/// dynamic graph (one array per node of batchCapacity x its width) must fit the largest .NET array,
/// Array.MaxLength = 2,147,483,591 elements; a larger capacity is refused before anything is allocated, naming the limit.
/// </summary>
public class WorkspaceCapacityTests
{
    private static string Message(string text, int actual) =>
        text + " (Parameter 'batchCapacity')" + Environment.NewLine + $"Actual value was {actual}.";

    [Theory]
    [InlineData(178_956_965)] // 12 x 178,956,965 = 2,147,483,580: fits the largest array, not with the 15 floats before its first cache line
    [InlineData(178_956_966)] // 12 x 178,956,966 = 2,147,483,592: one element more than the largest array
    [InlineData(int.MaxValue)] // 12 x int.MaxValue wraps in int arithmetic
    public void AGeneratedNetworkRefusesACapacityBeyondTheLargestArray_AndNamesTheLargestItAllows(int capacity)
    {
        // XorNet's SampleStride is 12 (its snapshot); a workspace's buffer starts on a cache line, so it holds at most
        // 2,147,483,591 - 15 = 2,147,483,576 floats, and 2,147,483,576 / 12 = 178,956,964.7.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new XorNet().CreateWorkspace(capacity));

        Assert.Equal("batchCapacity", error.ParamName);
        Assert.Equal(capacity, error.ActualValue);
        Assert.Equal(
            Message($"'batchCapacity' is {capacity}, but a workspace of this network holds 12 values per sample in one array, which can hold at most 2147483576 (the largest .NET array less the values before its first cache line; its indices are int), so at most 178956964 samples fit. Use a smaller batch, or split it among several workspaces.", capacity),
            error.Message);
    }

    [Theory]
    [InlineData(306_783_371)] // 7 x 306,783,371 = 2,147,483,597 > 2,147,483,591
    [InlineData(int.MaxValue)]
    public void TheDynamicGraphRefusesACapacityItsWidestNodeCannotHold(int capacity)
    {
        // ConcatNetDouble: 3 inputs, h1 4, h2 3, their concatenation 7 (the widest node), 2 outputs; 2,147,483,591 / 7 = 306,783,370.1.
        var network = new DynamicNetwork<double>(ConcatNetDouble.NetworkDescription, seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.CreateWorkspace(capacity));

        Assert.Equal("batchCapacity", error.ParamName);
        Assert.Equal(
            Message($"'batchCapacity' is {capacity}, but the dynamic graph of ConcatNetDouble keeps each node's values for the whole batch in one array and its widest nodes have 7 values per sample; an array holds at most 2147483591 (the largest .NET array), so at most 306783370 samples fit. Use a smaller batch.", capacity),
            error.Message);
    }

    [Fact]
    public void AComputationGraphRefusesANodeItsCapacityCannotHold()
    {
        // 3 x 715,827,864 = 2,147,483,592; 2,147,483,591 / 3 = 715,827,863.7.
        var graph = new ComputationGraph<float>(715_827_864);
        graph.Input("narrow", 2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => graph.Input("x", 3));

        Assert.Equal("batchCapacity", error.ParamName);
        Assert.Equal(
            Message("'batchCapacity' is 715827864, but node 'x' keeps 3 values per sample for the whole batch in one array, which can hold at most 2147483591 (the largest .NET array), so at most 715827863 samples fit. Create the graph with a smaller batch capacity.", 715_827_864),
            error.Message);
    }

    [Fact]
    public void ATrainerRefusesABatchWhoseInputsCannotBeOneArray_BeforeItAllocatesThem()
    {
        // XorNet has 2 inputs; a trainer's copy of a batch starts on a cache line, so it holds at most 2,147,483,576
        // floats, 1,073,741,788 samples of 2.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<float>(new XorNet(), new Sgd<float>(0.1), batchSize: int.MaxValue));

        Assert.Equal("batchSize", error.ParamName);
        Assert.Equal(int.MaxValue, error.ActualValue);
        Assert.Equal(
            "A batch of 2147483647 samples is copied into one array of 2 input values per sample (4294967294 in all), which can hold at most 2147483576 (the largest .NET array less the values before its first cache line), so at most 1073741788 samples fit. Use a smaller batch. (Parameter 'batchSize')" + Environment.NewLine + "Actual value was 2147483647.",
            error.Message);
    }

    [Fact]
    public void ADistributedTrainersShard_IsRefusedInTheSameWords_NamingTheGlobalBatch()
    {
        // 3 x 1,000,000,000 doubles; an aligned double buffer holds at most 2,147,483,584, 715,827,861 samples of 3.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => WorkspaceLimits.BatchBuffer<double>(1_000_000_000, 3, "process's shard", "input", "globalBatchSize", 2_000_000_000));

        Assert.Equal("globalBatchSize", error.ParamName);
        Assert.Equal(2_000_000_000, error.ActualValue);
        Assert.StartsWith("A process's shard of 1000000000 samples is copied into one array of 3 input values per sample (3000000000 in all), which can hold at most 2147483584 (the largest .NET array less the values before its first cache line), so at most 715827861 samples fit. Use a smaller batch.", error.Message, StringComparison.Ordinal);
        Assert.Equal(5 * 3, WorkspaceLimits.BatchBuffer<double>(5, 3, "batch", "input", "batchSize", 5).Length);
    }

    [Fact]
    public void TheLargestBatchIsAsManySamplesAsFitInTheLargestArray()
    {
        Assert.Equal(2_147_483_591, Array.MaxLength);
        Assert.Equal(178_956_965, WorkspaceLimits.LargestBatch(12));
        Assert.Equal(2_147_483_591, WorkspaceLimits.LargestBatch(1));
        Assert.Equal(int.MaxValue, WorkspaceLimits.LargestBatch(0));
        Assert.Equal(178_956_964, WorkspaceLimits.LargestBatch(12, AlignedBuffer<float>.MaxLength));
    }
}
