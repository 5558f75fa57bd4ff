using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

public class ReportBuilderTests
{
    // Uniform ends at 0.90 and 0.80 (target 0.85); seed 1 reaches it at 15 s, seed 2 never does.
    private static readonly RunResult Uniform1 = MadeUpRuns.Run("uniform", 1, (10, 0.80), (20, 0.90));
    private static readonly RunResult Uniform2 = MadeUpRuns.Run("uniform", 2, (10, 0.70), (20, 0.80));

    [Fact]
    public void DefaultTargetIsUniformsMeanFinalMetricLessTheMargin()
    {
        Assert.Equal(0.85, ReportBuilder.ResolveTarget([Uniform1, Uniform2], given: null, margin: 0), precision: 12);
        Assert.Equal(0.84, ReportBuilder.ResolveTarget([Uniform1, Uniform2], given: null, margin: 0.01), precision: 12);
        Assert.Equal(0.5, ReportBuilder.ResolveTarget([Uniform1, Uniform2], given: 0.5, margin: 0.01));
        Assert.True(double.IsNaN(ReportBuilder.ResolveTarget([MadeUpRuns.Run("autoassist", 1, (1, 0.9))], null, 0)));
    }

    [Fact]
    public void RatiosAreToUniformsMeanOverTheSeedsThatReachedTheTarget()
    {
        // Uniform's reference: seed 1 alone, 15 s and 1,500 rows.
        var autoAssist1 = MadeUpRuns.Run("autoassist", 1, (5, 0.80), (10, 0.90));   // 7.5 s -> 0.5
        var autoAssist2 = MadeUpRuns.Run("autoassist", 2, (3, 0.86), (6, 0.88));    // first point, 3 s -> 0.2
        var summary = ReportBuilder.Build([Uniform1, Uniform2, autoAssist1, autoAssist2], MadeUpRuns.Context());

        Assert.Equal(0.85, summary.Target!.Value, precision: 12);
        var uniform = summary.Methods.Single(m => m.Method == "uniform");
        Assert.Equal(1, uniform.SeedsReachingTarget);
        Assert.Equal(new Spread(1, 1, 1), uniform.TimeToTargetRatio);
        Assert.Null(uniform.PerSeed.Single(s => s.Seed == 2).TimeToTargetRatio);

        var autoAssist = summary.Methods.Single(m => m.Method == "autoassist");
        Assert.Equal(2, autoAssist.SeedsReachingTarget);
        Assert.Equal(0.5, autoAssist.PerSeed[0].TimeToTargetRatio!.Value, precision: 9);
        Assert.Equal(0.2, autoAssist.PerSeed[1].TimeToTargetRatio!.Value, precision: 9);
        Assert.Equal(0.35, autoAssist.TimeToTargetRatio!.Mean, precision: 9);
        Assert.Equal(0.2, autoAssist.TimeToTargetRatio.Min, precision: 9);
        Assert.Equal(0.5, autoAssist.TimeToTargetRatio.Max, precision: 9);
        // Rows grow at 100 per second in every made-up run, so compute ratios equal time ratios here.
        Assert.Equal(0.35, autoAssist.ComputeToTargetRatio!.Mean, precision: 9);
        Assert.Equal(new Spread(0.89, 0.88, 0.90), Round(autoAssist.FinalMetric!));
    }

    [Fact]
    public void AMethodThatNeverReachesTheTargetHasNullRatios()
    {
        var slow = MadeUpRuns.Run("infobatch", 1, (10, 0.5), (20, 0.6));
        var summary = ReportBuilder.Build([Uniform1, Uniform2, slow], MadeUpRuns.Context());
        var infoBatch = summary.Methods.Single(m => m.Method == "infobatch");
        Assert.Equal(0, infoBatch.SeedsReachingTarget);
        Assert.Null(infoBatch.TimeToTargetRatio);
        Assert.Null(infoBatch.ComputeToTargetRatio);
        Assert.Null(infoBatch.PerSeed.Single().TimeToTargetSeconds);
        Assert.Equal(0.6, infoBatch.FinalMetric!.Mean, precision: 12);
    }

    [Fact]
    public void WithoutAUniformCrossingEveryRatioIsNull()
    {
        var fast = MadeUpRuns.Run("autoassist", 1, (1, 0.99));
        var summary = ReportBuilder.Build([Uniform1, fast], MadeUpRuns.Context(target: 0.95));
        Assert.All(summary.Methods, m => Assert.Null(m.TimeToTargetRatio));
        Assert.Equal(1, summary.Methods.Single(m => m.Method == "autoassist").SeedsReachingTarget);
        Assert.Equal("given", summary.TargetSource);
    }

    [Fact]
    public void OverheadIsKeepAllTrainingTimeOverUniformsOfTheSameSeed()
    {
        var keepAll1 = MadeUpRuns.Run("autoassist-keepall", 1, (11, 0.80), (22, 0.90));   // 22 / 20
        var keepAll2 = MadeUpRuns.Run("autoassist-keepall", 2, (12, 0.70), (24, 0.80));   // 24 / 20
        var summary = ReportBuilder.Build([Uniform1, Uniform2, keepAll1, keepAll2], MadeUpRuns.Context());
        var keepAll = summary.Methods.Single(m => m.Method == "autoassist-keepall");
        Assert.Equal(1.15, keepAll.OverheadRatio!.Mean, precision: 9);
        Assert.Equal(1.10, keepAll.OverheadRatio.Min, precision: 9);
        Assert.Equal(1.20, keepAll.OverheadRatio.Max, precision: 9);
        Assert.Null(summary.Methods.Single(m => m.Method == "uniform").OverheadRatio);
        Assert.Equal("1", keepAll.Settings["BaseKeepProbability"]);
    }

    [Fact]
    public void MethodsFollowRunOrderAndThoseWithoutRunsAreLeftOut()
    {
        var lossSampling = MadeUpRuns.Run("loss-sampling", 1, (5, 0.9));
        var summary = ReportBuilder.Build([lossSampling, Uniform1], MadeUpRuns.Context());
        Assert.Equal(["uniform", "loss-sampling"], summary.Methods.Select(m => m.Method));
    }

    [Fact]
    public void EpochStatisticsAreCarriedPerSeedWithNaNAsNull()
    {
        var run = MadeUpRuns.Run("uniform", 1, (1, 0.9)) with
        {
            SelectionEpochs = [new SelectionEpochRecord(0, 1000, 1000, 1, 1000, 1, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0)],
        };
        var seed = ReportBuilder.Build([run], MadeUpRuns.Context()).Methods.Single().PerSeed.Single();
        Assert.Equal([1.0], seed.KeptFractionPerEpoch);
        Assert.Null(seed.SelectionEpochs.Single().Threshold);
        Assert.Null(seed.SelectionEpochs.Single().AssistantAuc);
    }

    [Fact]
    public void RatioIsNullForMissingOrNonPositiveDenominators()
    {
        Assert.Equal(0.5, ReportBuilder.Ratio(1, 2));
        Assert.Null(ReportBuilder.Ratio(null, 2));
        Assert.Null(ReportBuilder.Ratio(1, null));
        Assert.Null(ReportBuilder.Ratio(1, 0));
        Assert.Null(ReportBuilder.Ratio(double.NaN, 2));
    }

    private static Spread Round(Spread s) => new(Math.Round(s.Mean, 9), Math.Round(s.Min, 9), Math.Round(s.Max, 9));
}
