using NetGen.Graph;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Generator;

/// <summary>The generated layer norm against its definition and against the dynamic graph's.</summary>
public class LayerNormTests
{
    [Fact]
    public void TheGainStartsAtOneTheBiasAtZeroAndTheDynamicNetworkStartsTheSame()
    {
        var generated = new NormNetDouble(seed: 5);
        var gain = generated.Description.Tensors.Single(t => t.Name == "gamma1");
        var bias = generated.Description.Tensors.Single(t => t.Name == "beta1");
        Assert.All(gain.Slice((ReadOnlySpan<double>)generated.Parameters).ToArray(), g => Assert.Equal(1.0, g));
        Assert.All(bias.Slice((ReadOnlySpan<double>)generated.Parameters).ToArray(), b => Assert.Equal(0.0, b));
        var dynamic = new DynamicNetwork<double>(NormNetDouble.NetworkDescription, seed: 5);
        Assert.Equal(generated.Parameters.ToArray(), dynamic.Parameters.ToArray());
    }

    [Fact]
    public void TheNormalizedValuesHaveMeanZeroAndVarianceOneBeforeTheGainAndBias()
    {
        // With γ = 1 and β = 0 the layer norm's output is x̂ itself: mean 0 and (biased) variance σ² / (σ² + ε).
        var net = new NormNetDouble(seed: 2);
        double[] input = [0.5, -1, 2];
        var description = NormNetDouble.NetworkDescription;
        var w = description.Layers[0].Weights!.Value;
        var b = description.Layers[0].Bias!.Value;
        var p = net.Parameters;
        var z = new double[4];
        for (int j = 0; j < 4; j++)
        {
            z[j] = p[b.Offset + j];
            for (int i = 0; i < 3; i++)
            {
                z[j] += p[w.Offset + (j * 3) + i] * input[i];
            }

            z[j] = Math.Tanh(z[j]);
        }

        double mean = z.Average();
        double variance = z.Select(v => (v - mean) * (v - mean)).Average();
        var expected = z.Select(v => (v - mean) / Math.Sqrt(variance + LayerDescription.LayerNormEpsilon)).ToArray();
        Assert.Equal(0, expected.Average(), 1e-15);

        // The prediction is W2 · n1 + b2: recompute it from the expected n1.
        var w2 = description.Layers[2].Weights!.Value;
        var b2 = description.Layers[2].Bias!.Value;
        var output = new double[NormNetDouble.OutputSize];
        net.Predict(input, output);
        for (int k = 0; k < output.Length; k++)
        {
            double want = p[b2.Offset + k];
            for (int j = 0; j < 4; j++)
            {
                want += p[w2.Offset + (k * 4) + j] * expected[j];
            }

            Assert.Equal(want, output[k], 1e-14);
        }
    }
}
