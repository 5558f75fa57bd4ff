using AutoAssist.Harness.Reporting;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

public class TargetCrossingTests
{
    [Fact]
    public void CrossingIsInterpolatedBetweenTheMeasurementsAroundIt()
    {
        // 0.80 at 10 s, 0.90 at 20 s: 0.85 is reached half-way, at 15 s and 1,500 rows.
        var run = MadeUpRuns.Run("uniform", 1, (10, 0.80), (20, 0.90), (30, 0.95));
        var crossing = TargetCrossing.Find(run.Curve, 0.85);
        Assert.NotNull(crossing);
        Assert.Equal(15, crossing.Seconds, precision: 9);
        Assert.Equal(1500, crossing.RowsBackpropagated, precision: 6);
    }

    [Fact]
    public void FirstCrossingCountsEvenIfTheCurveDropsBackLater()
    {
        var run = MadeUpRuns.Run("uniform", 1, (10, 0.70), (20, 0.90), (30, 0.60), (40, 0.95));
        Assert.Equal(20, TargetCrossing.Find(run.Curve, 0.90)!.Seconds, precision: 9);
    }

    [Fact]
    public void FirstMeasurementAlreadyAtTheTargetIsTheAnswer()
    {
        var run = MadeUpRuns.Run("uniform", 1, (10, 0.92), (20, 0.95));
        Assert.Equal(10, TargetCrossing.Find(run.Curve, 0.90)!.Seconds, precision: 9);
    }

    [Fact]
    public void ACurveThatNeverReachesTheTargetHasNoCrossing()
    {
        var run = MadeUpRuns.Run("uniform", 1, (10, 0.70), (20, 0.89));
        Assert.Null(TargetCrossing.Find(run.Curve, 0.90));
        Assert.Null(TargetCrossing.Find(run.Curve, double.NaN));
        Assert.Null(TargetCrossing.Find([], 0.5));
    }

    [Fact]
    public void SpreadIgnoresMissingValuesAndIsNullWhenNoneRemain()
    {
        Assert.Equal(new Spread(2, 1, 3), Spread.Of(new double?[] { 1, null, 3, double.NaN }));
        Assert.Null(Spread.Of(new double?[] { null, double.NaN }));
        Assert.Null(Spread.Of(Array.Empty<double>()));
    }
}
