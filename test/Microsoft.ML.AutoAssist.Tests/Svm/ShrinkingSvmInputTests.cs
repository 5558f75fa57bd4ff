using Microsoft.ML.Data;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Svm.SvmTestData;

namespace Microsoft.ML.AutoAssist.Tests.Svm;

public class ShrinkingSvmInputTests
{
    private sealed class FloatLabelRow
    {
        public float Label { get; set; }
        [VectorType(FeatureCount)] public float[] Features = new float[FeatureCount];
    }

    private sealed class NoLabelRow
    {
        [VectorType(FeatureCount)] public float[] Features = new float[FeatureCount];
    }

    private sealed class UnsizedRow
    {
        public bool Label;
        public float[] Features = [];
    }

    private static ShrinkingSvmTrainer Trainer(MLContext ml) => ml.BinaryClassification.Trainers.ShrinkingSvm(numberOfEpochs: 1);

    [Fact]
    public void ANonFiniteFeatureNamesTheRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = Separable(20);
        rows[7].Features[3] = float.NaN;
        var e = Assert.Throws<InvalidOperationException>(() => Trainer(ml).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Row 7", e.Message);
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void AMissingLabelColumnIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new NoLabelRow() });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(ml).Fit(data));
        Assert.Contains("Label column 'Label' not found", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(ml).GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
    }

    [Fact]
    public void ALabelOfTheWrongTypeIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new FloatLabelRow() });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(ml).Fit(data));
        Assert.Contains("label column 'Label': expected Boolean, got Single", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(ml).GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
    }

    [Fact]
    public void OneClassOnlyIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var rows = Separable(30).Where(r => r.Label).ToList();
        var e = Assert.Throws<InvalidOperationException>(() => Trainer(ml).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("both classes", e.Message);
    }

    [Fact]
    public void AnEmptyFeatureVectorIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new UnsizedRow { Label = true }, new UnsizedRow() });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(ml).Fit(data));
        Assert.Contains("feature column 'Features': expected a known-size vector of Single", e.Message);
    }

    [Fact]
    public void NoRowsAreRefused()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<InvalidOperationException>(() => Trainer(ml).Fit(ml.Data.LoadFromEnumerable(new List<DenseRow>())));
        Assert.Contains("no rows", e.Message);
    }

    public static TheoryData<string, Action<ShrinkingSvmTrainerOptions>> BadOptions() => new()
    {
        { nameof(ShrinkingSvmTrainerOptions.Cost), o => o.Cost = 0 },
        { nameof(ShrinkingSvmTrainerOptions.Cost), o => o.Cost = double.NaN },
        { nameof(ShrinkingSvmTrainerOptions.NumberOfEpochs), o => o.NumberOfEpochs = 0 },
        { nameof(ShrinkingSvmTrainerOptions.StepOffset), o => o.StepOffset = 0 },
        { nameof(ShrinkingSvmTrainerOptions.BiasFeatureValue), o => o.BiasFeatureValue = -1 },
        { nameof(ShrinkingSvmTrainerOptions.BaseKeepProbability), o => o.BaseKeepProbability = 0 },
        { nameof(ShrinkingSvmTrainerOptions.BaseKeepProbability), o => o.BaseKeepProbability = 1.5 },
        { nameof(ShrinkingSvmTrainerOptions.ShrinkingTolerance), o => o.ShrinkingTolerance = -1 },
        { nameof(ShrinkingSvmTrainerOptions.Selection), o => o.Selection = (SvmInstanceSelection)42 },
        { nameof(ShrinkingSvmTrainerOptions.FeatureColumnName), o => o.FeatureColumnName = "" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreNamedWhenTheTrainerIsCreated(string option, Action<ShrinkingSvmTrainerOptions> spoil)
    {
        var options = new ShrinkingSvmTrainerOptions();
        spoil(options);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().BinaryClassification.Trainers.ShrinkingSvm(options));
        Assert.Contains($"{nameof(ShrinkingSvmTrainerOptions)}.{option} ", e.Message);
    }
}
