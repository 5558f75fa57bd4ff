using Microsoft.ML.Data;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Svm.SvmTestData;

namespace Microsoft.ML.AutoAssist.Tests.Svm;

public class ShrinkingSvmTrainerTests
{
    public static TheoryData<SvmInstanceSelection, SvmLoss> Variants()
    {
        var data = new TheoryData<SvmInstanceSelection, SvmLoss>();
        foreach (var selection in Enum.GetValues<SvmInstanceSelection>())
            foreach (var loss in Enum.GetValues<SvmLoss>())
                data.Add(selection, loss);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryVariantSeparatesSeparableData(SvmInstanceSelection selection, SvmLoss loss)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Separable(300));
        var model = ml.BinaryClassification.Trainers.ShrinkingSvm(Options(selection, loss, epochs: 50)).Fit(data);
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(data));
        Assert.Equal(1.0, metrics.Accuracy);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void PrimalObjectiveFallsFromTheFirstEpochToTheFifth(SvmInstanceSelection selection, SvmLoss loss)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Separable(300));
        var rows = SvmRows.Read(data, "Label", "Features", biasFeatureValue: 1, CancellationToken.None);
        double afterFirst = 0, afterFifth = 0;
        // "On average": a stochastic method may rise between two epochs of one run; the mean over seeds may not.
        for (int seed = 1; seed <= 3; seed++)
        {
            var options = Options(selection, loss);
            options.Cost = 1;
            var solver = ShrinkingSvmTrainer.CreateSolver(rows, options, seed);
            solver.Run(rows.Count);
            afterFirst += solver.Objective();
            solver.Run(4L * rows.Count);
            afterFifth += solver.Objective();
        }
        Assert.True(afterFifth < afterFirst, $"objective after epoch 5 ({afterFifth / 3}) is not below epoch 1's ({afterFirst / 3})");
    }

    [Theory]
    [InlineData(SvmInstanceSelection.AutoAssistShrinking)]
    [InlineData(SvmInstanceSelection.GradientNormImportance)]
    public void TheSameSeedGivesTheSameModel(SvmInstanceSelection selection)
    {
        var rows = Separable(200);
        BinaryPredictionTransformer<Trainers.LinearBinaryModelParameters> Train(int? seed, int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            var options = Options(selection, epochs: 3);
            options.Seed = seed;
            return ml.BinaryClassification.Trainers.ShrinkingSvm(options).Fit(ml.Data.LoadFromEnumerable(rows));
        }

        Assert.Equal(Weights(Train(5, 1)), Weights(Train(5, 2)));
        // No seed in the options: the MLContext's seed decides.
        Assert.Equal(Weights(Train(null, 4)), Weights(Train(null, 4)));
        Assert.NotEqual(Weights(Train(5, 1)), Weights(Train(6, 1)));
    }

    [Theory]
    [InlineData(SvmInstanceSelection.Uniform)]
    [InlineData(SvmInstanceSelection.LossImportance)]
    [InlineData(SvmInstanceSelection.AutoAssistShrinking)]
    public void SparseAndDenseFeaturesGiveTheSameModel(SvmInstanceSelection selection)
    {
        var rows = Separable(200);
        var ml = new MLContext(seed: 1);
        var trainer = ml.BinaryClassification.Trainers.ShrinkingSvm(Options(selection, epochs: 4));
        var dense = trainer.Fit(ml.Data.LoadFromEnumerable(rows));
        var sparse = trainer.Fit(ml.Data.LoadFromEnumerable(AsSparse(rows)));
        Assert.Equal(Weights(dense), Weights(sparse));
    }

    [Fact]
    public void TheDenseAndSparseLayoutsAgree()
    {
        // The layout follows the density, not the input: both inputs above went dense. Here the same
        // rows run on each layout; only the vectorised sums' order differs.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Separable(200));
        var dense = SvmRows.Read(data, "Label", "Features", 1, CancellationToken.None);
        var sparse = SvmRows.Read(data, "Label", "Features", 1, CancellationToken.None, allowDense: false);
        Assert.True(dense.IsDense);
        Assert.False(sparse.IsDense);
        var options = Options(SvmInstanceSelection.AutoAssistShrinking, epochs: 4);
        var fromDense = ShrinkingSvmTrainer.CreateSolver(dense, options, seed: 2);
        var fromSparse = ShrinkingSvmTrainer.CreateSolver(sparse, options, seed: 2);
        fromDense.Run(4L * dense.Count);
        fromSparse.Run(4L * sparse.Count);
        var a = fromDense.Weights();
        var b = fromSparse.Weights();
        for (int j = 0; j < a.Length; j++)
            Assert.Equal(a[j], b[j], 1e-9 * Math.Max(1, Math.Abs(a[j])));
    }

    [Fact]
    public void NoBiasFeatureMeansAZeroBias()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(SvmInstanceSelection.Uniform, epochs: 2);
        options.BiasFeatureValue = 0;
        var model = ml.BinaryClassification.Trainers.ShrinkingSvm(options).Fit(ml.Data.LoadFromEnumerable(Separable(100)));
        Assert.Equal(0f, model.Model.Bias);
    }

    [Fact]
    public void CancellationStopsFit()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(SvmInstanceSelection.Uniform);
        options.CancellationToken = new CancellationToken(canceled: true);
        var trainer = ml.BinaryClassification.Trainers.ShrinkingSvm(options);
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(Separable(50))));
    }
}
