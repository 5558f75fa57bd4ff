using AutoAssist.Harness.Plotting;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;
using AutoAssist.Harness.Store;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>The frontier report's arithmetic on made-up stored runs.</summary>
public class FrontierReportTests
{
    // Uniform at B ends at 0.90 (seed 1, 100 s) and 0.80 (seed 2, 200 s): the reference is 0.85.
    private static readonly StoredRun Uniform1 = MadeUpFrontier.Run("uniform", 1.0, 1, (50, 50, 0.80), (100, 100, 0.90));
    private static readonly StoredRun Uniform2 = MadeUpFrontier.Run("uniform", 1.0, 2, (50, 100, 0.70), (100, 200, 0.80));

    [Fact]
    public void TimeToReferenceIsPairedWithUniformAtBOfTheSameSeed()
    {
        // Seed 1 crosses 0.85 half-way between 30 s and 50 s (40 s): 40 / 100. Seed 2 at its first point (measured
        // twice at step 50), 60 s: 60 / 200.
        var autoAssist1 = MadeUpFrontier.Run("autoassist", 0.5, 1, (30, 30, 0.80), (50, 50, 0.90));
        var autoAssist2 = MadeUpFrontier.Run("autoassist", 0.5, 2, (50, 60, 0.86), (50, 60, 0.86));
        var summary = FrontierReportBuilder.Build([Uniform1, Uniform2, autoAssist1, autoAssist2]);

        Assert.Equal(0.85, summary.Reference!.Metric, precision: 12);
        Assert.Equal([1, 2], summary.Reference.Seeds);
        var half = summary.Budgets.Single(b => b.Fraction == 0.5).Methods.Single();
        Assert.Equal(0.4, half.PerSeed[0].TimeToReferenceRatio!.Value, precision: 9);
        Assert.Equal(0.3, half.PerSeed[1].TimeToReferenceRatio!.Value, precision: 9);
        Assert.Equal(0.35, half.TimeToReferenceRatio!.Mean, precision: 9);
        Assert.Equal(0.3, half.TimeToReferenceRatio.Min, precision: 9);
        Assert.Equal(0.4, half.TimeToReferenceRatio.Max, precision: 9);
        Assert.Equal(2, half.SeedsReachingReference);

        // Uniform's own seed 2 never reaches the mean of both: null, and its seed 1 reaches it at 75 s of 100.
        var reference = summary.Budgets.Single(b => b.Fraction == 1.0).Methods.Single();
        Assert.Equal(0.75, reference.PerSeed[0].TimeToReferenceRatio!.Value, precision: 9);
        Assert.Null(reference.PerSeed[1].TimeToReferenceRatio);
        Assert.Equal(new Spread(150, 100, 200), reference.TrainingSeconds);
        Assert.Equal(0.85, reference.FinalMetric!.Mean, precision: 12);
    }

    [Fact]
    public void TheReportSaysWhatUniformGainsBeyondB()
    {
        var longer1 = MadeUpFrontier.Run("uniform", 1.5, 1, (150, 150, 0.905));
        var longer2 = MadeUpFrontier.Run("uniform", 1.5, 2, (150, 300, 0.815));
        string markdown = FrontierMarkdownWriter.Write(FrontierReportBuilder.Build([Uniform1, Uniform2, longer1, longer2]), null);
        Assert.Contains("Uniform at 1.5 × B: +1.00 points of final test accuracy over B", markdown);
    }

    [Fact]
    public void TheGainBeyondBIsPairedBySeed()
    {
        // Only seed 1 ran longer: its gain over its own run at B (0.90), not over the mean of both seeds at B (0.85).
        var longer1 = MadeUpFrontier.Run("uniform", 1.5, 1, (150, 150, 0.905));
        string markdown = FrontierMarkdownWriter.Write(FrontierReportBuilder.Build([Uniform1, Uniform2, longer1]), null);
        Assert.Contains("Uniform at 1.5 × B: +0.50 points of final test accuracy over B (paired by seed; seeds 1)", markdown);
    }

    [Fact]
    public void SelectionIsComparedWithBothControlArmsSeedBySeed()
    {
        // At 0.5 B: uniform 0.80 / 0.70, random-subset 0.78 / 0.74, autoassist 0.82 / 0.72.
        var uniform1 = MadeUpFrontier.Run("uniform", 0.5, 1, (50, 50, 0.80));
        var uniform2 = MadeUpFrontier.Run("uniform", 0.5, 2, (50, 50, 0.70));
        var subset1 = MadeUpFrontier.Run("randomsubset", 0.5, 1, (50, 50, 0.78));
        var subset2 = MadeUpFrontier.Run("randomsubset", 0.5, 2, (50, 50, 0.74));
        var selected1 = MadeUpFrontier.Run("autoassist", 0.5, 1, (50, 50, 0.82));
        var selected2 = MadeUpFrontier.Run("autoassist", 0.5, 2, (50, 50, 0.72));
        var lonely3 = MadeUpFrontier.Run("infobatch", 0.5, 3, (50, 50, 0.99));
        var summary = FrontierReportBuilder.Build([uniform1, uniform2, subset1, subset2, selected1, selected2, lonely3]);
        var half = summary.Budgets.Single();

        var autoAssist = half.Methods.Single(m => m.Method == "autoassist");
        Assert.Equal(0.02, autoAssist.DifferenceToUniform!.Mean, precision: 9);
        Assert.Equal(2, autoAssist.SeedsAboveUniform);
        Assert.Equal(0.01, autoAssist.DifferenceToRandomSubset!.Mean, precision: 9);
        Assert.Equal(-0.02, autoAssist.DifferenceToRandomSubset.Min, precision: 9);
        Assert.Equal(1, autoAssist.SeedsAboveRandomSubset);

        var subset = half.Methods.Single(m => m.Method == "randomsubset");
        Assert.Equal(0.01, subset.DifferenceToUniform!.Mean, precision: 9);
        Assert.Null(subset.DifferenceToRandomSubset);
        Assert.Null(half.Methods.Single(m => m.Method == "uniform").DifferenceToUniform);
        Assert.Null(half.Methods.Single(m => m.Method == "infobatch").DifferenceToUniform);   // no seed 3 to pair with

        string markdown = FrontierMarkdownWriter.Write(summary, null);
        Assert.Contains("| autoassist | 0.5 × B | +2.00 | 2/2 | +1.00 (-2.00 to +4.00) | 1/2 |", markdown);
        Assert.Contains("| randomsubset | 0.5 × B | +1.00 (-2.00 to +4.00) | 1/2 | — | — |", markdown);
        Assert.DoesNotContain("| infobatch | 0.5 × B |", markdown.Split("## Against the control arms")[1]);
    }

    [Fact]
    public void WithoutAReferenceSeedThereIsNoRatio()
    {
        var autoAssist3 = MadeUpFrontier.Run("autoassist", 0.5, 3, (50, 50, 0.95));
        var summary = FrontierReportBuilder.Build([Uniform1, autoAssist3]);
        var half = summary.Budgets.Single(b => b.Fraction == 0.5).Methods.Single();
        Assert.NotNull(half.PerSeed.Single().TimeToReferenceSeconds);
        Assert.Null(half.TimeToReferenceRatio);
        Assert.Null(FrontierReportBuilder.Build([autoAssist3]).Reference);
    }

    [Fact]
    public void OnlyTheFixedStepGridIsCompared()
    {
        // Grid every 10 steps and the final step 25. Epoch ends at 7 and 14 are off the grid, and 20 is measured twice.
        var curve = new[]
        {
            new CurvePoint(1, 7, 0, 0, 0, 0.9), new CurvePoint(2, 10, 1, 0, 0, 0.5), new CurvePoint(3, 14, 1, 0, 0, 0.95),
            new CurvePoint(4, 20, 2, 0, 0, 0.6), new CurvePoint(4, 20, 2, 0, 0, 0.61), new CurvePoint(5, 25, 3, 0, 0, 0.7),
        };
        Assert.Equal([10L, 20L, 25L], FixedStepGrid.Filter(curve, 10, 25).Select(p => p.Step));
        Assert.Equal(0.6, FixedStepGrid.Filter(curve, 10, 25)[1].Metric);
        Assert.Equal(6, FixedStepGrid.Filter(curve, null, 25).Count);

        // An off-grid point above the reference does not count as reaching it.
        var offGrid = MadeUpFrontier.Run("autoassist", 0.5, 1, (7, 7, 0.99), (10, 10, 0.5), (20, 20, 0.6));
        var method = FrontierReportBuilder.Build([Uniform1, offGrid]).Budgets[0].Methods.Single();
        Assert.Null(method.PerSeed.Single().TimeToReferenceSeconds);
    }

    [Fact]
    public void KeptSharesPerClassAreSummedOverEpochsAndShownWhenCounted()
    {
        var counted = MadeUpFrontier.Run("autoassist", 0.5, 1, (50, 50, 0.8));
        counted = counted with
        {
            Result = counted.Result with
            {
                SelectionEpochs =
                [
                    new SelectionEpochRecord(0, 20, 20, 1, 20, 1, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0)
                        { KeptByClass = [10, 10], ConsideredByClass = [10, 10] },
                    new SelectionEpochRecord(1, 20, 5, 0.25, 5, 0.25, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0)
                        { KeptByClass = [0, 5], ConsideredByClass = [10, 10] },
                ],
            },
        };
        var summary = FrontierReportBuilder.Build([Uniform1, counted]);
        var method = summary.Budgets[0].Methods.Single();
        Assert.Equal([0.5, 0.75], method.KeptFractionByClass!);
        Assert.Null(summary.Budgets[1].Methods.Single().KeptFractionByClass);
        Assert.Contains("| autoassist | 0.5 × B | 0.50 | 0.75 |", FrontierMarkdownWriter.Write(summary, null));
        Assert.Contains(",10;10,10;10", FrontierCsvWriter.Epochs([counted]));
    }

    [Fact]
    public void SelectionTakesTheNewestSettingsAndTheNewestRunOfEachSeed()
    {
        var old = MadeUpFrontier.Run("autoassist", 0.5, 1, (50, 50, 0.70)) with { SettingsHash = "old" };
        var first = MadeUpFrontier.Run("autoassist", 0.5, 1, (50, 50, 0.80));
        var rerun = MadeUpFrontier.Run("autoassist", 0.5, 1, (50, 50, 0.81)) with { Commit = "later", CodeCommit = "later" };
        var otherSeed = MadeUpFrontier.Run("autoassist", 0.5, 2, (50, 50, 0.82)) with { SettingsHash = "old" };
        var selected = StoreSelection.Select([Uniform1, old, otherSeed, first, rerun]);
        Assert.Equal([Uniform1, rerun], selected);

        Assert.Equal([Uniform1, first], StoreSelection.Select([Uniform1, old, first, rerun], commit: "c0ffee"));
        Assert.Empty(StoreSelection.Select([Uniform1], commit: "nothing"));
    }

    [Fact]
    public void TheReportListsEveryCommitAndCommandItUses()
    {
        var later = MadeUpFrontier.Run("autoassist", 0.5, 2, (50, 50, 0.8)) with { CodeCommit = "later", Dirty = true, Command = "other command" };
        var summary = FrontierReportBuilder.Build([Uniform1, Uniform2, later]);
        Assert.Equal("later", summary.Commit);
        Assert.Equal("other command", summary.Command);
        Assert.Equal(3, summary.Runs);
        Assert.Equal(["c0ffee", "later"], summary.Commits.Select(c => c.CodeCommit));
        Assert.Equal(["c0ffee1", "c0ffee2"], summary.Commits[0].Heads);
        Assert.True(summary.Commits[1].Dirty);
        Assert.Equal(2, summary.Commands.Count);
        Assert.Equal("2025-01-01T00:00:00Z", summary.FirstDate);
        string markdown = FrontierMarkdownWriter.Write(summary, "frontier.png");
        Assert.Contains("later (uncommitted changes) (1 runs)", markdown);
        Assert.Contains("![frontier](frontier.png)", markdown);
    }

    [Fact]
    public void FrontierPlotDrawsOnePointPerBudgetWithItsSpread()
    {
        var half1 = MadeUpFrontier.Run("uniform", 0.5, 1, (50, 40, 0.80));
        var half2 = MadeUpFrontier.Run("uniform", 0.5, 2, (50, 60, 0.84));
        var chart = FrontierPlot.Build(FrontierReportBuilder.Build([Uniform1, Uniform2, half1, half2]));
        var uniform = chart.Series.Single();
        Assert.Equal([(50.0, 0.82), (150.0, 0.85)], uniform.Points.Select(p => (p.X, Math.Round(p.Y, 9))));
        Assert.Equal((40.0, 60.0), (uniform.Points[0].XMin, uniform.Points[0].XMax));
        HarnessFiles.AssertPng(chart.RenderPng(400, 300), 400, 300);
    }
}
