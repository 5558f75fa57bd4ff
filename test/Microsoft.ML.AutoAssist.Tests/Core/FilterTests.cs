using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

public class FilterTests
{
    private sealed class TextRow
    {
        public string Features { get; set; } = "";
        public float Label { get; set; }
    }

    private sealed class VectorRow
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];

        [KeyType(2)]
        public uint Label { get; set; }
    }

    [Fact]
    public void OrdinaryConsumersSeeEveryRow()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 500);
        var transformer = ml.Transforms.AutoAssistFilter("Features", "Label").Fit(data);
        var view = transformer.Transform(data);
        Assert.Equal(500, ml.Data.CreateEnumerable<SyntheticRows.Row>(view, reuseRowObject: false).Count());
        Assert.Same(data.Schema, view.Schema);
    }

    /// <summary>Stands in for a trainer: records the view its Fit receives.</summary>
    private sealed class ProbeEstimator(MLContext ml) : IEstimator<ITransformer>
    {
        public IDataView? Received;

        public ITransformer Fit(IDataView input)
        {
            Received = input;
            return ml.Transforms.CopyColumns("Probe", "RowNumber").Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => ml.Transforms.CopyColumns("Probe", "RowNumber").GetOutputSchema(inputSchema);
    }

    [Fact]
    public void WorksAsATrainingOnlyStepOfAPipeline()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 200);
        var probe = new ProbeEstimator(ml);
        var pipeline = ml.Transforms.CopyColumns("Copy", "RowNumber")
            .Append(ml.Transforms.AutoAssistFilter("Features", "Label"), TransformerScope.Training)
            .Append(probe);
        var model = pipeline.Fit(data);
        // The trainer after the filter receives the filter's view...
        Assert.IsType<AutoAssistDataView>(probe.Received);
        // ...while the fitted model passes every row, and its scoring part leaves the filter out.
        Assert.Equal(200, ml.Data.CreateEnumerable<CopyOut>(model.Transform(data), reuseRowObject: false).Count());
        var scoring = model.GetModelFor(TransformerScope.Scoring);
        Assert.Equal(2, scoring.Count());
        Assert.DoesNotContain(scoring, t => t is AutoAssistFilterTransformer);
    }

    [Fact]
    public void PredictionEnginePassesRowsThrough()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 20);
        var model = ml.Transforms.AutoAssistFilter("Features", "Label").Append(ml.Transforms.CopyColumns("Copy", "RowNumber")).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<SyntheticRows.Row, CopyOut>(model);
        Assert.Equal(7f, engine.Predict(SyntheticRows.Make(20)[7]).Copy);
    }

    private sealed class CopyOut
    {
        public float Copy { get; set; }
    }

    [Fact]
    public void MissingFeatureColumnIsNamed()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 10);
        var estimator = ml.Transforms.AutoAssistFilter("Pixels", "Label");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Contains("feature column 'Pixels' was not found", error.Message);
    }

    [Fact]
    public void MistypedFeatureColumnIsNamedWithItsType()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable([new TextRow { Features = "a", Label = 1 }]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AutoAssistFilter("Features", labelColumnName: null).Fit(data));
        Assert.Contains("feature column 'Features'", error.Message);
        Assert.Contains("known-size vector of Single", error.Message);
        Assert.Contains("String", error.Message);
    }

    [Fact]
    public void NonKeyLabelIsNamed()
    {
        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromEnumerable(SyntheticRows.Make(4).Select(r => new FloatLabelRow { Features = r.Features, Label = r.Label }));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AutoAssistFilter("Features", "Label").Fit(rows));
        Assert.Contains("label column 'Label'", error.Message);
        Assert.Contains("MapValueToKey", error.Message);
    }

    private sealed class FloatLabelRow
    {
        [VectorType(SyntheticRows.Dimension)]
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [Fact]
    public void NaNFeatureIsNamedWithItsRow()
    {
        var ml = new MLContext(1);
        var rows = SyntheticRows.Make(10);
        rows[4].Features[2] = float.NaN;
        var data = ml.Data.LoadFromEnumerable(rows);
        var view = ml.Transforms.AutoAssistFilter("Features", "Label").Fit(data).Transform(data);
        var error = Assert.Throws<InvalidDataException>(() => SelectiveTrainingSession.Open(ml, view, ["Features"], 1));
        Assert.Contains("Column 'Features'", error.Message);
        Assert.Contains("slot 2", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void EmptyInputIsAClearError()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 0);
        var view = ml.Transforms.AutoAssistFilter("Features", "Label").Fit(data).Transform(data);
        var error = Assert.Throws<InvalidOperationException>(() => SelectiveTrainingSession.Open(ml, view, ["Features"], 1));
        Assert.Contains("no rows", error.Message);
    }

    [Fact]
    public void TrainerColumnMissingIsNamed()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 5);
        var view = ml.Transforms.AutoAssistFilter("Features", "Label").Fit(data).Transform(data);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SelectiveTrainingSession.Open(ml, view, ["Image"], 1));
        Assert.Contains("'Image'", error.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void AKeepFloorThatCouldKeepNothingIsRejected(float baseKeep)
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AutoAssistFilter("Features", "Label", baseKeep));
        Assert.Contains("BaseKeepProbability", error.Message);
    }

    [Fact]
    public void TextAssistantNeedsBothTextColumns()
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { SourceColumnName = "Source" }));
        Assert.Contains("TargetColumnName", error.Message);
        var data = ml.Data.LoadFromEnumerable([new VectorRow { Features = [1, 2, 3], Label = 1 }]);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { SourceColumnName = "Source", TargetColumnName = "Target" }).Fit(data));
        Assert.Contains("source column 'Source'", missing.Message);
    }

    [Fact]
    public void SavedPipelineKeepsTheFilterAndItsSettings()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 50);
        var options = new AutoAssistFilterOptions
        {
            FeatureColumnName = "Features",
            LabelColumnName = null,
            Selection = new AutoAssistOptions { BaseKeepProbability = 0.45f, Reweight = false },
            Seed = 9,
        };
        var model = ml.Transforms.CopyColumns("Copy", "RowNumber").Append(ml.Transforms.AutoAssistFilter(options)).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"autoassist-filter-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = (TransformerChain<ITransformer>)new MLContext(2).Model.Load(path, out _);
            var filter = Assert.IsType<AutoAssistFilterTransformer>(loaded.LastTransformer);
            var selection = Assert.IsType<AutoAssistOptions>(filter.Options.Selection);
            Assert.Equal(0.45f, selection.BaseKeepProbability);
            Assert.False(selection.Reweight);
            Assert.Null(filter.Options.LabelColumnName);
            Assert.Equal(9, filter.Options.Seed);
            Assert.Equal(50, ml.Data.CreateEnumerable<CopyOut>(loaded.Transform(data), reuseRowObject: false).Count());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
