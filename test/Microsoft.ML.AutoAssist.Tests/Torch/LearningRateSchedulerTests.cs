using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

public class LearningRateSchedulerTests
{
    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(0.5, 0.1)]
    [InlineData(1.0, 0.1)]
    public void ConstantStaysAtTheBaseRate(double progress, double expected)
    {
        var scheduler = new LearningRateScheduler(0.1, LearningRateSchedule.Constant);
        Assert.Equal(expected, scheduler.LearningRateAt(progress), 12);
    }

    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(0.25, 0.001 + 0.099 * 0.8535533905932737)]  // (1 + cos(pi/4)) / 2
    [InlineData(0.5, 0.0505)]
    [InlineData(1.0, 0.001)]
    [InlineData(1.5, 0.001)]   // progress is clamped
    [InlineData(-0.1, 0.1)]
    public void CosineFallsToTheMinimum(double progress, double expected)
    {
        var scheduler = new LearningRateScheduler(0.1, LearningRateSchedule.Cosine, minLearningRate: 0.001);
        Assert.Equal(expected, scheduler.LearningRateAt(progress), 12);
    }

    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(0.4999, 0.1)]
    [InlineData(0.5, 0.01)]
    [InlineData(0.7, 0.01)]
    [InlineData(0.75, 0.001)]
    [InlineData(1.0, 0.001)]
    public void StepDecayDropsByGammaAtTheDefaultMilestones(double progress, double expected)
    {
        var scheduler = new LearningRateScheduler(0.1, LearningRateSchedule.StepDecay);
        Assert.Equal(expected, scheduler.LearningRateAt(progress), 12);
    }

    [Fact]
    public void StepDecayTakesCustomMilestonesAndGamma()
    {
        var scheduler = new LearningRateScheduler(1.0, LearningRateSchedule.StepDecay, milestones: [0.3], gamma: 0.5);
        Assert.Equal(1.0, scheduler.LearningRateAt(0.29), 12);
        Assert.Equal(0.5, scheduler.LearningRateAt(0.3), 12);
        Assert.Equal(0.5, scheduler.LearningRateAt(1.0), 12);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.05, 0.05)]
    [InlineData(0.1, 0.1)]    // end of warm-up: the cosine starts at the base rate
    [InlineData(0.55, 0.05)]  // half-way through the post-warm-up part
    [InlineData(1.0, 0.0)]
    public void WarmupRisesLinearlyThenTheScheduleRunsOverTheRest(double progress, double expected)
    {
        var scheduler = new LearningRateScheduler(0.1, LearningRateSchedule.Cosine, warmupFraction: 0.1);
        Assert.Equal(expected, scheduler.LearningRateAt(progress), 12);
    }

    [Fact]
    public void WarmupRescalesStepMilestonesToThePostWarmupPart()
    {
        var scheduler = new LearningRateScheduler(0.1, LearningRateSchedule.StepDecay, warmupFraction: 0.2);
        Assert.Equal(0.05, scheduler.LearningRateAt(0.1), 12);
        Assert.Equal(0.1, scheduler.LearningRateAt(0.59), 12);   // q = 0.4875
        Assert.Equal(0.01, scheduler.LearningRateAt(0.61), 12);  // q = 0.5125
        Assert.Equal(0.001, scheduler.LearningRateAt(0.81), 12); // q = 0.7625
    }

    [Fact]
    public void ApplySetsEveryParameterGroupAndTheOptimizerUsesIt()
    {
        using var weight = new TorchSharp.Modules.Parameter(torch.ones(3));
        using var optimizer = torch.optim.SGD([weight], 1.0);
        var scheduler = new LearningRateScheduler(0.2, LearningRateSchedule.StepDecay, milestones: [0.5], gamma: 0.5);

        double lr = scheduler.Apply(optimizer, 0.75);

        Assert.Equal(0.1, lr, 12);
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(0.1, g.LearningRate, 12));
        using (var scope = torch.NewDisposeScope())
        {
            optimizer.zero_grad();
            weight.sum().backward();   // gradient 1 everywhere
            optimizer.step();
        }
        Assert.Equal(0.9f, weight[0].item<float>(), 6);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(0, LearningRateSchedule.Constant));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(double.NaN, LearningRateSchedule.Constant));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(0.1, LearningRateSchedule.Cosine, warmupFraction: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(0.1, LearningRateSchedule.Cosine, minLearningRate: 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(0.1, LearningRateSchedule.StepDecay, gamma: 0));
        Assert.Throws<ArgumentException>(() => new LearningRateScheduler(0.1, LearningRateSchedule.StepDecay, milestones: [0.75, 0.5]));
        Assert.Throws<ArgumentException>(() => new LearningRateScheduler(0.1, LearningRateSchedule.StepDecay, milestones: [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(0.1, (LearningRateSchedule)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(0.1, LearningRateSchedule.Constant).LearningRateAt(double.NaN));
    }

    [Theory]
    [InlineData(0.05, 0.5)]    // half-way through the warm-up
    [InlineData(0.1, 1.0)]     // the peak at the end of the warm-up
    [InlineData(0.4, 0.5)]     // sqrt(0.1 / 0.4)
    [InlineData(1.0, 0.316227766016838)] // sqrt(0.1)
    public void InverseSquareRootWarmsUpThenDecaysWithRawProgress(double progress, double expected)
    {
        var scheduler = new LearningRateScheduler(1.0, LearningRateSchedule.InverseSquareRoot, warmupFraction: 0.1);
        Assert.Equal(expected, scheduler.LearningRateAt(progress), 12);
    }

    [Fact]
    public void InverseSquareRootNeedsAWarmup()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateScheduler(1.0, LearningRateSchedule.InverseSquareRoot));
        var options = new TranslationTrainerOptions { TokenizerModelPath = "x.model", WarmupFraction = 0 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.Contains("TranslationTrainerOptions.WarmupFraction must be above 0 for the InverseSquareRoot schedule", error.Message);
    }
}
