using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

public class ResNetTrainerTests
{
    private static ImageClassificationTrainerOptions Small(int epochs = 3) => new()
    {
        Architecture = ResNetArchitecture.ResNet8,
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 0.05,
        Seed = 3,
        TorchThreads = 1,
    };

    private static float[][] Scores(MLContext ml, IDataView scored)
        => scored.GetColumn<float[]>(ImageClassificationTransformer.ScoreColumnName).ToArray();

    [Fact]
    public void LearnsASeparableImageTask()
    {
        var ml = new MLContext(1);
        var model = ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 4)).Fit(QuadrantRows.Load(ml, 512, seed: 1));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(QuadrantRows.Load(ml, 64, seed: 2)));
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");
        var report = model.TrainingReport!;
        Assert.Equal(UniformOptions.MethodName, report.Method);
        Assert.Equal(4 * 512, report.RowsBackpropagated);
        Assert.Equal(4 * 16, report.Steps);
        Assert.Equal(4.0, report.EquivalentEpochs);
    }

    [Fact]
    public void OutputFollowsMLNetConventions()
    {
        var ml = new MLContext(1);
        var rows = QuadrantRows.Make(64, seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 1)).Fit(data);
        var scored = model.Transform(data);
        var score = scored.Schema[ImageClassificationTransformer.ScoreColumnName];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), score.Type);
        var predicted = scored.Schema[ImageClassificationTransformer.PredictedLabelColumnName];
        Assert.Equal(4ul, ((KeyDataViewType)predicted.Type).Count);

        // A PredictionEngine gives the same scores as the batched view.
        var engine = ml.Model.CreatePredictionEngine<QuadrantRows.Row, Prediction>(model);
        var batched = Scores(ml, scored);
        for (int i = 0; i < 5; i++)
        {
            var single = engine.Predict(rows[i]);
            Assert.Equal(batched[i], single.Score, new ToleranceComparer(1e-5f));
            Assert.Equal(Array.IndexOf(batched[i], batched[i].Max()) + 1, (int)single.PredictedLabel);
        }

        var shape = ml.MulticlassClassification.Trainers.ResNet(Small()).GetOutputSchema(SchemaShapes.FromSchema(data.Schema));
        Assert.Contains(shape, c => c.Name == "Score");
        Assert.Contains(shape, c => c.Name == "PredictedLabel" && c.IsKey);
    }

    [Fact]
    public void APredictionEngineRunsTheNetworkOncePerRowForAllOutputColumns()
    {
        var ml = new MLContext(1);
        var rows = QuadrantRows.Make(64, seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 1)).Fit(data);
        var batched = model.Transform(data);
        var scores = Scores(ml, batched);
        var labels = batched.GetColumn<uint>(ImageClassificationTransformer.PredictedLabelColumnName).ToArray();

        var engine = ml.Model.CreatePredictionEngine<QuadrantRows.Row, Prediction>(model);
        long before = model.Scorer.ForwardCalls;
        for (int i = 0; i < 10; i++)
        {
            var single = engine.Predict(rows[i]);
            Assert.Equal(scores[i], single.Score, new ToleranceComparer(1e-5f));
            Assert.Equal(labels[i], single.PredictedLabel);
        }
        Assert.Equal(10, model.Scorer.ForwardCalls - before);
    }

    [Fact]
    public void TheBatchedViewRunsTheNetworkOncePerBatchForAllOutputColumns()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 300, seed: 1);
        var model = ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 1)).Fit(data);
        var scored = model.Transform(data);
        long before = model.Scorer.ForwardCalls;
        using (var cursor = scored.GetRowCursor(scored.Schema))
        {
            var score = cursor.GetGetter<VBuffer<float>>(scored.Schema[ImageClassificationTransformer.ScoreColumnName]);
            var predicted = cursor.GetGetter<uint>(scored.Schema[ImageClassificationTransformer.PredictedLabelColumnName]);
            var wrongType = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(scored.Schema[ImageClassificationTransformer.ScoreColumnName]));
            Assert.Contains("cannot be read as Single", wrongType.Message);
            VBuffer<float> probabilities = default;
            uint label = 0;
            while (cursor.MoveNext())
            {
                score(ref probabilities);
                predicted(ref label);
                Assert.Equal(Array.IndexOf(probabilities.DenseValues().ToArray(), probabilities.DenseValues().Max()) + 1, (int)label);
            }
        }
        Assert.Equal(2, model.Scorer.ForwardCalls - before); // 256 + 44 rows
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalScores()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 64, seed: 1);
        var pipeline = ml.Transforms.CopyColumns("Image", "Features")
            .Append(ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 1)));
        var model = pipeline.Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"resnet-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext(5).Model.Load(path, out var schema);
            Assert.Equal(Scores(ml, model.Transform(data)), Scores(ml, loaded.Transform(data)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(UniformOptions.MethodName)]
    [InlineData(AutoAssistOptions.MethodName)]
    [InlineData(InfoBatchOptions.MethodName)]
    [InlineData(SelectiveBackpropOptions.MethodName)]
    [InlineData(LossSamplingOptions.MethodName)]
    public void EverySelectionMethodTrainsThroughTheSameLoop(string method)
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 256, seed: 1);
        var selection = SelectionMethods.Create(method);
        if (selection is AutoAssistOptions autoAssist)
            autoAssist.BaseKeepProbability = 0.2f;
        var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = selection, Seed = 2 });
        var model = filter.Append(ml.MulticlassClassification.Trainers.ResNet(Small(epochs: 3))).Fit(data);
        var report = model.LastTransformer.TrainingReport!;
        Assert.Equal(method, report.Method);
        Assert.Equal(3, report.SelectionEpochs.Count);
        Assert.Equal(1.0, report.SelectionEpochs[0].KeptFraction);
        switch (method)
        {
            case UniformOptions.MethodName:
                Assert.Equal(3 * 256, report.RowsBackpropagated);
                break;
            case SelectiveBackpropOptions.MethodName:
                Assert.Equal(3 * 256, report.SelectionEpochs.Sum(e => e.RowsKept));
                Assert.True(report.RowsBackpropagated < 3 * 256 * 0.8, $"backpropagated {report.RowsBackpropagated}");
                Assert.True(report.RowsForwarded > report.RowsBackpropagated);
                break;
            default:
                Assert.True(report.SelectionEpochs[2].KeptFraction < 1.0, report.SelectionEpochs[2].ToString());
                Assert.True(report.RowsBackpropagated < 3 * 256);
                break;
        }
        Assert.Equal(report.SelectionEpochs.Sum(e => e.RowsReported), report.SelectionEpochs.Sum(e => e.RowsKept));
    }

    [Fact]
    public void ValidationIsMeasuredAtTheRequestedInterval()
    {
        var ml = new MLContext(1);
        var options = Small(epochs: 2);
        options.ValidationSet = QuadrantRows.Load(ml, 64, seed: 2);
        options.EvaluationIntervalSteps = 4;
        var progress = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        var report = ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 256, seed: 1)).TrainingReport!;
        // 16 steps: at steps 4, 8, 12, 16 and at the end of both epochs, which fall on steps 8 and 16: never twice at one step.
        Assert.Equal(new long[] { 4, 8, 12, 16 }, report.Evaluations.Select(e => e.Step));
        Assert.All(report.Evaluations, e => Assert.InRange(e.Metric, 0, 1));
        Assert.True(report.Evaluations.Zip(report.Evaluations.Skip(1)).All(p => p.Second.Elapsed >= p.First.Elapsed));
        Assert.Contains(progress, p => p.Epoch == 1 && !double.IsNaN(p.ValidationMetric));
    }

    [Fact]
    public void ResumeFromCheckpointReproducesTheUninterruptedRun()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 128, seed: 1);
        var probe = QuadrantRows.Load(ml, 32, seed: 2);
        var uninterruptedFolder = Directory.CreateTempSubdirectory("resnet-ckpt-a").FullName;
        var resumedFolder = Directory.CreateTempSubdirectory("resnet-ckpt-b").FullName;
        try
        {
            ImageClassificationTrainerOptions Options(string folder)
            {
                var o = Small(epochs: 3);
                o.CheckpointFolder = folder;
                o.AugmentationPadding = 2;
                o.HorizontalFlip = true;
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
            Assert.Equal(uninterrupted.TrainingReport!.Steps, resumed.TrainingReport.Steps);
            Assert.Equal(Scores(ml, uninterrupted.Transform(probe)), Scores(ml, resumed.Transform(probe)));
        }
        finally
        {
            Directory.Delete(uninterruptedFolder, recursive: true);
            Directory.Delete(resumedFolder, recursive: true);
        }
    }

    [Fact]
    public void NoTensorLeaksAcrossEpochs()
    {
        var ml = new MLContext(1);
        var options = Small(epochs: 4);
        var live = new List<long>();
        options.Progress = new SynchronousProgress<TrainingProgress>(_ => live.Add(LiveTensors.Count));
        ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 128, seed: 1));
        Assert.Equal(4, live.Count);
        // The first epoch creates the optimizer's state; after that the count must not grow.
        Assert.Equal(live[1], live[3]);
    }

    [Fact]
    public void WrongVectorSizeIsNamed()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.ImageChannels = 3;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 8, 1)));
        Assert.Contains("'Features' holds 256 values", error.Message);
        Assert.Contains("3x16x16", error.Message);
    }

    [Fact]
    public void MissingLabelIsNamed()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.LabelColumnName = "Class";
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 8, 1)));
        Assert.Contains("label column 'Class' was not found", error.Message);
    }

    private sealed class FloatLabelRow
    {
        [VectorType(1, QuadrantRows.Size, QuadrantRows.Size)]
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [Fact]
    public void NonKeyLabelIsNamed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(QuadrantRows.Make(8, 1).Select(r => new FloatLabelRow { Features = r.Features, Label = r.Label }));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ResNet(Small()).Fit(data));
        Assert.Contains("label column 'Label'", error.Message);
        Assert.Contains("MapValueToKey", error.Message);
        Assert.Contains("Single", error.Message);
    }

    [Fact]
    public void MissingFeatureColumnIsNamed()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.FeatureColumnName = "Pixels";
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ResNet(options).Fit(QuadrantRows.Load(ml, 8, 1)));
        Assert.Contains("feature column 'Pixels' was not found", error.Message);
    }

    [Fact]
    public void BadOptionsAreRejectedByName()
    {
        var ml = new MLContext(1);
        var options = Small();
        options.BatchSize = 0;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ResNet(options));
        Assert.Contains("BatchSize", error.Message);
    }
}

/// <summary>An IProgress that reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
