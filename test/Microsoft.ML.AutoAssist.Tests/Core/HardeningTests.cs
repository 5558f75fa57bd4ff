using Microsoft.ML.AutoAssist.Tests.ImageClassification;
using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>Failures and figures that used to be silent, missing or wrong.</summary>
public class HardeningTests
{
    public sealed class FeaturesOnly
    {
        [VectorType(SyntheticRows.Dimension)]
        public float[] Features { get; set; } = [];
    }

    public sealed class FeaturesOut
    {
        [VectorType(SyntheticRows.Dimension)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void AFittedFilterPredictsWithoutALabelBeforeAndAfterSaveAndLoad()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 50);
        var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Seed = 1 }).Fit(data);
        var row = new FeaturesOnly { Features = SyntheticRows.Make(1)[0].Features };
        Assert.Equal(row.Features, ml.Model.CreatePredictionEngine<FeaturesOnly, FeaturesOut>(filter).Predict(row).Features);

        var labelless = ml.Data.LoadFromEnumerable(new[] { row });
        var path = Path.Combine(Path.GetTempPath(), $"autoassist-labelless-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(filter, labelless.Schema, path);
            var loaded = ml.Model.Load(path, out var inputSchema);
            Assert.Null(inputSchema.GetColumnOrNull("Label"));
            Assert.Equal(row.Features, ml.Model.CreatePredictionEngine<FeaturesOnly, FeaturesOut>(loaded).Predict(row).Features);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public sealed class ImageOnly
    {
        [VectorType(1, QuadrantRows.Size, QuadrantRows.Size)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ImagePrediction
    {
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void AFilterAndResNetPipelinePredictsWithoutALabel()
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 64, seed: 1);
        var model = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Seed = 1 })
            .Append(ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
            {
                Architecture = ResNetArchitecture.ResNet8, Epochs = 1, BatchSize = 32, Seed = 3, TorchThreads = 1,
            }))
            .Fit(data);
        var image = new ImageOnly { Features = QuadrantRows.Make(1, seed: 2)[0].Features };
        var prediction = ml.Model.CreatePredictionEngine<ImageOnly, ImagePrediction>(model).Predict(image);
        Assert.Equal(4, prediction.Score.Length);
    }

    /// <summary>Learns normally until its <c>failAt</c>-th update, which throws.</summary>
    private sealed class FailingLateAssistant(int failAt) : IAssistant
    {
        private int _updates;
        public IReadOnlyList<string> InputColumnNames => ["Features"];
        public void Initialize(AssistantTrainingRows rows, int seed) { }
        public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities) => probabilities.Fill(0.5f);
        public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets)
        {
            if (Interlocked.Increment(ref _updates) == failAt)
                throw new InvalidDataException("the last update failed");
        }
    }

    private static SelectiveTrainingSession OpenWithAssistant(MLContext ml, IAssistant assistant)
    {
        var data = SyntheticRows.Load(ml, 128);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => assistant, Seed = 1 };
        return SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data), ["Features"], seed: 1);
    }

    [Fact]
    public void AFailureOfTheAssistantsLastUpdateIsThrownByComplete()
    {
        var ml = new MLContext(1);
        // 128 rows in batches of 64: the second update follows the trainer's last report.
        using var session = OpenWithAssistant(ml, new FailingLateAssistant(failAt: 2));
        EpochDriver.Run(session, _ => 1f, batchSize: 64);
        var error = Assert.Throws<InvalidOperationException>(session.Complete);
        Assert.Contains("the last update failed", error.Message);
    }

    [Fact]
    public void AFailureNoCallSurfacedIsAWarningWhenTheSessionCloses()
    {
        var ml = new MLContext(1);
        var session = OpenWithAssistant(ml, new FailingLateAssistant(failAt: 2));
        EpochDriver.Run(session, _ => 1f, batchSize: 64);
        session.Dispose();
        var warning = Assert.Single(session.Warnings);
        Assert.Contains("the last update failed", warning);
    }

    [Fact]
    public void SelectiveBackpropsStatisticsCountTheRowsItBackpropagated()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 1000);
        // No priming pass: the first epoch already selects.
        var options = new AutoAssistFilterOptions { Selection = new SelectiveBackpropOptions { PrimeEpochs = 0 }, Seed = 1 };
        using var session = SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data), ["Features"], seed: 1);
        var random = new Random(4);
        int backpropagated = 0;
        using (var epoch = session.OpenEpoch())
        {
            var ids = EpochDriver.ReadIds(epoch);
            foreach (var batch in ids.Chunk(50))
            {
                var losses = batch.Select(_ => (float)random.NextDouble()).ToArray();
                var weights = Enumerable.Repeat(1f, batch.Length).ToArray();
                session.ReportLosses(batch, losses);
                session.SelectForBackward(losses, weights);
                backpropagated += weights.Count(w => w > 0);
            }
        }
        var statistics = session.Statistics.Last!;
        Assert.Equal(1000, statistics.RowsKept);
        Assert.Equal(backpropagated, statistics.RowsBackpropagated);
        Assert.InRange(statistics.BackpropagatedFraction, 0.2, 0.5);
        Assert.Equal(1.0, statistics.KeptFraction);
        Assert.Contains($"backpropagated {backpropagated} ({statistics.BackpropagatedFraction:P1})", statistics.ToString());
    }

    [Fact]
    public void MethodsThatDoNotSelectAfterTheForwardPassBackpropagateWhatTheyKeep()
    {
        var ml = new MLContext(1);
        using var session = SelectiveTrainingSession.Open(ml, SyntheticRows.Load(ml, 100), ["Features"], seed: 1);
        EpochDriver.Run(session, f => f[0]);
        Assert.Equal(100, session.Statistics.Last!.RowsBackpropagated);
        Assert.Equal(1.0, session.Statistics.Last.BackpropagatedFraction);
    }

    [Fact]
    public void AMissingLabelNamesItsRow()
    {
        var ml = new MLContext(1);
        var rows = QuadrantRows.Make(40, seed: 1).Select((r, i) => new { r.Features, Name = i == 17 ? "unknown" : $"q{r.Label}" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new NamedImage { Features = r.Features, Name = r.Name }));
        var keys = ml.Data.LoadFromEnumerable(Enumerable.Range(0, QuadrantImages.Classes).Select(k => new KeyName { Name = $"q{k}" }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Name", keyData: keys)
            .Append(ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
            {
                Architecture = ResNetArchitecture.ResNet8, Epochs = 1, BatchSize = 8, Seed = 3, TorchThreads = 1,
            }));
        var error = Assert.Throws<InvalidDataException>(() => pipeline.Fit(data));
        Assert.Contains("row 17", error.Message);
    }

    public sealed class NamedImage
    {
        [VectorType(1, QuadrantRows.Size, QuadrantRows.Size)]
        public float[] Features { get; set; } = [];

        public string Name { get; set; } = "";
    }

    public sealed class KeyName
    {
        public string Name { get; set; } = "";
    }
}
