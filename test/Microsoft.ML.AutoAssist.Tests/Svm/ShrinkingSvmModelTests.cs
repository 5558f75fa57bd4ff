using Microsoft.ML.Data;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Svm.SvmTestData;

namespace Microsoft.ML.AutoAssist.Tests.Svm;

/// <summary>The trained model is ML.NET's own linear model and works with ML.NET's tools.</summary>
public class ShrinkingSvmModelTests
{
    private sealed class Prediction
    {
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private static (MLContext Ml, IDataView Data, BinaryPredictionTransformer<Trainers.LinearBinaryModelParameters> Model) Train()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Separable(200));
        return (ml, data, ml.BinaryClassification.Trainers.ShrinkingSvm(Options(SvmInstanceSelection.AutoAssistShrinking, epochs: 5)).Fit(data));
    }

    private static float[] Scores(IDataView scored) => scored.GetColumn<float>("Score").ToArray();

    [Fact]
    public void SaveAndLoadGiveIdenticalScores()
    {
        var (ml, data, model) = Train();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        Assert.Equal(Scores(model.Transform(data)), Scores(loaded.Transform(data)));
    }

    [Fact]
    public void APredictionEngineScoresOneRow()
    {
        var (ml, data, model) = Train();
        var row = Separable(200)[0];
        var engine = ml.Model.CreatePredictionEngine<DenseRow, Prediction>(model);
        var prediction = engine.Predict(row);
        Assert.Equal(Scores(model.Transform(data))[0], prediction.Score);
        Assert.Equal(row.Label, prediction.PredictedLabel);
    }

    [Fact]
    public void PlattCalibrationAddsAProbabilityForEvaluate()
    {
        var (ml, data, _) = Train();
        var pipeline = ml.BinaryClassification.Trainers.ShrinkingSvm(Options(SvmInstanceSelection.Uniform, epochs: 5))
            .Append(ml.BinaryClassification.Calibrators.Platt());
        var scored = pipeline.Fit(data).Transform(data);
        Assert.All(scored.GetColumn<float>("Probability"), p => Assert.InRange(p, 0f, 1f));
        var metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.True(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.LogLoss < 0.5, $"log-loss {metrics.LogLoss}");
    }

    [Fact]
    public void FeatureContributionsWork()
    {
        var (ml, data, model) = Train();
        var contributions = ml.Transforms.CalculateFeatureContribution(model, numberOfPositiveContributions: 3).Fit(data).Transform(data);
        var first = contributions.GetColumn<float[]>("FeatureContributions").First();
        Assert.Equal(FeatureCount, first.Length);
    }

    [Fact]
    public void TheOutputSchemaNamesScoreAndPredictedLabel()
    {
        var (ml, data, _) = Train();
        var shape = ml.BinaryClassification.Trainers.ShrinkingSvm().GetOutputSchema(SchemaShapes.FromSchema(data.Schema));
        Assert.Contains(shape, c => c.Name == "Score");
        Assert.Contains(shape, c => c.Name == "PredictedLabel");
    }
}
