using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Performance;

/// <summary>
/// The dense Assistant scores four rows at a time and learns with vector kernels, for speed; these
/// tests hold it to giving exactly (bit for bit) the numbers the plain one-row, scalar loops give.
/// </summary>
public class VectorisedAssistantTests
{
    private const int Dimension = 100; // whole vectors plus a scalar tail for every vector width

    private sealed class Row
    {
        [VectorType(Dimension)]
        public float[] Features { get; set; } = [];

        [KeyType(5)]
        public uint Label { get; set; }
    }

    /// <summary>Random rows with five classes, and the cache the Assistant reads them from.</summary>
    private static (List<Row> Rows, RowStore Store) MakeRows(int count, Random random)
    {
        var rows = Enumerable.Range(0, count).Select(i => new Row
        {
            Features = Enumerable.Range(0, Dimension).Select(_ => random.NextSingle()).ToArray(),
            Label = (uint)(i % 5 + 1),
        }).ToList();
        var ml = new MLContext(1);
        return (rows, RowStore.Load(ml.Data.LoadFromEnumerable(rows), ["Features", "Label"], CancellationToken.None));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(784)]
    public void Dot4IsBitIdenticalToDot(int length)
    {
        var random = new Random(length);
        float[] Make() => Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        float[] x0 = Make(), x1 = Make(), x2 = Make(), x3 = Make(), y = Make();
        var result = new float[4];

        VectorMath.Dot4(x0, x1, x2, x3, y, result);

        Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.Dot(x0, y)), BitConverter.SingleToInt32Bits(result[0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.Dot(x1, y)), BitConverter.SingleToInt32Bits(result[1]));
        Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.Dot(x2, y)), BitConverter.SingleToInt32Bits(result[2]));
        Assert.Equal(BitConverter.SingleToInt32Bits(VectorMath.Dot(x3, y)), BitConverter.SingleToInt32Bits(result[3]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(784)]
    public void StandardizeAndAddScaledAreBitIdenticalToScalarLoops(int length)
    {
        var random = new Random(length);
        float[] Make() => Enumerable.Range(0, length).Select(_ => random.NextSingle() * 4 - 2).ToArray();
        float[] x = Make(), mean = Make(), inverseStd = Make(), target = Make();
        const float scale = -0.0371f;

        var standardized = new float[length];
        VectorMath.Standardize(x, mean, inverseStd, standardized);
        var added = (float[])target.Clone();
        VectorMath.AddScaled(added, scale, x);

        for (int j = 0; j < length; j++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits((x[j] - mean[j]) * inverseStd[j]), BitConverter.SingleToInt32Bits(standardized[j]));
            Assert.Equal(BitConverter.SingleToInt32Bits(target[j] + scale * x[j]), BitConverter.SingleToInt32Bits(added[j]));
        }
    }

    [Theory]
    [InlineData("Label")]
    [InlineData(null)]
    public void ScoringABlockEqualsScoringEachRowAlone(string? labelColumn)
    {
        var random = new Random(11);
        var (rows, store) = MakeRows(203, random);
        var assistant = new DenseAssistant("Features", labelColumn, learningRate: 0.5f);
        assistant.Initialize(new AssistantTrainingRows(store), seed: 3);
        // Learn a little so that the weights and class biases are far from their initial values.
        var learned = Enumerable.Range(0, 64).ToArray();
        assistant.Update(learned, learned.Select(i => rows[i].Features[0] > 0.5f ? 1f : 0f).ToArray());

        // Scattered rows take the four-row kernel, adjacent ones the one-row path: both must agree.
        var scattered = Enumerable.Range(40, rows.Count - 40).ToArray();
        random.Shuffle(scattered);
        var order = Enumerable.Range(0, 40).Concat(scattered).ToArray();
        var block = new float[order.Length]; // 203 rows: fifty blocks of four and three left over
        assistant.Score(order, block);

        var alone = new float[1];
        for (int i = 0; i < order.Length; i++)
        {
            assistant.Score(order.AsSpan(i, 1), alone);
            Assert.Equal(BitConverter.SingleToInt32Bits(alone[0]), BitConverter.SingleToInt32Bits(block[i]));
        }
        Assert.True(block.Max() - block.Min() > 0.01f, "the learned weights should separate the rows");
    }

    [Fact]
    public void ScoreThenUpdateGivesScoresBeforeLearningAndLearnsLikeUpdate()
    {
        var random = new Random(5);
        var (rows, store) = MakeRows(150, random);
        DenseAssistant Make()
        {
            var assistant = new DenseAssistant("Features", "Label", learningRate: 0.5f);
            assistant.Initialize(new AssistantTrainingRows(store), seed: 3);
            return assistant;
        }
        var plain = Make();
        var combined = Make();
        var order = Enumerable.Range(0, rows.Count).ToArray();
        random.Shuffle(order);
        var targets = order.Select(i => rows[i].Features[0] > 0.5f ? 1f : 0f).ToArray();

        for (int step = 0; step < 3; step++)
        {
            var batch = order.AsSpan(step * 50, 50);
            var batchTargets = targets.AsSpan(step * 50, 50);
            var expected = new float[50];
            plain.Score(batch, expected);
            plain.Update(batch, batchTargets);
            var before = new float[50];
            combined.ScoreThenUpdate(batch, batchTargets, before);
            // The update computes the probabilities in standardised space, the snapshot in raw space:
            // the same numbers up to rounding.
            for (int i = 0; i < 50; i++)
                Assert.Equal(expected[i], before[i], 1e-4f);
        }
        var afterPlain = new float[rows.Count];
        var afterCombined = new float[rows.Count];
        plain.Score(order, afterPlain);
        combined.Score(order, afterCombined);
        Assert.Equal(afterPlain.Select(BitConverter.SingleToInt32Bits), afterCombined.Select(BitConverter.SingleToInt32Bits));
        Assert.Throws<ArgumentException>(() => combined.ScoreThenUpdate(order.AsSpan(0, 4), targets.AsSpan(0, 4), new float[3]));
    }
}
