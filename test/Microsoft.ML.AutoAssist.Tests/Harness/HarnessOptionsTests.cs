using AutoAssist.Harness.Configuration;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

public class HarnessOptionsTests
{
    [Fact]
    public void DefaultsRunEveryMethodOnThreeSeeds()
    {
        var options = HarnessOptions.Parse([]);
        // Other tests may register methods meanwhile, so compare with the built-in ones.
        Assert.Equal(["uniform", "autoassist", "infobatch", "selectivebackprop", "losssampling"], options.Methods.Select(m => m.Name).Take(5));
        Assert.Equal(BenchmarkMethod.KeepAllName, options.Methods[^1].Name);
        Assert.Equal([1, 2, 3], options.Seeds);
        Assert.Equal("image-fashion-mnist", options.BenchmarkName);
        Assert.Equal(Path.Combine("artifacts", "benchmarks", "image-fashion-mnist"), options.ResolvedOutputDirectory);
    }

    [Fact]
    public void CommandLineSetsEverySetting()
    {
        var options = HarnessOptions.Parse(
        [
            "--model", "resnet32", "--methods", "uniform,autoassist", "--seeds", "4,5", "--epochs", "7", "--train-rows", "1000",
            "--test-rows", "500", "--eval-interval", "25", "--batch-size", "64", "--lr", "0.05", "--schedule", "step-decay",
            "--threads", "2", "--data-dir", "data", "--out", "results", "--target", "0.9", "--target-margin", "0.01",
        ]);
        Assert.Equal(ResNetArchitecture.ResNet32, options.Architecture);
        Assert.Equal(["uniform", "autoassist"], options.Methods.Select(m => m.Name));
        Assert.Equal([4, 5], options.Seeds);
        Assert.Equal(7, options.Epochs);
        Assert.Equal(1000, options.TrainRows);
        Assert.Equal(500, options.TestRows);
        Assert.Equal(25, options.EvaluationIntervalSteps);
        Assert.Equal(64, options.BatchSize);
        Assert.Equal(0.05, options.LearningRate);
        Assert.Equal(LearningRateSchedule.StepDecay, options.Schedule);
        Assert.Equal(2, options.Threads);
        Assert.Equal("data", options.DataDirectory);
        Assert.Equal("results", options.ResolvedOutputDirectory);
        Assert.Equal(0.9, options.Target);
        Assert.Equal(0.01, options.TargetMargin);
    }

    [Fact]
    public void SmokeSettingsYieldToExplicitOptionsWhateverTheOrder()
    {
        var options = HarnessOptions.Parse(["--epochs", "2", "--smoke"]);
        Assert.True(options.Smoke);
        Assert.Equal(2, options.Epochs);
        Assert.Equal(ResNetArchitecture.ResNet8, options.Architecture);
        Assert.Equal(512, options.TrainRows);
        Assert.Equal(256, options.TestRows);
        Assert.Equal([1], options.Seeds);
        Assert.Contains(options.Methods, m => m.Name == BenchmarkMethod.KeepAllName);
        Assert.StartsWith(Path.Combine("artifacts", "benchmarks", "smoke-"), options.ResolvedOutputDirectory);
    }

    [Fact]
    public void KeepAllIsAutoAssistKeepingEveryRow()
    {
        var filter = BenchmarkMethod.Parse("autoassist-keepall").CreateFilterOptions(seed: 3, _ => { });
        var autoAssist = Assert.IsType<AutoAssistOptions>(filter.Selection);
        Assert.Equal(1f, autoAssist.BaseKeepProbability);
        Assert.Equal(3, filter.Seed);
    }

    [Fact]
    public void SetChangesOneMethodsFilterOptions()
    {
        var options = HarnessOptions.Parse(
        [
            "--methods", "uniform,autoassist,autoassist:floor0.2",
            "--set", "autoassist.FinalFullDataFraction=0.1", "--set", "autoassist.Reweight=false",
            "--set", "autoassist:floor0.2.BaseKeepProbability=0.2", "--set", "trainer.WarmupFraction=0.05",
        ]);
        var autoAssist = (AutoAssistOptions)options.Methods[1].CreateFilterOptions(1, _ => { }).Selection;
        Assert.Equal(0.1f, autoAssist.FinalFullDataFraction);
        Assert.False(autoAssist.Reweight);
        Assert.Equal(0.3f, autoAssist.BaseKeepProbability);

        var variant = options.Methods[2];
        Assert.Equal("autoassist:floor0.2", variant.Name);
        Assert.Equal(0.2f, ((AutoAssistOptions)variant.CreateFilterOptions(1, _ => { }).Selection).BaseKeepProbability);
        Assert.IsType<UniformOptions>(options.Methods[0].CreateFilterOptions(1, _ => { }).Selection); // untouched
        Assert.Equal("0.05", options.TrainerOverrides["WarmupFraction"]);
    }

    [Fact]
    public void AVariantCanTrainWithTrainerSettingsOfItsOwn()
    {
        var options = HarnessOptions.Parse(
        [
            "--methods", "uniform,uniform:chunked", "--set", "trainer.WarmupFraction=0.05",
            "--set", "uniform:chunked.trainer.TrainingMode=Chunked", "--set", "uniform:chunked.trainer.TorchThreads=1",
        ]);
        Assert.Empty(options.Methods[0].TrainerOverrides);
        Assert.Equal("Chunked", options.Methods[1].TrainerOverrides["TrainingMode"]);
        Assert.Equal("1", options.Methods[1].TrainerOverrides["TorchThreads"]);
        Assert.Equal("0.05", options.TrainerOverrides["WarmupFraction"]);

        // A field the trainer does not have, and a method not run, fail before anything trains.
        var unknownField = Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["--methods", "uniform,uniform:x", "--set", "uniform:x.trainer.Blockz=2"]));
        Assert.Contains("Blockz", unknownField.Message);
        Assert.Contains("uniform:x", unknownField.Message);
        var unknownMethod = Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["--methods", "uniform", "--set", "infobatch.trainer.Blocks=2"]));
        Assert.Contains("infobatch", unknownMethod.Message);
    }

    [Fact]
    public void ARegisteredMethodRunsByItsNameWithItsOwnSettings()
    {
        SelectionMethods.Register<Core.CustomSelectionMethodTests.StrideOptions>();
        Assert.Contains("teststride", BenchmarkMethod.AllNames);
        var options = HarnessOptions.Parse(["--methods", "uniform,TestStride,selective-backprop", "--set", "teststride.Period=5", "--set", "teststride.AssistantL2=0.5"]);
        Assert.Equal(["uniform", "teststride", "selectivebackprop"], options.Methods.Select(m => m.Name));
        var filter = options.Methods[1].CreateFilterOptions(1, _ => { });
        Assert.Equal(5, Assert.IsType<Core.CustomSelectionMethodTests.StrideOptions>(filter.Selection).Period);
        Assert.Equal(0.5f, filter.AssistantL2);
        Assert.IsType<SelectiveBackpropOptions>(options.Methods[2].CreateFilterOptions(1, _ => { }).Selection);
    }

    [Fact]
    public void SetFieldsParseEveryKindOfValue()
    {
        var trainer = new ImageClassificationTrainerOptions();
        FieldSetter.Set(trainer, "architecture", "resnet56", "test");
        FieldSetter.Set(trainer, "MaxSteps", "300", "test");
        FieldSetter.Set(trainer, "HorizontalFlip", "true", "test");
        FieldSetter.Set(trainer, "StepDecayMilestones", "0.3,0.6", "test");
        FieldSetter.Set(trainer, "LearningRateSchedule", "step-decay", "test");
        Assert.Equal(ResNetArchitecture.ResNet56, trainer.Architecture);
        Assert.Equal(300, trainer.MaxSteps);
        Assert.True(trainer.HorizontalFlip);
        Assert.Equal([0.3, 0.6], trainer.StepDecayMilestones);
        Assert.Equal(LearningRateSchedule.StepDecay, trainer.LearningRateSchedule);
        FieldSetter.Set(trainer, "MaxSteps", "null", "test");
        Assert.Null(trainer.MaxSteps);
    }

    [Theory]
    [InlineData("--methods", "uniform,sgd")]                          // unknown method
    [InlineData("--methods", "uniform,uniform")]                      // listed twice
    [InlineData("--methods", "autoassist")]                           // no uniform, no target
    [InlineData("--set", "autoassist.NoSuchField=1")]                 // unknown field
    [InlineData("--set", "autoassist.BaseKeepProbability=abc")]       // bad value
    [InlineData("--set", "bogus.BaseKeepProbability=0.2")]            // method not run
    [InlineData("--set", "BaseKeepProbability=0.2")]                  // no owner
    [InlineData("--model", "resnet7")]
    [InlineData("--epochs", "0")]
    [InlineData("--task", "speech")]
    [InlineData("--task", "translation")]                             // without --dataset en-de
    [InlineData("--dataset", "cifar10")]
    [InlineData("--frobnicate", "1")]
    public void BadCommandLinesFailWithAMessage(string option, string value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => HarnessOptions.Parse([option, value]));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void AnOptionWithoutItsValueSaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => HarnessOptions.Parse(["--epochs"]));
        Assert.Contains("--epochs", error.Message);
    }

    [Fact]
    public void CommandLineIsRecordedAsARunnableCommand()
    {
        var options = HarnessOptions.Parse(["--smoke", "--out", "my results"]);
        Assert.Equal($"dotnet run -c {HarnessOptions.BuildConfiguration} --project test/AutoAssist.Harness -- --smoke --out 'my results'",
            options.CommandLine);
    }
}
