using NetGen.Tests.Networks;

namespace NetGen.Tests.Generator;

/// <summary>The computation graph each generated network describes in Graphviz DOT.</summary>
public class GraphDotTests
{
    [Fact]
    public void XorGraphShowsTheForwardPassAndEveryBackwardStep()
    {
        string dot = XorNet.ComputationGraphDot;
        Assert.StartsWith("digraph XorNet {\n", dot, StringComparison.Ordinal);
        Assert.EndsWith("}\n", dot, StringComparison.Ordinal);
        Assert.Contains("z1 [shape=ellipse, label=\"z1 = W1 · x + b1 [2]\"];", dot, StringComparison.Ordinal);
        Assert.Contains("x -> z1; W1 -> z1; b1 -> z1;", dot, StringComparison.Ordinal);
        Assert.Contains("a2 [shape=ellipse, label=\"a2 = sigmoid(z2) [1], prediction\"];", dot, StringComparison.Ordinal);
        Assert.Contains("L -> a2 [style=dashed, color=firebrick, fontcolor=firebrick, label=\"dL/da2 = a2 - t\"];", dot, StringComparison.Ordinal);
        Assert.Contains("a1 -> z1 [style=dashed, color=firebrick, fontcolor=firebrick, label=\"dL/dz1 = dL/da1 * a1 * (1 - a1)\"];", dot, StringComparison.Ordinal);
        Assert.Contains("z1 -> W1 [style=dashed, color=firebrick, fontcolor=firebrick, label=\"dL/dW1 += dL/dz1 · xᵀ\"];", dot, StringComparison.Ordinal);

        // One dashed edge per backward step: the loss, and for each of the two layers activation, bias and weights,
        // plus dL/da1 through W2 (the input x needs no gradient).
        Assert.Equal(8, dot.Split('\n').Count(l => l.Contains("style=dashed", StringComparison.Ordinal)));
    }

    [Fact]
    public void FusedCrossEntropyStartsAtTheLogits()
    {
        string dot = DigitsNet.ComputationGraphDot;
        Assert.Contains("p [shape=ellipse, label=\"p = softmax(z2) [10], prediction\"];", dot, StringComparison.Ordinal);
        Assert.Contains("L -> z2 [", dot, StringComparison.Ordinal);
        Assert.DoesNotContain("-> p [style=dashed", dot, StringComparison.Ordinal);
    }
}
