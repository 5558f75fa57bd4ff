using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Svm;

/// <summary>Small made-up binary problems for the SVM trainer's tests.</summary>
internal static class SvmTestData
{
    public const int FeatureCount = 12;

    public sealed class DenseRow
    {
        public bool Label;
        [VectorType(FeatureCount)] public float[] Features = [];
    }

    public sealed class SparseRow
    {
        public bool Label;
        [VectorType(FeatureCount)] public VBuffer<float> Features;
    }

    /// <summary>
    /// Rows labelled by the sign of a fixed hyperplane (with a bias), keeping only those at least
    /// 0.3 away from it, so that the set is separable with a margin. About a third of the values are
    /// zero, so that the sparse rows differ from the dense ones.
    /// </summary>
    public static List<DenseRow> Separable(int count, int seed = 11)
    {
        var random = new Random(seed);
        var direction = Enumerable.Range(0, FeatureCount).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var rows = new List<DenseRow>();
        while (rows.Count < count)
        {
            var x = new float[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
                x[j] = random.NextDouble() < 0.35 ? 0f : (float)(random.NextDouble() * 2 - 1);
            double side = 0.2;
            for (int j = 0; j < FeatureCount; j++)
                side += direction[j] * x[j];
            if (Math.Abs(side) >= 0.3)
                rows.Add(new DenseRow { Label = side > 0, Features = x });
        }
        return rows;
    }

    public static List<SparseRow> AsSparse(IEnumerable<DenseRow> rows) => rows.Select(r =>
    {
        var indices = Enumerable.Range(0, FeatureCount).Where(j => r.Features[j] != 0).ToArray();
        var values = indices.Select(j => r.Features[j]).ToArray();
        return new SparseRow { Label = r.Label, Features = new VBuffer<float>(FeatureCount, values.Length, values, indices) };
    }).ToList();

    public static ShrinkingSvmTrainerOptions Options(SvmInstanceSelection selection, SvmLoss loss = SvmLoss.Hinge, int epochs = 20)
        => new() { Selection = selection, Loss = loss, Cost = 100, NumberOfEpochs = epochs, Seed = 3 };

    public static float[] Weights(BinaryPredictionTransformer<Trainers.LinearBinaryModelParameters> model)
        => [.. model.Model.Weights, model.Model.Bias];
}
