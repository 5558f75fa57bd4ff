using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>The shared loop through the image trainer: isolation of concurrent Fits, progress reports, checkpoint fingerprints, warnings.</summary>
public class BossTrainingLoopTests
{
    private static ImageClassificationTrainerOptions Small(int epochs, int seed = 3) => new()
    {
        Architecture = ResNetArchitecture.ResNet8,
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 0.05,
        Seed = seed,
        TorchThreads = 1,
    };

    private static float[][] Scores(IDataView scored)
        => scored.GetColumn<float[]>(ImageClassificationTransformer.ScoreColumnName).ToArray();

    /// <summary>Keeps every row with weight 4; optionally asks for each batch's weights to be scaled to average 1.</summary>
    private sealed class QuadrupleWeightOptions : SelectionMethodOptions
    {
        public bool Normalize;

        public override string Name => "TestQuadrupleWeight";

        public override SelectionPolicy CreatePolicy(SelectionContext context) => new Policy(Normalize);

        private sealed class Policy(bool normalize) : SelectionPolicy
        {
            public override bool NormalizesWeightsPerBatch => normalize;

            public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random) => weights.Fill(4f);
        }
    }

    [Fact]
    public void AMethodThatNormalisesPerBatchTrainsAsIfItsWeightsWereOne()
    {
        var probe = QuadrantRows.Load(new MLContext(1), 32, seed: 9);
        float[][] Fit(SelectionMethodOptions selection)
        {
            var ml = new MLContext(1);
            var pipeline = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = selection, Seed = 2 })
                .Append(ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 1)));
            return Scores(pipeline.Fit(QuadrantRows.Load(ml, 128, seed: 1)).Transform(probe));
        }

        var uniform = Fit(new UniformOptions());
        Assert.Equal(uniform, Fit(new QuadrupleWeightOptions { Normalize = true }));
        Assert.NotEqual(uniform, Fit(new QuadrupleWeightOptions { Normalize = false }));
    }

    [Fact]
    public async Task TwoFitsAtOnceEqualTheSameFitsOneAfterTheOther()
    {
        var probe = QuadrantRows.Load(new MLContext(1), 32, seed: 9);
        float[][] Fit(int seed, Barrier? start)
        {
            var ml = new MLContext(1);
            var options = Small(epochs: 2, seed);
            options.AugmentationPadding = 1;
            var trainer = ml.MulticlassClassification.Trainers.ResNet(options);
            var data = QuadrantRows.Load(ml, 256, seed);
            start?.SignalAndWait(); // both Fits build their networks at the same moment
            return Scores(trainer.Fit(data).Transform(probe));
        }

        var sequential = new[] { Fit(1, null), Fit(2, null) };
        using var start = new Barrier(2);
        var parallel = await Task.WhenAll(Task.Run(() => Fit(1, start)), Task.Run(() => Fit(2, start)));

        Assert.Equal(sequential[0], parallel[0]);
        Assert.Equal(sequential[1], parallel[1]);
        Assert.NotEqual(sequential[0], sequential[1]);
    }

    [Fact]
    public void ProgressComesAtTheStepIntervalAndOnceAtEachEpochEnd()
    {
        var ml = new MLContext(1);
        var options = Small(epochs: 2);
        options.ProgressIntervalSteps = 3;
        var progress = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        // 100 rows of batch 32: steps of 32, 32, 32 and 4 rows per epoch.
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 100, seed: 1));

        // Step 3 is followed by the partial batch, so its report goes out; step 6 is within epoch 1,
        // and the report due at step 4 + 2 = 6 is not an epoch's last step either.
        Assert.Equal(
            new (long, int, bool)[] { (3, 0, false), (4, 0, true), (6, 1, false), (8, 1, true) },
            progress.Select(p => (p.Step, p.Epoch, p.EndOfEpoch)));
        Assert.True(double.IsNaN(progress[0].KeptFraction));
        Assert.Contains("kept: n/a", progress[0].ToString());
        Assert.All(progress, p => Assert.DoesNotContain("NaN", p.ToString()));
        Assert.All(progress, p => Assert.True(p.RowsPerSecond > 0));
        Assert.All(progress, p => Assert.NotNull(p.EstimatedTimeRemaining));
        Assert.Equal(0.5, progress[1].Progress);
        Assert.Equal(1.0, progress[3].Progress);
        Assert.Equal(TimeSpan.Zero, progress[3].EstimatedTimeRemaining);
        Assert.Equal(1.0, progress[3].KeptFraction);
    }

    [Fact]
    public void AReportDueAtAnEpochsLastStepIsNotSentTwice()
    {
        var ml = new MLContext(1);
        var options = Small(epochs: 2);
        options.ProgressIntervalSteps = 2;
        options.ValidationSet = QuadrantRows.Load(ml, 32, seed: 2);
        options.EvaluationIntervalSteps = 4;
        var progress = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        // 128 rows of batch 32: 4 steps per epoch; steps 4 and 8 end the epochs.
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 128, seed: 1));

        Assert.Equal(
            new (long, bool)[] { (2, false), (4, true), (6, false), (8, true) },
            progress.Select(p => (p.Step, p.EndOfEpoch)));
        Assert.All(progress.Where(p => p.EndOfEpoch), p => Assert.False(double.IsNaN(p.ValidationMetric)));
    }

    [Fact]
    public void WithoutAnIntervalOnlyTheEpochEndsReport()
    {
        var ml = new MLContext(1);
        var options = Small(epochs: 2);
        options.ProgressIntervalSteps = null;
        var progress = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 64, seed: 1));
        Assert.Equal(new long[] { 2, 4 }, progress.Select(p => p.Step));
        Assert.All(progress, p => Assert.True(p.EndOfEpoch));
    }

    [Fact]
    public void AStepBudgetReportsItsShareOfTheSteps()
    {
        var ml = new MLContext(1);
        var options = Small(epochs: 1);
        options.MaxSteps = 4;
        options.ProgressIntervalSteps = 1;
        var progress = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 256, seed: 1));
        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0 }, progress.Select(p => p.Progress));
        Assert.True(progress[^1].EndOfEpoch);
    }

    [Fact]
    public void ACheckpointFolderReusedWithOtherDataOrSettingsIsRefused()
    {
        var ml = new MLContext(1);
        var folder = Directory.CreateTempSubdirectory("boss-fingerprint").FullName;
        try
        {
            ImageClassificationTrainerOptions Options()
            {
                var o = Small(epochs: 1);
                o.CheckpointFolder = folder;
                return o;
            }
            ml.MulticlassClassification.Trainers.ResNet(Options()).Fit(QuadrantRows.Load(ml, 64, seed: 1));

            var sameRun = ml.MulticlassClassification.Trainers.ResNet(Options()).Fit(QuadrantRows.Load(ml, 64, seed: 1));
            Assert.True(sameRun.TrainingReport!.Resumed);
            Assert.Empty(sameRun.TrainingReport.Warnings);

            var otherValues = Assert.Throws<InvalidOperationException>(() =>
                ml.MulticlassClassification.Trainers.ResNet(Options()).Fit(QuadrantRows.Load(ml, 64, seed: 5)));
            Assert.Contains("data.sampledValues differ", otherValues.Message);
            Assert.Contains("delete the folder or choose another CheckpointFolder", otherValues.Message);

            var otherRows = Assert.Throws<InvalidOperationException>(() =>
                ml.MulticlassClassification.Trainers.ResNet(Options()).Fit(QuadrantRows.Load(ml, 96, seed: 1)));
            Assert.Contains("data.rows was 64, is 96", otherRows.Message);

            var otherSettings = Options();
            otherSettings.LearningRate = 0.01;
            var error = Assert.Throws<InvalidOperationException>(() =>
                ml.MulticlassClassification.Trainers.ResNet(otherSettings).Fit(QuadrantRows.Load(ml, 64, seed: 1)));
            Assert.Contains("settings.LearningRate was 0.05, is 0.01", error.Message);

            // Checked before the weights are read, which would not fit the bigger network.
            var otherNetwork = Options();
            otherNetwork.Architecture = ResNetArchitecture.ResNet20;
            error = Assert.Throws<InvalidOperationException>(() =>
                ml.MulticlassClassification.Trainers.ResNet(otherNetwork).Fit(QuadrantRows.Load(ml, 64, seed: 1)));
            Assert.Contains("settings.Architecture was ResNet8, is ResNet20", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ResumingFromACheckpointWithoutAFingerprintIsAWarning()
    {
        var ml = new MLContext(1);
        var folder = Directory.CreateTempSubdirectory("boss-no-fingerprint").FullName;
        try
        {
            var options = Small(epochs: 1);
            options.CheckpointFolder = folder;
            var data = QuadrantRows.Load(ml, 64, seed: 1);
            ml.MulticlassClassification.Trainers.ResNet(options).Fit(data);
            // What a checkpoint written before fingerprints looks like.
            string manifestPath = Path.Combine(folder, TrainingCheckpoint.ManifestFileName);
            var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
            manifest["state"]!.AsObject().Remove("fingerprint");
            File.WriteAllText(manifestPath, manifest.ToJsonString());

            var report = ml.MulticlassClassification.Trainers.ResNet(options).Fit(data).TrainingReport!;
            Assert.True(report.Resumed);
            Assert.Contains(report.Warnings, w => w.Contains("without a fingerprint", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
