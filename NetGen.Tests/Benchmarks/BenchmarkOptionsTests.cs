using NetGen.Benchmarks;

namespace NetGen.Tests.Benchmarks;

/// <summary>The benchmark commands' options: values as given, fallbacks when absent, and bad values refused by name.</summary>
public sealed class BenchmarkOptionsTests
{
    [Fact]
    public void TextIsTheArgumentAfterTheOptionOrNullWhenAbsent()
    {
        string[] args = ["loop", "--only", "W2 train b1", "--engine", "dynamic"];
        Assert.Equal("W2 train b1", BenchmarkOptions.Text(args, "--only"));
        Assert.Equal("dynamic", BenchmarkOptions.Text(args, "--engine"));
        Assert.Null(BenchmarkOptions.Text(args, "--after"));
    }

    [Fact]
    public void AnOptionWithNothingAfterItIsRefused()
    {
        var error = Assert.Throws<OptionException>(() => BenchmarkOptions.Text(["loop", "--only"], "--only"));
        Assert.Equal("--only needs a value after it.", error.Message);
    }

    [Theory]
    [InlineData(new[] { "race" }, 10)]
    [InlineData(new[] { "race", "--epochs", "3" }, 3)]
    [InlineData(new[] { "race", "--threads", "2", "--epochs", "25" }, 25)]
    public void WholeNumbersAreReadOrFallBack(string[] args, int expected) =>
        Assert.Equal(expected, BenchmarkOptions.WholeNumber(args, "--epochs", "epochs", fallback: 10));

    [Theory]
    [InlineData(new[] { "loop", "--threads" }, "(nothing)")]
    [InlineData(new[] { "loop", "--threads", "0" }, "0")]
    [InlineData(new[] { "loop", "--threads", "-1" }, "-1")]
    [InlineData(new[] { "loop", "--threads", "1.5" }, "1.5")]
    [InlineData(new[] { "loop", "--threads", "abc" }, "abc")]
    [InlineData(new[] { "loop", "--threads", "99999999999" }, "99999999999")]
    public void ABadWholeNumberIsRefusedWithWhatWasGiven(string[] args, string given)
    {
        var error = Assert.Throws<OptionException>(() => BenchmarkOptions.WholeNumber(args, "--threads", "threads", fallback: 1));
        Assert.Equal($"--threads needs a whole number of threads of at least 1, not '{given}'.", error.Message);
    }

    [Fact]
    public void TheMinimumIsTheCallersToChoose()
    {
        Assert.Equal(0, BenchmarkOptions.WholeNumber(["mpi", "--threads", "0"], "--threads", "threads", fallback: 1, minimum: 0));
        Assert.False(BenchmarkOptions.TryWholeNumber(["mpi", "--threads", "0"], "--threads", "threads", fallback: 1, minimum: 1, out int value, out _));
        Assert.Equal(1, value);
    }

    [Theory]
    [InlineData(new[] { "compare" }, 1.5)]
    [InlineData(new[] { "compare", "--seconds", "0.25" }, 0.25)]
    [InlineData(new[] { "compare", "--seconds", "3" }, 3.0)]
    [InlineData(new[] { "compare", "--seconds", "1e1" }, 10.0)]
    public void SecondsAreReadOrFallBack(string[] args, double expected) =>
        Assert.Equal(expected, BenchmarkOptions.Seconds(args, "--seconds", 1.5));

    [Theory]
    [InlineData(new[] { "compare", "--seconds" }, "(nothing)")]
    [InlineData(new[] { "compare", "--seconds", "0" }, "0")]
    [InlineData(new[] { "compare", "--seconds", "-1" }, "-1")]
    [InlineData(new[] { "compare", "--seconds", "x" }, "x")]
    [InlineData(new[] { "compare", "--seconds", "Infinity" }, "Infinity")]
    [InlineData(new[] { "compare", "--seconds", "NaN" }, "NaN")]
    [InlineData(new[] { "compare", "--seconds", "1,5" }, "1,5")]
    public void BadSecondsAreRefusedWithWhatWasGiven(string[] args, string given)
    {
        var error = Assert.Throws<OptionException>(() => BenchmarkOptions.Seconds(args, "--seconds", 1.5));
        Assert.Equal($"--seconds needs a positive number of seconds (such as 1.5), not '{given}'.", error.Message);
    }

    [Fact]
    public void OneOfTakesOnlyTheNamedValues()
    {
        Assert.Equal("generated", BenchmarkOptions.OneOf(["loop"], "--engine", "generated", "generated", "dynamic"));
        Assert.Equal("dynamic", BenchmarkOptions.OneOf(["loop", "--engine", "dynamic"], "--engine", "generated", "generated", "dynamic"));
        var error = Assert.Throws<OptionException>(() => BenchmarkOptions.OneOf(["loop", "--engine", "Dynamic"], "--engine", "generated", "generated", "dynamic"));
        Assert.Equal("--engine needs one of 'generated', 'dynamic', not 'Dynamic'.", error.Message);
    }

    [Fact]
    public void ListsOfWholeNumbersAreReadOrFallBack()
    {
        Assert.Equal([1, 2], BenchmarkOptions.WholeNumberList(["peer"], "--threads", "threads", [1, 2]));
        Assert.Equal([2], BenchmarkOptions.WholeNumberList(["peer", "--threads", "2"], "--threads", "threads", [1, 2]));
        Assert.Equal([1, 2, 4], BenchmarkOptions.WholeNumberList(["peer", "--threads", "1,2,4"], "--threads", "threads", [1]));
    }

    [Theory]
    [InlineData("1,,2")]
    [InlineData("1,0")]
    [InlineData("two")]
    [InlineData("1;2")]
    [InlineData("")]
    public void ABadListIsRefusedWhole(string given)
    {
        var error = Assert.Throws<OptionException>(() => BenchmarkOptions.WholeNumberList(["peer", "--threads", given], "--threads", "threads", [1, 2]));
        Assert.Equal($"--threads needs whole numbers of threads of at least 1, separated by commas (such as 1,2), not '{given}'.", error.Message);
    }
}
