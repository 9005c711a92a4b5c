namespace NetGen.Tests.Runtime;

/// <summary>
/// A description's tensors must sit where the parameter layout rule the generator also compiles
/// (NetGen.Runtime/Shared/SharedRules.cs) puts them: per dense layer W [units x fanIn] then b [units], per layer
/// norm γ [1 x size] then β [size], in layer order, with nothing in between.
/// </summary>
public class NetworkDescriptionTests
{
    private static readonly LayerDescription s_dense = new(1, LayerKind.Dense, 2, 3, Activation.Tanh, new("W1", 0, 3, 2), new("b1", 6, 1, 3));

    [Fact]
    public void TheLayoutRuleGivesEveryTensorItsOffsetAndTheCount()
    {
        var description = new NetworkDescription("Net", 2, Loss.SquaredError, Precision.Double,
        [
            s_dense,
            new(2, LayerKind.LayerNorm, 3, 3, Activation.Identity, new("gamma2", 9, 1, 3), new("beta2", 12, 1, 3)),
            new(3, LayerKind.Dropout, 3, 3, Activation.Identity, null, null, 0.5),
            new(4, LayerKind.Dense, 3, 1, Activation.Identity, new("W4", 15, 1, 3), new("b4", 18, 1, 1)),
        ]);

        Assert.Equal(19, description.ParameterCount);
        Assert.Equal([0, 6, 9, 12, 15, 18], description.Tensors.Select(t => t.Offset));
    }

    [Fact]
    public void ATransposedWeightMatrixIsRejectedWithWhereTheLayoutPutsIt()
    {
        var transposed = s_dense with { Weights = new ParameterTensor("W1", 0, 2, 3) };
        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription("Net", 2, Loss.SquaredError, Precision.Double, [transposed]));
        Assert.Equal("Tensor W1 (weight matrix of layer 1, Dense) is [2x3] at 0; the parameter layout puts a [3x2] tensor at 0. (Parameter 'layers')", error.Message);
    }

    [Fact]
    public void ABiasAwayFromItsOffsetIsRejected()
    {
        var gap = s_dense with { Bias = new ParameterTensor("b1", 7, 1, 3) };
        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription("Net", 2, Loss.SquaredError, Precision.Double, [gap]));
        Assert.Equal("Tensor b1 (bias of layer 1, Dense) is [1x3] at 7; the parameter layout puts a [1x3] tensor at 6. (Parameter 'layers')", error.Message);
    }

    [Fact]
    public void ADenseLayerWithoutWeightsAndADropoutWithTensorsAreRejected()
    {
        var missing = Assert.Throws<ArgumentException>(() => new NetworkDescription("Net", 2, Loss.SquaredError, Precision.Double, [s_dense with { Weights = null }]));
        Assert.Equal("Layer 1 (Dense) needs its weight matrix tensor. (Parameter 'layers')", missing.Message);

        var dropout = new LayerDescription(2, LayerKind.Dropout, 3, 3, Activation.Identity, new("W2", 9, 3, 3), null, 0.5);
        var extra = Assert.Throws<ArgumentException>(() => new NetworkDescription("Net", 2, Loss.SquaredError, Precision.Double, [s_dense, dropout]));
        Assert.Equal("Layer 2 (Dropout) has no parameters, but its description gives it tensors. (Parameter 'layers')", extra.Message);
    }

    [Fact]
    public void AValueOutsideLayerKindIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription("Net", 2, Loss.SquaredError, Precision.Double, [s_dense with { Kind = (LayerKind)42 }]));
        Assert.Equal("Layer 1 has kind 42, which is not a LayerKind. (Parameter 'layers')", error.Message);
    }
}
