using AutoAssist.Harness.Configuration;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>Budgets in optimizer steps, per-method fractions, and the run's fraction handed to the methods that want it.</summary>
public class FrontierBudgetTests
{
    [Theory]
    [InlineData(10, 60_000, 128, 4690)]   // the design run's B: 469 steps per pass, the last one partial
    [InlineData(1, 512, 64, 8)]
    [InlineData(3, 100, 7, 45)]
    public void ReferenceStepsArePassesTimesBatchesPerPass(int epochs, int rows, int batch, long expected)
        => Assert.Equal(expected, BudgetPlan.ReferenceStepsFor(epochs, rows, batch));

    [Theory]
    [InlineData(0.5, 4690, 2345)]
    [InlineData(0.7, 4690, 3283)]
    [InlineData(1.0, 4690, 4690)]
    [InlineData(1.5, 4690, 7035)]
    [InlineData(0.5, 3, 2)]        // 1.5 rounds away from zero
    [InlineData(0.01, 10, 1)]      // never below one step
    public void StepsAreTheRoundedShareOfTheReference(double fraction, long reference, long expected)
        => Assert.Equal(expected, BudgetPlan.StepsFor(fraction, reference));

    [Fact]
    public void EveryMethodRunsEveryFractionUnlessItHasItsOwnList()
    {
        var options = HarnessOptions.Parse(
        [
            "--methods", "uniform,autoassist", "--fractions", "0.5,0.7", "--method-fractions", "uniform=0.5,0.7,1.0,1.5",
            "--epochs", "2", "--batch-size", "100",
        ]);
        Assert.True(options.IsFrontier);
        var plan = new BudgetPlan(options, trainingRows: 1000);
        Assert.Equal(20, plan.ReferenceSteps);
        Assert.Equal(
            [("uniform", 0.5, 10L), ("autoassist", 0.5, 10L), ("uniform", 0.7, 14L), ("autoassist", 0.7, 14L), ("uniform", 1.0, 20L), ("uniform", 1.5, 30L)],
            plan.Cells.Select(c => (c.Method.Name, c.Fraction, c.Steps)));
    }

    [Fact]
    public void FrontierOptionsParseAndHaveTheirDefaults()
    {
        var options = HarnessOptions.Parse(
        [
            "--fractions", "0.5", "--validation-rows", "5000", "--select-on", "validation", "--warmup-steps", "0",
            "--store", "runs.jsonl", "--no-resume-store",
        ]);
        Assert.Equal([0.5], options.Fractions);
        Assert.Equal(5000, options.ValidationRows);
        Assert.Equal(MetricSplit.Validation, options.SelectOn);
        Assert.Equal(0, options.WarmupSteps);
        Assert.Equal("runs.jsonl", options.ResolvedStorePath);
        Assert.False(options.ResumeStore);
        Assert.Equal(Path.Combine("artifacts", "benchmarks", "image-fashion-mnist-frontier"), options.ResolvedOutputDirectory);

        var defaults = HarnessOptions.Parse(["--fractions", "0.5"]);
        Assert.True(defaults.ResumeStore);
        Assert.Equal(20, defaults.WarmupSteps);
        Assert.Equal(MetricSplit.Test, defaults.SelectOn);
        Assert.Null(defaults.TestRows);   // the whole test set
        Assert.EndsWith(Path.Combine("docs", "benchmarks", "store", "image-fashion-mnist.jsonl"), defaults.ResolvedStorePath);
        Assert.False(HarnessOptions.Parse([]).IsFrontier);
    }

    [Theory]
    [InlineData("--fractions", "0,0.5")]
    [InlineData("--fractions", "0.5,0.5")]
    [InlineData("--fractions", "half")]
    [InlineData("--method-fractions", "uniform=0.5")]                      // without --fractions
    [InlineData("--select-on", "validation")]                              // without --validation-rows
    [InlineData("--select-on", "train")]
    [InlineData("--commit", "abc")]                                        // without --report-from-store
    public void BadFrontierCommandLinesFailWithAMessage(string option, string value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => HarnessOptions.Parse([option, value]));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void MethodFractionsMustNameAMethodThatRuns()
    {
        var error = Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(
            ["--methods", "uniform", "--fractions", "0.5", "--method-fractions", "infobatch=0.5,1"]));
        Assert.Contains("infobatch", error.Message);
    }

    [Fact]
    public void AFractionPlaceholderInASettingBecomesTheRunsFraction()
    {
        var options = HarnessOptions.Parse(
            ["--methods", "uniform,autoassist:budget", "--fractions", "0.5,0.7", "--set", "autoassist:budget.BaseKeepProbability={fraction}"]);
        var method = options.Methods[1];
        Assert.Equal(0.7f, ((AutoAssistOptions)FractionSettings.ForFraction(method, 0.7).CreateFilterOptions(1, _ => { }).Selection).BaseKeepProbability);
        Assert.Equal(0.5f, ((AutoAssistOptions)FractionSettings.ForFraction(method, 0.5).CreateFilterOptions(1, _ => { }).Selection).BaseKeepProbability);
        Assert.Equal("0.7", FractionSettings.ForFraction(method, 0.7).EffectiveSettings()["BaseKeepProbability"]);
    }

    [Fact]
    public void ABuiltInRuleHandsTheFractionToRandomSubsetUnlessTheCommandLineSetsIt()
    {
        // The command line spells it either way; both name the registered RandomSubset.
        var randomSubset = BenchmarkMethod.Parse("random-subset");
        Assert.Equal(("randomsubset", RandomSubsetOptions.MethodName), (randomSubset.BaseName, randomSubset.Selection));
        Assert.Equal("0.7", FractionSettings.ForFraction(randomSubset, 0.7).EffectiveSettings()["KeepFraction"]);
        Assert.Equal(0.7f, ((RandomSubsetOptions)FractionSettings.ForFraction(randomSubset, 0.7).CreateFilterOptions(1, _ => { }).Selection).KeepFraction);
        Assert.Equal("0.4", FractionSettings.ForFraction(BenchmarkMethod.Parse("randomsubset:arm"), 0.4).EffectiveSettings()["KeepFraction"]);

        var fixedShare = randomSubset with { Overrides = new Dictionary<string, string> { ["KeepFraction"] = "0.9" } };
        Assert.Equal("0.9", FractionSettings.ForFraction(fixedShare, 0.7).EffectiveSettings()["KeepFraction"]);

        // Methods without a rule are unchanged.
        Assert.Empty(FractionSettings.ForFraction(BenchmarkMethod.Parse("infobatch"), 0.7).EffectiveSettings());
    }
}
