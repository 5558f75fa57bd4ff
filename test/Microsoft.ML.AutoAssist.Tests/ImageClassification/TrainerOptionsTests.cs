using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>Every option is checked when the trainer is created, under its public name, and the trainer trains from a copy.</summary>
public class TrainerOptionsTests
{
    public static TheoryData<string, Action<ImageClassificationTrainerOptions>> BadOptions => new()
    {
        { "BatchSize must be at least 1", o => o.BatchSize = 0 },
        { "Epochs must be at least 1", o => o.Epochs = 0 },
        { "MaxSteps must be at least 1", o => o.MaxSteps = 0 },
        { "Optimizer is not a known optimizer", o => o.Optimizer = (OptimizerAlgorithm)7 },
        { "LearningRate must be finite and positive", o => o.LearningRate = 0 },
        { "LearningRate must be finite and positive", o => o.LearningRate = double.NaN },
        { "Momentum must be in (0, 1) for SgdNesterov", o => o.Momentum = 1 },
        { "WeightDecay must be finite and zero or positive", o => o.WeightDecay = -1e-4 },
        { "LearningRateSchedule is not a known schedule", o => o.LearningRateSchedule = (LearningRateSchedule)9 },
        { "WarmupFraction must be in [0, 1)", o => o.WarmupFraction = 1 },
        { "MinLearningRate must be in [0, LearningRate = 0.1]", o => o.MinLearningRate = 0.2 },
        { "StepDecayMilestones must be increasing fractions in (0, 1)", o => o.StepDecayMilestones = [0.75, 0.5] },
        { "StepDecayMilestones must be increasing fractions in (0, 1)", o => o.StepDecayMilestones = [1.0] },
        { "StepDecayMilestones must be increasing fractions in (0, 1)", o => o.StepDecayMilestones = null! },
        { "StepDecayGamma must be in (0, 1]", o => o.StepDecayGamma = 0 },
        { "StepDecayGamma must be in (0, 1]", o => o.StepDecayGamma = 1.5 },
        { "EvaluationIntervalSteps must be at least 1", o => o.EvaluationIntervalSteps = 0 },
        { "ProgressIntervalSteps must be at least 1", o => o.ProgressIntervalSteps = 0 },
        { "CheckpointFolder must be a folder path or null", o => o.CheckpointFolder = "" },
        { "TorchThreads must be at least 1", o => o.TorchThreads = 0 },
        { "LabelColumnName must name the label column", o => o.LabelColumnName = "" },
        { "FeatureColumnName must name the image column", o => o.FeatureColumnName = "" },
        { "Architecture is not a known architecture", o => o.Architecture = (ResNetArchitecture)42 },
        { "WidthMultiplier must be at least 1", o => o.WidthMultiplier = 0 },
        { "AugmentationPadding must be zero or positive", o => o.AugmentationPadding = -1 },
        { "ImageChannels must be at least 1", o => o.ImageChannels = 0 },
        { "ImageHeight must be at least 1", o => o.ImageHeight = 0 },
        { "ImageWidth must be at least 1", o => o.ImageWidth = 0 },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void EachBadOptionIsRejectedAtCreationUnderItsPublicName(string message, Action<ImageClassificationTrainerOptions> spoil)
    {
        var options = new ImageClassificationTrainerOptions();
        spoil(options);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext(1).MulticlassClassification.Trainers.ResNet(options));
        Assert.Contains($"ImageClassificationTrainerOptions.{message}", error.Message);
    }

    [Fact]
    public void AdamWIgnoresTheMomentum()
    {
        var options = new ImageClassificationTrainerOptions { Optimizer = OptimizerAlgorithm.AdamW, Momentum = 0 };
        new MLContext(1).MulticlassClassification.Trainers.ResNet(options);
    }

    [Fact]
    public void EditingTheOptionsAfterCreationChangesNothing()
    {
        var ml = new MLContext(1);
        var options = new ImageClassificationTrainerOptions
        {
            Architecture = ResNetArchitecture.ResNet8,
            Epochs = 1,
            BatchSize = 32,
            Seed = 3,
            TorchThreads = 1,
            LearningRateSchedule = LearningRateSchedule.StepDecay,
        };
        var trainer = ml.MulticlassClassification.Trainers.ResNet(options);
        options.Epochs = 0;              // would be rejected at creation
        options.StepDecayMilestones[0] = 2;
        options.LabelColumnName = "Missing";

        var report = trainer.Fit(QuadrantRows.Load(ml, 64, seed: 1)).TrainingReport!;
        Assert.Equal(1, report.Epochs);
        Assert.Equal(2, report.Steps);
    }
}
