using Microsoft.ML.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>Local learning (blocks with their own heads and losses) and its pipelined execution.</summary>
public class LocalParallelTests
{
    private static ImageClassificationTrainerOptions Local(TrainingMode mode, int blocks = 2, bool pipelined = false, int epochs = 2) => new()
    {
        Architecture = ResNetArchitecture.ResNet8,
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 0.05,
        Seed = 3,
        TorchThreads = 1,
        TrainingMode = mode,
        Blocks = blocks,
        Pipelined = pipelined,
    };

    private static float[][] Scores(ImageClassificationTransformer model, IDataView data)
        => model.Transform(data).GetColumn<float[]>(ImageClassificationTransformer.ScoreColumnName).ToArray();

    [Fact]
    public void InChunkedModeNoGradientReachesABlockFromTheNextBlocksLoss()
    {
        using var generator = new Generator(7, CPU);
        var model = ResNet.Create(ResNetArchitecture.ResNet8, 4, inChannels: 1, generator: generator);
        var blocks = LocalLearningStep.Split(model, TrainingMode.Chunked, 2, generator);
        using var scope = NewDisposeScope();
        var images = randn([8, 1, 16, 16], generator: generator);
        var labels = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });

        // As the step hands activations on: detached at the boundary; only block 1's loss is backpropagated.
        var (features, _) = blocks[0].forward(images);
        var (_, logits) = blocks[1].forward(features.detach());
        nn.functional.cross_entropy(logits, labels).backward();

        Assert.All(blocks[0].parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0, "block 0 received a gradient"));
        Assert.Contains(blocks[1].parameters(), p => p.grad is not null && p.grad.abs().max().item<float>() > 0);
    }

    [Fact]
    public void PipelinedAndSequentialBlocksGiveTheSameWeights()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 128, seed: 1);
        var probe = QuadrantRows.Load(ml, 32, seed: 2);
        var sequential = ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Chunked, blocks: 3)).Fit(data);
        var pipelined = ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Chunked, blocks: 3, pipelined: true)).Fit(data);
        // Bit for bit: each block sees the same inputs in the same order at the same rate; only the threads differ.
        Assert.Equal(Scores(sequential, probe), Scores(pipelined, probe));
    }

    [Fact]
    public void BlockZeroStartsTheNextBatchWhileTheLastBlockWorksOnThePreviousOne()
    {
        var ml = new MLContext(1);
        var options = Local(TrainingMode.Chunked, blocks: 2, pipelined: true, epochs: 1);
        int blockZeroUpdates = 0;
        bool overlapped = false;
        bool firstOfBlockOne = true;
        options.BeforeBlockUpdate = k =>
        {
            if (k == 0)
            {
                Interlocked.Increment(ref blockZeroUpdates);
            }
            else if (firstOfBlockOne)
            {
                // Block 1 holds its update of batch 1 until block 0 has updated on batch 2: only a pipeline across batches gets there.
                firstOfBlockOne = false;
                overlapped = SpinWait.SpinUntil(() => Volatile.Read(ref blockZeroUpdates) >= 2, TimeSpan.FromSeconds(20));
            }
        };
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 128, seed: 1));
        Assert.True(overlapped, "block 0 never started batch 2 while block 1 was on batch 1");
    }

    [Fact]
    public void APipelinedRunSelectsAsTheSequentialRunThoughItsLossesArriveLate()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 192, seed: 1);
        var probe = QuadrantRows.Load(ml, 32, seed: 2);
        ImageClassificationTransformer Fit(bool pipelined)
        {
            var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = new AutoAssistOptions { BaseKeepProbability = 0.3f }, Seed = 2 });
            var options = Local(TrainingMode.Chunked, blocks: 2, pipelined: pipelined, epochs: 3);
            options.EvaluationIntervalSteps = 4; // evaluations drain the pipeline mid-epoch too
            options.ValidationSet = probe;
            return filter.Append(ml.MulticlassClassification.Trainers.ResNet(options)).Fit(data).LastTransformer;
        }
        var sequential = Fit(pipelined: false);
        var pipelined = Fit(pipelined: true);
        Assert.Equal(Scores(sequential, probe), Scores(pipelined, probe));
        static string Describe(EpochStatistics e) => $"{e.RowsKept} {e.RowsReported} {e.Threshold:R} {e.AssistantAuc:R}";
        Assert.Equal(sequential.TrainingReport!.SelectionEpochs.Select(Describe), pipelined.TrainingReport!.SelectionEpochs.Select(Describe));
        Assert.True(sequential.TrainingReport.SelectionEpochs[^1].KeptFraction < 1);
    }

    [Fact]
    public void OneBlockIsBackprop()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 128, seed: 1);
        var probe = QuadrantRows.Load(ml, 32, seed: 2);
        var backprop = ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Backprop)).Fit(data);
        var oneBlock = ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Chunked, blocks: 1)).Fit(data);
        // Bit for bit: one block is the whole ResNet with its own classifier as head, the same operations
        // in the same order on the same initial weights (the auxiliary heads are drawn after the ResNet).
        Assert.Equal(Scores(backprop, probe), Scores(oneBlock, probe));
    }

    [Fact]
    public async Task AFailingWorkerSurfacesInFit()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 64, seed: 1);
        var options = Local(TrainingMode.Chunked, blocks: 3, pipelined: true);
        options.BeforeBlockUpdate = k =>
        {
            if (k == 1)
                throw new IOException("block 1 broke");
        };
        var fit = Task.Run(() => ml.MulticlassClassification.Trainers.ResNet(options).Fit(data));
        // The guard: a hang fails the test after a minute instead of stalling the suite.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fit.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public void ResumeReproducesTheUninterruptedRun()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 96, seed: 1);
        var probe = QuadrantRows.Load(ml, 32, seed: 2);
        var uninterruptedFolder = Directory.CreateTempSubdirectory("local-ckpt-a").FullName;
        var resumedFolder = Directory.CreateTempSubdirectory("local-ckpt-b").FullName;
        try
        {
            ImageClassificationTrainerOptions Options(string folder)
            {
                var o = Local(TrainingMode.Chunked, blocks: 2, pipelined: true, epochs: 2);
                o.CheckpointFolder = folder;
                o.AugmentationPadding = 2;
                return o;
            }
            var uninterrupted = ml.MulticlassClassification.Trainers.ResNet(Options(uninterruptedFolder)).Fit(data);

            using var cancel = new CancellationTokenSource();
            var killed = Options(resumedFolder);
            killed.CancellationToken = cancel.Token;
            killed.Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Epoch == 0) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => ml.MulticlassClassification.Trainers.ResNet(killed).Fit(data));

            var resumed = ml.MulticlassClassification.Trainers.ResNet(Options(resumedFolder)).Fit(data);
            Assert.True(resumed.TrainingReport!.Resumed);
            Assert.Equal(Scores(uninterrupted, probe), Scores(resumed, probe));
        }
        finally
        {
            Directory.Delete(uninterruptedFolder, recursive: true);
            Directory.Delete(resumedFolder, recursive: true);
        }
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalScores()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 64, seed: 1);
        var model = ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Chunked, blocks: 2, epochs: 1)).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"local-resnet-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(5).Model.Load(path, out _);
            Assert.Equal(Scores(model, data), loaded.Transform(data).GetColumn<float[]>(ImageClassificationTransformer.ScoreColumnName).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(TrainingMode.Greedy, true)]
    [InlineData(TrainingMode.Overlapping, false)]
    public void EveryModeLearnsTheTask(TrainingMode mode, bool pipelined)
    {
        // Slower than backprop: a block's head pools globally, so the early blocks' losses see no position, the quadrant task's cue.
        var ml = new MLContext(1);
        var model = ml.MulticlassClassification.Trainers.ResNet(Local(mode, blocks: 2, pipelined: pipelined, epochs: 6)).Fit(QuadrantRows.Load(ml, 256, seed: 1));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(QuadrantRows.Load(ml, 64, seed: 2)));
        Assert.True(metrics.MicroAccuracy > 0.5, $"{mode}: accuracy {metrics.MicroAccuracy}");
    }

    [Theory]
    [InlineData(UniformOptions.MethodName)]
    [InlineData(AutoAssistOptions.MethodName)]
    [InlineData(InfoBatchOptions.MethodName)]
    [InlineData(SelectiveBackpropOptions.MethodName)]
    [InlineData(LossSamplingOptions.MethodName)]
    public void EverySelectionMethodRunsOnTheLastBlocksLosses(string method)
    {
        var ml = new MLContext(1);
        var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = SelectionMethods.Create(method), Seed = 2 });
        var model = filter.Append(ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Chunked, blocks: 2, pipelined: true, epochs: 1)))
            .Fit(QuadrantRows.Load(ml, 96, seed: 1));
        var report = model.LastTransformer.TrainingReport!;
        Assert.Equal(method, report.Method);
        Assert.True(report.Steps > 0);
        Assert.Equal(report.SelectionEpochs.Sum(e => e.RowsReported), report.SelectionEpochs.Sum(e => e.RowsKept));
    }

    [Theory]
    [InlineData(TrainingMode.Chunked, false)]
    [InlineData(TrainingMode.Chunked, true)]
    [InlineData(TrainingMode.Overlapping, false)]
    public void NoTensorLeaksAcrossEpochs(TrainingMode mode, bool pipelined)
    {
        var ml = new MLContext(1);
        var options = Local(mode, blocks: 3, pipelined: pipelined, epochs: 4);
        var live = new List<long>();
        options.Progress = new SynchronousProgress<TrainingProgress>(_ => live.Add(LiveTensors.Count));
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 64, seed: 1));
        Assert.Equal(4, live.Count);
        // The first epoch creates the optimizers' state; after that the count must not grow.
        Assert.Equal(live[1], live[3]);
    }

    [Fact]
    public void MoreBlocksThanResidualBlocksAreRefused()
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Chunked, blocks: 4)).Fit(QuadrantRows.Load(ml, 8, seed: 1)));
        Assert.Contains("3 residual blocks", error.Message);
        Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.ResNet(Local(TrainingMode.Overlapping, pipelined: true)));
    }
}
