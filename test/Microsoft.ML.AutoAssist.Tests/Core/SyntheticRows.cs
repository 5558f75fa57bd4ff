using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>Made-up rows: half "easy", half "hard", told apart by the sign of the first feature.</summary>
internal static class SyntheticRows
{
    public const int Dimension = 16;

    public sealed class Row
    {
        [VectorType(Dimension)]
        public float[] Features { get; set; } = [];

        [KeyType(2)]
        public uint Label { get; set; }

        public bool IsHard { get; set; }

        public float RowNumber { get; set; }
    }

    public static List<Row> Make(int count, int seed = 1)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            bool hard = i % 2 == 1;
            var features = new float[Dimension];
            for (int j = 0; j < Dimension; j++)
                features[j] = (float)(random.NextDouble() - 0.5);
            features[0] = (hard ? 1f : -1f) + 0.3f * (float)(random.NextDouble() - 0.5);
            features[1] = i; // lets tests recover the row from its values
            rows.Add(new Row { Features = features, Label = (uint)(i % 4 < 2 ? 0 : 1), IsHard = hard, RowNumber = i });
        }
        return rows;
    }

    public static IDataView Load(MLContext ml, int count, int seed = 1) => ml.Data.LoadFromEnumerable(Make(count, seed));

    /// <summary>The made-up Boss: near-zero loss on easy rows, a large one on hard rows.</summary>
    public static float BossLoss(float[] features, Random random)
        => features[0] > 0 ? 2f + (float)random.NextDouble() : 0.01f * (float)random.NextDouble();
}
