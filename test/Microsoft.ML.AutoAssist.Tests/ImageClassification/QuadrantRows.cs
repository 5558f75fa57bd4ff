using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>The quadrant task as ML.NET rows: a 1x16x16 image and a key label of 4 classes.</summary>
internal static class QuadrantRows
{
    public const int Size = 16;

    public sealed class Row
    {
        [VectorType(1, Size, Size)]
        public float[] Features { get; set; } = [];

        [KeyType(QuadrantImages.Classes)]
        public uint Label { get; set; }
    }

    public static List<Row> Make(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        int half = Size / 2;
        for (int n = 0; n < count; n++)
        {
            int label = (n * 7 + seed) % QuadrantImages.Classes;
            int top = label / 2 * half, left = label % 2 * half;
            var pixels = new float[Size * Size];
            for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                bool bright = y >= top && y < top + half && x >= left && x < left + half;
                pixels[y * Size + x] = (bright ? 1f : 0f) + 0.3f * (float)random.NextDouble();
            }
            rows.Add(new Row { Features = pixels, Label = (uint)label }); // LoadFromEnumerable keys are 0-based
        }
        return rows;
    }

    public static IDataView Load(MLContext ml, int count, int seed) => ml.Data.LoadFromEnumerable(Make(count, seed));
}
