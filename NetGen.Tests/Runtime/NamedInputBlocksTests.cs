using NetGen.Tests.Networks;

namespace NetGen.Tests.Runtime;

/// <summary>
/// <see cref="NamedInputBlocks"/>: a dataset of several named feature blocks becomes the input vectors of a network with
/// named inputs, laid out as the generated <c>WriteInputs</c> lays out one sample; every misfit names the block.
/// </summary>
public class NamedInputBlocksTests
{
    private static readonly NetworkDescription Network = TwoInputNetDouble.NetworkDescription; // image (4), meta (2)

    [Fact]
    public void EachSamplesVectorIsItsRowOfEveryBlockInDeclarationOrder()
    {
        // Declared image then meta; the dictionary's order does not matter.
        var blocks = new Dictionary<string, double[]> { ["meta"] = [9, 10, 11, 12], ["image"] = [1, 2, 3, 4, 5, 6, 7, 8] };
        var (features, count) = NamedInputBlocks.Assemble(Network, blocks);
        Assert.Equal(2, count);
        Assert.Equal([1.0, 2, 3, 4, 9, 10, 5, 6, 7, 8, 11, 12], features);

        var written = new double[TwoInputNetDouble.InputSize];
        TwoInputNetDouble.WriteInputs([5, 6, 7, 8], [11, 12], written);
        Assert.Equal(written, features[6..]);
    }

    [Fact]
    public void ADatasetGetsOneHotTargetsFromTheLabels()
    {
        var data = NamedInputBlocks.ToDataset(Network, new Dictionary<string, double[]> { ["image"] = [1, 2, 3, 4], ["meta"] = [5, 6] }, [1], 3);
        Assert.Equal(1, data.Count);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], data.Features(0).ToArray());
        Assert.Equal([0.0, 1, 0], data.Targets(0).ToArray());
        Assert.Equal(1, data.Label(0));

        var error = Assert.Throws<ArgumentException>(() => NamedInputBlocks.ToDataset(Network, new Dictionary<string, double[]> { ["image"] = [1, 2, 3, 4], ["meta"] = [5, 6] }, [1, 2], 3));
        Assert.Equal("labels", error.ParamName);
        Assert.StartsWith("There are 2 labels for the 1 samples the blocks hold.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown", "There is a block 'metadata', but TwoInputNetDouble has no input of that name; its inputs are 'image' (4 values), 'meta' (2 values).")]
    [InlineData("missing", "There is no block for the input 'meta' of TwoInputNetDouble (2 values per sample); its inputs are 'image' (4 values), 'meta' (2 values).")]
    [InlineData("ragged", "Block 'meta' holds 3 values, which is not a whole, positive number of samples of 2 values (the size of TwoInputNetDouble's input 'meta').")]
    [InlineData("empty", "Block 'image' holds 0 values, which is not a whole, positive number of samples of 4 values (the size of TwoInputNetDouble's input 'image').")]
    [InlineData("counts", "Block 'meta' holds 1 samples, but block 'image' holds 2: every block needs one row per sample.")]
    public void ABlockThatDoesNotFitIsNamed(string problem, string message)
    {
        var blocks = problem switch
        {
            "unknown" => new Dictionary<string, double[]> { ["image"] = [1, 2, 3, 4], ["meta"] = [5, 6], ["metadata"] = [7] },
            "missing" => new Dictionary<string, double[]> { ["image"] = [1, 2, 3, 4] },
            "ragged" => new Dictionary<string, double[]> { ["image"] = [1, 2, 3, 4], ["meta"] = [5, 6, 7] },
            "empty" => new Dictionary<string, double[]> { ["image"] = [], ["meta"] = [5, 6] },
            _ => new Dictionary<string, double[]> { ["image"] = [1, 2, 3, 4, 5, 6, 7, 8], ["meta"] = [5, 6] },
        };
        var error = Assert.Throws<ArgumentException>(() => NamedInputBlocks.Assemble(Network, blocks));
        Assert.Equal("blocks", error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANetworkWithOneInputVectorIsSentToTheDatasetConstructor()
    {
        var error = Assert.Throws<ArgumentException>(() => NamedInputBlocks.Assemble(XorNet.NetworkDescription, new Dictionary<string, double[]> { ["x"] = [0, 1] }));
        Assert.Equal("network", error.ParamName);
        Assert.StartsWith("XorNet has no named inputs ([Input]): its input is one vector of 2 values", error.Message, StringComparison.Ordinal);
    }
}
