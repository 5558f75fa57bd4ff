using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

/// <summary>
/// A fake network that answers "is any member positive?" exactly: a row is positive when its first
/// value is above one half. Each test costs one unit, as does testing a row alone.
/// </summary>
internal sealed class OracleTester : IGroupTester
{
    public int RowLength => GroupRows.Size * GroupRows.Size;

    public long IndividualMultiplyAccumulates => 1;

    public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
    {
        var positive = new bool[count];
        for (int i = 0; i < count; i++)
            positive[i] = rows.Span[i * RowLength] > 0.5f;
        return new Session(positive, statistics);
    }

    private sealed class Session(bool[] positive, GroupTestingStatistics statistics) : IGroupTestSession
    {
        public float[] Test(IReadOnlyList<int[]> groups)
        {
            statistics.AddTests(groups.Count, groups.Count);
            return groups.Select(g => g.Any(row => positive[row]) ? 1f : -1f).ToArray();
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Rows of 1x16x16 images whose first pixel marks the positives (for the oracle); the rest is noise.</summary>
internal static class GroupRows
{
    public const int Size = 16;

    public sealed class Row
    {
        [VectorType(1, Size, Size)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public int Id { get; set; }
    }

    public static List<Row> Make(int count, IEnumerable<int> positives, int seed = 1)
    {
        var random = new Random(seed);
        var positive = positives.ToHashSet();
        return Enumerable.Range(0, count).Select(i =>
        {
            var pixels = new float[Size * Size];
            for (int p = 1; p < pixels.Length; p++)
                pixels[p] = 0.3f * (float)random.NextDouble();
            // Positives also get a bright block, so a real network can learn them.
            if (positive.Contains(i))
            {
                pixels[0] = 1;
                for (int y = 0; y < Size / 2; y++)
                for (int x = 0; x < Size / 2; x++)
                    pixels[y * Size + x] += 1;
            }
            return new Row { Features = pixels, Label = positive.Contains(i), Id = i };
        }).ToList();
    }

    public static IDataView Load(MLContext ml, int count, IEnumerable<int> positives, int seed = 1) => ml.Data.LoadFromEnumerable(Make(count, positives, seed));

    public static GroupTestingTransformer Oracle(MLContext ml, GroupTestingAlgorithm algorithm, int groupSize, int seed = 0)
        => new(ml, new OracleTester(), "Features", new GroupTestingInferenceOptions { Algorithm = algorithm, GroupSize = groupSize, Seed = seed },
            ResNetArchitecture.ResNet8, 1);
}
