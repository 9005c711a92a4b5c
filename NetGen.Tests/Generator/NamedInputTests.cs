using NetGen.Tests.Networks;

namespace NetGen.Tests.Generator;

/// <summary>What a network with [Input] attributes gives its users: constants, WriteInputs and the named inputs of its description.</summary>
public class NamedInputTests
{
    [Fact]
    public void TheInputVectorIsTheNamedInputsSideBySideInDeclarationOrder()
    {
        Assert.Equal((0, 4, 4, 2, 6), (TwoInputNetDouble.ImageInputOffset, TwoInputNetDouble.ImageInputSize,
            TwoInputNetDouble.MetaInputOffset, TwoInputNetDouble.MetaInputSize, TwoInputNetDouble.InputSize));
        Assert.Equal(
            [new NamedInput("image", 0, 4, 1), new NamedInput("meta", 4, 2, 2)],
            TwoInputNetDouble.NetworkDescription.NamedInputs);
        Assert.Empty(XorNet.NetworkDescription.NamedInputs);
    }

    [Fact]
    public void WriteInputsCopiesEachBlockToItsOffset()
    {
        var vector = new double[TwoInputNetDouble.InputSize];
        TwoInputNetDouble.WriteInputs([1, 2, 3, 4], [5, 6], vector);
        Assert.Equal([1, 2, 3, 4, 5, 6], vector);
    }

    [Fact]
    public void WriteInputsNamesTheSpanOfTheWrongLength()
    {
        var vector = new double[TwoInputNetDouble.InputSize];
        var error = Assert.Throws<ArgumentException>(() => TwoInputNetDouble.WriteInputs([1, 2, 3, 4], [5], vector));
        Assert.Equal("meta", error.ParamName);
        Assert.StartsWith("'meta' has 1 values; TwoInputNetDouble takes 2.", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => TwoInputNetDouble.WriteInputs([1, 2, 3, 4], [5, 6], new double[5]));
        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public void TheDescriptionCallsEachInputByItsName() =>
        Assert.Equal("1: Input 'image', 4 of the 6 inputs", TwoInputNetDouble.NetworkDescription.Layers[0].ToString());

    [Fact]
    public void ADescriptionWhoseNamedInputsDoNotCoverTheInputVectorIsRejected()
    {
        var layers = TwoInputNetDouble.NetworkDescription.Layers;
        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription("Short", 7, Loss.SquaredError, Precision.Double,
            layers.Select(l => l with { InputSize = l.Kind == LayerKind.Input ? 7 : l.InputSize })));
        Assert.Equal("The named inputs hold 6 values side by side, but the network has 7 inputs. (Parameter 'layers')", error.Message);
    }
}
