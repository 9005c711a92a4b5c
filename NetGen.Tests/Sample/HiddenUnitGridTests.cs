using System.Text.RegularExpressions;
using NetGen.Sample;
using NetGen.Sample.Runs;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Sample;

/// <summary>The README's cross-validation grid is the sample's compiled code, and it runs.</summary>
public class HiddenUnitGridTests
{
    [Fact]
    public void The_README_shows_exactly_the_code_between_the_markers_of_HiddenUnitGrid()
    {
        string root = ExternalProcess.RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "NetGen.Sample", "Runs", "HiddenUnitGrid.cs")).ReplaceLineEndings("\n");
        var regions = Regex.Matches(source, @"// README\.md: begin\n(.*?)\n[ ]*// README\.md: end", RegexOptions.Singleline)
            .Select(m => Dedent(m.Groups[1].Value))
            .ToList();
        Assert.Equal(2, regions.Count);

        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var blocks = Regex.Matches(readme, "```csharp\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).Where(b => b.Contains("CrossValidation.KFold", StringComparison.Ordinal)).ToList();
        Assert.Single(blocks);
        Assert.Equal(string.Join("\n\n", regions), blocks[0]);
    }

    [Fact]
    public void The_grid_cross_validates_three_widths_and_retrains_the_one_with_the_lowest_mean_validation_loss()
    {
        var (allTrain, allTest, _) = SampleData.LoadDigits();
        var train = allTrain.Subset([.. Enumerable.Range(0, 300)]);
        var test = allTest.Subset([.. Enumerable.Range(0, 100)]);

        var result = HiddenUnitGrid.Run(train, test);

        Assert.Equal(["Digits16", "Digits32", "Digits64"], result.Candidates.Select(c => c.Name));
        Assert.All(result.Candidates, c =>
        {
            Assert.Equal(10, c.CrossValidation.Folds.Count);
            Assert.All(c.CrossValidation.Folds, f => Assert.Equal(30, f.Epochs.Count));
            Assert.All(c.CrossValidation.Epochs, e => Assert.Equal(10, e.Folds));
            Assert.Equal(c.CrossValidation.Epochs.MinBy(e => e.MeanValidationLoss)!.Epoch, c.CrossValidation.BestEpochCount);
        });

        var winner = result.Candidates.MinBy(c => c.CrossValidation.Best.MeanValidationLoss);
        Assert.Equal(winner.Name, result.Network.Description.Name);
        Assert.Equal(winner.CrossValidation.BestEpochCount, result.Epochs);
        Assert.Equal(Evaluation.Evaluate(result.Network, test).Accuracy, result.TestAccuracy);
        Assert.InRange(result.TestAccuracy, 0.75, 1.0);
    }

    /// <summary>Removes the indentation every non-empty line shares.</summary>
    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }
}
