using NetGen.Benchmarks;

namespace NetGen.Tests.Benchmarks;

/// <summary>`compare --rounds N`: reading the option and the medians its table is built from.</summary>
public sealed class CompareRoundsTests
{
    [Theory]
    [InlineData(new[] { "compare" }, 1)]
    [InlineData(new[] { "compare", "--rounds", "3" }, 3)]
    [InlineData(new[] { "compare", "--seconds", "0.5", "--rounds", "1" }, 1)]
    public void RoundsAreOneUnlessTheOptionSaysOtherwise(string[] args, int expected)
    {
        Assert.True(CompareRounds.TryParse(args, out int rounds, out string error));
        Assert.Equal(expected, rounds);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData(new[] { "compare", "--rounds" }, "(nothing)")]
    [InlineData(new[] { "compare", "--rounds", "0" }, "0")]
    [InlineData(new[] { "compare", "--rounds", "-2" }, "-2")]
    [InlineData(new[] { "compare", "--rounds", "2.5" }, "2.5")]
    [InlineData(new[] { "compare", "--rounds", "three" }, "three")]
    public void ABadRoundCountIsRefusedWithWhatWasGiven(string[] args, string given)
    {
        Assert.False(CompareRounds.TryParse(args, out _, out string error));
        Assert.Equal($"--rounds needs a whole number of rounds of at least 1, not '{given}'.", error);
    }

    [Fact]
    public void TheMedianIsTheMiddleRoundOrTheMeanOfTheMiddleTwo()
    {
        var rounds = new[]
        {
            new Dictionary<string, double> { ["W1"] = 9.0, ["W2"] = 4.0 },
            new Dictionary<string, double> { ["W1"] = 7.0, ["W2"] = 1.0, ["W3"] = 5.0 },
            new Dictionary<string, double> { ["W1"] = 8.5, ["W3"] = 6.0 },
        };

        var medians = CompareRounds.Medians(rounds);

        // W1 from three rounds (7, 8.5, 9); W2 and W3 each from the two rounds that have them.
        Assert.Equal(["W1", "W2", "W3"], medians.Keys);
        Assert.Equal(8.5, medians["W1"]);
        Assert.Equal(2.5, medians["W2"]);
        Assert.Equal(5.5, medians["W3"]);
    }

    [Fact]
    public void OneRoundIsItsOwnMedian()
    {
        var round = new Dictionary<(string, int), double> { [("W4 train b256", 2)] = 55_884.0 };

        Assert.Equal(round, CompareRounds.Medians([round]));
    }
}
