using Xunit;

namespace NetGen.Tests.Runtime;

/// <summary>
/// Schedule values at a few epochs, computed by hand from each schedule's formula (epochs are 0-based); the two
/// cosine values at epochs 1 and 3 are 0.1 + (1 + cos(π/4)) / 2 and 0.1 + (1 + cos(3π/4)) / 2, evaluated with python3.
/// </summary>
public class LearningRateScheduleTests
{
    private const double Tolerance = 1e-15;

    private static void AssertRates(LearningRateSchedule schedule, double baseRate, params (int Epoch, double Rate)[] expected)
    {
        foreach (var (epoch, rate) in expected)
        {
            Assert.Equal(rate, schedule.GetLearningRate(baseRate, epoch), Tolerance);
        }
    }

    [Fact]
    public void Constant_IsTheBaseRate() =>
        AssertRates(LearningRateSchedule.Constant(), 0.1, (0, 0.1), (5, 0.1), (1000, 0.1));

    [Fact]
    public void Step_DropsByTheFactorEveryKEpochs() =>
        AssertRates(LearningRateSchedule.Step(stepEpochs: 3, factor: 0.5), 0.1, (0, 0.1), (2, 0.1), (3, 0.05), (5, 0.05), (6, 0.025), (9, 0.0125));

    [Fact]
    public void Exponential_MultipliesByGammaEveryEpoch()
    {
        AssertRates(LearningRateSchedule.Exponential(0.5), 0.8, (0, 0.8), (1, 0.4), (2, 0.2), (3, 0.1));
        AssertRates(LearningRateSchedule.Exponential(0.9), 1.0, (2, 0.81));
    }

    [Fact]
    public void Cosine_AnnealsToTheMinimum_AndStaysThere() =>
        AssertRates(LearningRateSchedule.Cosine(epochs: 4, minimumLearningRate: 0.1), 1.1,
            (0, 1.1), (1, 0.9535533905932737), (2, 0.6), (3, 0.24644660940672627), (4, 0.1), (10, 0.1));

    [Fact]
    public void WarmUp_RisesLinearly_ThenFollowsTheShiftedInnerSchedule()
    {
        AssertRates(LearningRateSchedule.Constant().WithWarmUp(3), 0.4, (0, 0.1), (1, 0.2), (2, 0.3), (3, 0.4), (10, 0.4));

        // After 2 warm-up epochs, Step(2, 0.1) starts at its own epoch 0.
        AssertRates(LearningRateSchedule.Step(2, 0.1).WithWarmUp(2), 0.3, (0, 0.1), (1, 0.2), (2, 0.3), (3, 0.3), (4, 0.03), (6, 0.003));
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        Assert.Equal("stepEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(1, 1.5)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(double.NaN)).ParamName);
        Assert.Equal("epochs", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0)).ParamName);
        Assert.Equal("minimumLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(5, -1)).ParamName);
        Assert.Equal("warmUpEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant().WithWarmUp(0)).ParamName);
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant().GetLearningRate(0.1, -1)).ParamName);
        Assert.Equal("baseLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant().GetLearningRate(-0.1, 0)).ParamName);
        Assert.Throws<InvalidOperationException>(() => new NegativeSchedule().GetLearningRate(0.1, 0));
    }

    private sealed class NegativeSchedule : LearningRateSchedule
    {
        protected override double Compute(double baseLearningRate, int epoch) => -baseLearningRate;
    }
}
