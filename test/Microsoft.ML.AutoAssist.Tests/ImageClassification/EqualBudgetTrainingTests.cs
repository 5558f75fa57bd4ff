using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>
/// The shared loop under an equal step budget: every method anneals to the same end at the same
/// step, is measured at the same steps, the InfoBatch phase at the end of training happens at small
/// budgets, and Selective Backprop's scoring pass leaves batch norm alone.
/// </summary>
public class EqualBudgetTrainingTests
{
    private static ImageClassificationTrainerOptions Small() => new()
    {
        Architecture = ResNetArchitecture.ResNet8,
        BatchSize = 16,
        LearningRate = 0.05,
        MinLearningRate = 0.001,
        Seed = 3,
        TorchThreads = 1,
    };

    // The built-in methods, registered first (tests register made-up ones after them).
    public static TheoryData<string> Methods => new(SelectionMethods.Names.Take(6));

    private static TrainingReport Train(MLContext ml, SelectionMethodOptions selection, ImageClassificationTrainerOptions options, int rows = 64)
    {
        var data = QuadrantRows.Load(ml, rows, seed: 1);
        var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = selection, Seed = 2 });
        return filter.Append(ml.MulticlassClassification.Trainers.ResNet(options)).Fit(data).LastTransformer.TrainingReport!;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethodEndsItsStepBudgetAtTheSchedulesEndValue(string method)
    {
        var ml = new MLContext(1);
        var options = Small();
        options.MaxSteps = 7;
        options.ProgressIntervalSteps = 1;
        var progress = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        var report = Train(ml, SelectionMethods.Create(method), options);

        Assert.Equal(7, report.Steps);
        var last = progress[^1];
        Assert.Equal((7L, 1.0), (last.Step, last.Progress));
        // The last step ran at the cosine's end value, whatever the method kept; the first at the peak.
        Assert.Equal(options.MinLearningRate, last.LearningRate, 12);
        Assert.Equal(options.LearningRate, progress.First(p => p.Step == 1).LearningRate, 12);
    }

    [Fact]
    public void WithoutEpochEndEvaluationsEveryMethodIsMeasuredAtTheSameStepsAndTheLastOnce()
    {
        long[] Steps(SelectionMethodOptions selection, long maxSteps)
        {
            var ml = new MLContext(1);
            var options = Small();
            options.MaxSteps = maxSteps;
            options.EvaluationIntervalSteps = 3;
            options.EvaluateAtEpochEnd = false;
            options.ValidationSet = QuadrantRows.Load(ml, 16, seed: 2);
            return Train(ml, selection, options).Evaluations.Select(e => e.Step).ToArray();
        }

        // 64 rows of batch 16: uniform's epochs end at steps 4, 8, ...; InfoBatch's elsewhere. Neither is measured there.
        Assert.Equal(new long[] { 3, 6, 9, 10 }, Steps(new UniformOptions(), 10));
        Assert.Equal(new long[] { 3, 6, 9, 10 }, Steps(new InfoBatchOptions(), 10));
        // The last step falls on the interval: measured once.
        Assert.Equal(new long[] { 3, 6, 9 }, Steps(new RandomSubsetOptions(), 9));
    }

    [Fact]
    public void InfoBatchsFullDataPhaseStartsMidEpochAtFivePasses()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.Epochs = 5;
        var report = Train(ml, new InfoBatchOptions(), options, rows: 128);
        var epochs = report.SelectionEpochs;
        Assert.Equal(5, epochs.Count);
        // Epoch 4 opens at 80% of training, before the final eighth: its rows from 87.5% on are all kept.
        Assert.All(epochs.Skip(1).Take(3), e => Assert.True(e.KeptFraction < 0.85, e.ToString()));
        Assert.True(epochs[4].KeptFraction > 0.85, epochs[4].ToString());
        Assert.True(epochs[4].KeptFraction < 1, epochs[4].ToString());
    }

    /// <summary>A made-up method that forwards every row and backpropagates none.</summary>
    private sealed class BackpropagateNothingOptions : SelectionMethodOptions
    {
        public override string Name => "TestBackpropagateNothing";

        public override SelectionPolicy CreatePolicy(SelectionContext context) => new Policy();

        private sealed class Policy : SelectionPolicy
        {
            public override bool SelectsAfterForward => true;

            public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random) => weights.Fill(1f);

            public override void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights, Random random) => weights.Clear();
        }
    }

    [Fact]
    public void AStepBudgetThatASelectionNeverSpendsFailsInsteadOfSpinning()
    {
        var options = Small();
        options.MaxSteps = 5;
        var error = Assert.Throws<InvalidOperationException>(() => Train(new MLContext(1), new BackpropagateNothingOptions(), options));
        Assert.Contains("backpropagated no row in epoch 0", error.Message);
    }

    [Fact]
    public void SelectiveBackpropsScoringPassLeavesBatchNormStatisticsAlone()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 32, seed: 1);
        var shape = new ImageShape(1, QuadrantRows.Size, QuadrantRows.Size);
        using var generator = new Generator(1, CPU);
        using var model = ResNet.Create(ResNetArchitecture.ResNet8, 4, inChannels: 1, generator: generator);
        using var augmenter = new BatchAugmenter(0, false, 1);
        using var boss = new ResNetBoss(model, shape, CPU, augmenter, "Features", "Label");
        using var step = new BossStep(boss, OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, model.parameters(), 0.05, 0));
        using var session = SelectiveTrainingSession.Open(ml, data, boss.InputColumns, seed: 1);
        var batch = boss.CreateBatch(16);
        using (var epoch = session.OpenEpoch())
        {
            batch.Bind(epoch);
            while (!batch.IsFull && epoch.MoveNext())
                batch.AppendCurrent(epoch);
        }

        float[][] Statistics() => model.named_buffers().Where(b => b.name.Contains("running")).Select(b => b.buffer.cpu().data<float>().ToArray()).ToArray();
        var before = Statistics();
        Assert.NotEmpty(before);
        step.Losses(batch);
        Assert.Equal(before, Statistics());

        // What the scoring pass did before: a train-mode forward, even without gradients, moves them.
        using (no_grad())
        {
            model.train();
            boss.PerRowLoss(batch, training: false).Dispose();
        }
        Assert.NotEqual(before, Statistics());
    }
}
