using Xunit;

namespace NetGen.Tests.Runtime;

public class DatasetTests
{
    /// <summary>100 samples whose single feature is the sample's index; 70 of class 0, then 30 of class 1.</summary>
    private static Dataset<double> IndexedSamples()
    {
        var features = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var labels = Enumerable.Range(0, 100).Select(i => i < 70 ? 0 : 1).ToArray();
        return Dataset<double>.FromLabels(features, 1, labels, 2);
    }

    [Fact]
    public void FromLabels_MakesOneHotTargets()
    {
        var data = Dataset<float>.FromLabels([1, 2, 3, 4, 5, 6], 2, [2, 0, 1], 3);
        Assert.Equal(3, data.Count);
        Assert.Equal(3, data.TargetCount);
        Assert.Equal([3f, 4f], data.Features(1).ToArray());
        Assert.Equal([0f, 0f, 1f], data.Targets(0).ToArray());
        Assert.Equal([1f, 0f, 0f], data.Targets(1).ToArray());
        Assert.Equal(1, data.Label(2));
    }

    [Fact]
    public void Constructor_RejectsInconsistentLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset<double>(new double[6], 2, new double[4], 1));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("3 samples", error.Message);

        error = Assert.Throws<ArgumentException>(() => Dataset<double>.FromLabels(new double[4], 2, [0, 3], 3));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains("Label 3 of sample 1", error.Message);
    }

    [Fact]
    public void Split_PartitionsTheSamples()
    {
        var (train, test) = IndexedSamples().Split(0.25, seed: 3);
        Assert.Equal(75, train.Count);
        Assert.Equal(25, test.Count);

        var all = train.AllFeatures.ToArray().Concat(test.AllFeatures.ToArray()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double)i), all);

        // Labels and targets travel with their samples.
        for (int i = 0; i < test.Count; i++)
        {
            Assert.Equal(test.Features(i)[0] < 70 ? 0 : 1, test.Label(i));
            Assert.Equal(1.0, test.Targets(i)[test.Label(i)]);
        }
    }

    [Fact]
    public void Split_IsDeterminedByTheSeed()
    {
        var data = IndexedSamples();
        Assert.Equal(data.Split(0.2, seed: 5).Test.AllFeatures.ToArray(), data.Split(0.2, seed: 5).Test.AllFeatures.ToArray());
        Assert.NotEqual(data.Split(0.2, seed: 5).Test.AllFeatures.ToArray(), data.Split(0.2, seed: 6).Test.AllFeatures.ToArray());
    }

    [Theory]
    [InlineData(0.2, 14, 6)]   // exact quotas 14 and 6
    [InlineData(0.25, 18, 7)]  // quotas 17.5 and 7.5: the tie goes to class 0, giving 25 in all
    public void Split_Stratified_KeepsTheClassShares(double fraction, int expectedClass0, int expectedClass1)
    {
        var (train, test) = IndexedSamples().Split(fraction, seed: 11, stratify: true);
        int testClass1 = Enumerable.Range(0, test.Count).Count(i => test.Label(i) == 1);
        Assert.Equal(expectedClass0, test.Count - testClass1);
        Assert.Equal(expectedClass1, testClass1);
        Assert.Equal(30 - expectedClass1, Enumerable.Range(0, train.Count).Count(i => train.Label(i) == 1));
    }

    [Fact]
    public void Split_RejectsBadFractions()
    {
        var data = IndexedSamples();
        Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(1.0, 1)).ParamName);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(0.001, 1));
        Assert.Contains("test set empty", error.Message);
        var unlabeled = new Dataset<double>(new double[10], 1, new double[10], 1);
        Assert.Throws<InvalidOperationException>(() => unlabeled.Split(0.5, 1, stratify: true));
    }

    [Fact]
    public void Standardizer_CentersAndScalesWithThePopulationDeviation()
    {
        // Column 1: 1, 2, 3, 4 (mean 2.5, population std sqrt(1.25)); column 2 constant 5 (std replaced by 1).
        // Reference values: python3 math.
        var train = new Dataset<double>([1, 5, 2, 5, 3, 5, 4, 5], 2, new double[4], 1);
        var standardizer = Standardizer<double>.Fit(train);
        Assert.Equal([2.5, 5], standardizer.Mean.ToArray());
        Assert.Equal(1.118033988749895, standardizer.StandardDeviation[0], 1e-15);
        Assert.Equal(1.0, standardizer.StandardDeviation[1]);

        standardizer.Transform(train);
        Assert.Equal(-1.3416407864998738, train.Features(0)[0], 1e-15);
        Assert.Equal(0.4472135954999579, train.Features(2)[0], 1e-15);
        Assert.Equal(0.0, train.Features(3)[1]);

        // Applied to other data with the training statistics.
        double[] other = [10, 7];
        standardizer.Transform(other);
        Assert.Equal(6.7082039324993685, other[0], 1e-14);
        Assert.Equal(2.0, other[1]);
    }

    [Fact]
    public void MinMaxScaler_MapsTheFittedRangeToTheUnitInterval()
    {
        var train = new Dataset<float>([1, 3, 2, 3, 5, 3], 2, new float[3], 1);
        var scaler = MinMaxScaler<float>.Fit(train);
        scaler.Transform(train);
        Assert.Equal([0f, 0.25f, 1f], new[] { train.Features(0)[0], train.Features(1)[0], train.Features(2)[0] });
        Assert.Equal(0f, train.Features(1)[1]);

        float[] sample = [9, 3];
        scaler.Transform(sample);
        Assert.Equal([2f, 0f], sample);
        scaler.InverseTransform(sample);
        Assert.Equal([9f, 3f], sample);
    }

    [Fact]
    public void Scalers_RejectAMismatchedFeatureCount()
    {
        var scaler = Standardizer<double>.Fit([1, 2, 3, 4], 2);
        var error = Assert.Throws<ArgumentException>(() => scaler.Transform(new Dataset<double>(new double[3], 3, new double[1], 1)));
        Assert.Equal("dataset", error.ParamName);
        Assert.Contains("3 features", error.Message);
    }
}
