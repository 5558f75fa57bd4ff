using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Assistants;

/// <summary>The translation Assistant: what it learns, its length features, and inputs at the edges.</summary>
public class TextPairAssistantTests
{
    private sealed class Pair
    {
        public string Source { get; set; } = "";
        public string Target { get; set; } = "";
    }

    private static readonly string[] Words = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "far", "away", "house", "tree", "red", "blue", "small"];

    /// <summary>Made-up sentence pairs; every third source mentions "zebra", which makes the pair hard.</summary>
    private static List<Pair> MakePairs(int count, int seed = 1)
    {
        var random = new Random(seed);
        var pairs = new List<Pair>(count);
        for (int i = 0; i < count; i++)
        {
            var source = Enumerable.Range(0, 4 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)]).ToList();
            if (i % 3 == 0)
                source.Insert(random.Next(source.Count), "zebra");
            var target = Enumerable.Range(0, 4 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)].ToUpperInvariant() + "x");
            pairs.Add(new Pair { Source = string.Join(' ', source), Target = string.Join(' ', target) });
        }
        return pairs;
    }

    private static AssistantTrainingRows Rows(MLContext ml, IEnumerable<Pair> pairs)
        => new(RowStore.Load(ml.Data.LoadFromEnumerable(pairs.ToList()), ["Source", "Target"], CancellationToken.None));

    private static TextPairAssistant Initialized(AssistantTrainingRows rows)
    {
        var assistant = new TextPairAssistant("Source", "Target");
        assistant.Initialize(rows, seed: 1);
        return assistant;
    }

    [Fact]
    public void LearnsThatATokenMakesAPairHard()
    {
        var ml = new MLContext(1);
        var pairs = MakePairs(600);
        // The paper's L2 (0.1) suits millions of pairs; a few hundred need less to show the rule.
        var assistant = new TextPairAssistant("Source", "Target", learningRate: 0.5f, l2: 1e-3f);
        assistant.Initialize(Rows(ml, pairs), seed: 1);
        var random = new Random(2);
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        for (int epoch = 0; epoch < 10; epoch++)
        {
            random.Shuffle(order);
            foreach (var batch in order.Chunk(32))
                assistant.Update(batch, batch.Select(r => pairs[r].Source.Contains("zebra") ? 1f : 0f).ToArray());
        }
        var all = Enumerable.Range(0, pairs.Count).ToArray();
        var p = new float[all.Length];
        assistant.Score(all, p);
        var hard = all.Where(r => pairs[r].Source.Contains("zebra")).Select(r => p[r]).ToArray();
        var easy = all.Where(r => !pairs[r].Source.Contains("zebra")).Select(r => p[r]).ToArray();
        double auc = AssistantQuality.ComputeAuc(p, all.Select(r => pairs[r].Source.Contains("zebra")).ToArray());
        Assert.True(auc > 0.97, $"AUC {auc}");
        Assert.True(hard.Average() > easy.Average() + 0.2, $"hard mean {hard.Average()}, easy mean {easy.Average()}");
    }

    [Fact]
    public void LengthFeaturesAreStandardisedOverTheCachedRows()
    {
        var ml = new MLContext(1);
        var pairs = MakePairs(400);
        var features = SparseTextFeatures.Build(pairs.Select(p => p.Source).ToList(), pairs.Select(p => p.Target).ToList(), maxVocabularyPerSide: 50_000);
        // The two length features are the last two of every row.
        var sourceLengths = Enumerable.Range(0, pairs.Count).Select(r => (double)features.Values[features.RowStart[r + 1] - 2]).ToArray();
        var targetLengths = Enumerable.Range(0, pairs.Count).Select(r => (double)features.Values[features.RowStart[r + 1] - 1]).ToArray();
        foreach (var lengths in new[] { sourceLengths, targetLengths })
        {
            double mean = lengths.Average();
            double std = Math.Sqrt(lengths.Average(x => (x - mean) * (x - mean)));
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, std, 4);
        }
        // Longer source, larger feature, in token counts.
        int longest = Enumerable.Range(0, pairs.Count).MaxBy(r => pairs[r].Source.Split(' ').Length);
        int shortest = Enumerable.Range(0, pairs.Count).MinBy(r => pairs[r].Source.Split(' ').Length);
        Assert.True(sourceLengths[longest] > 1 && sourceLengths[shortest] < -1);
        Assert.Equal(features.Dimension - 2, features.Indices[features.RowStart[1] - 2]);
    }

    [Fact]
    public void EmptyUnseenAndVeryLongTextsScoreAsFiniteProbabilities()
    {
        var ml = new MLContext(1);
        var pairs = MakePairs(200);
        pairs.Add(new Pair { Source = "", Target = "" });
        pairs.Add(new Pair { Source = "!!! ... ???", Target = "   " });
        pairs.Add(new Pair { Source = "quagga okapi", Target = "QUAGGAx" }); // tokens outside the small vocabulary below
        pairs.Add(new Pair { Source = string.Join(' ', Enumerable.Repeat("zebra cat", 5000)), Target = string.Join(' ', Enumerable.Repeat("CATx", 20_000)) });
        var assistant = new TextPairAssistant("Source", "Target", maxVocabularyPerSide: 8);
        assistant.Initialize(Rows(ml, pairs), seed: 1);
        var all = Enumerable.Range(0, pairs.Count).ToArray();
        for (int epoch = 0; epoch < 3; epoch++)
            assistant.Update(all, all.Select(r => pairs[r].Source.Contains("zebra") ? 1f : 0f).ToArray());
        var p = new float[all.Length];
        assistant.Score(all, p);
        Assert.All(p, v => Assert.True(float.IsFinite(v) && v > 0 && v < 1, $"probability {v}"));

        var features = SparseTextFeatures.Build(pairs.Select(x => x.Source).ToList(), pairs.Select(x => x.Target).ToList(), maxVocabularyPerSide: 8);
        int empty = pairs.Count - 4, unseen = pairs.Count - 2, longest = pairs.Count - 1;
        // No known token: only the two length features.
        Assert.Equal(2, features.RowStart[empty + 1] - features.RowStart[empty]);
        Assert.Equal(2, features.RowStart[unseen + 1] - features.RowStart[unseen]);
        // The very long pair is some standard deviations out, not thousands of units.
        Assert.InRange(features.Values[features.RowStart[longest + 1] - 1], 1, 20);
        Assert.All(features.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void SavedStateRestoresTheSameScores()
    {
        var ml = new MLContext(1);
        var pairs = MakePairs(120);
        var rows = Rows(ml, pairs);
        var trained = Initialized(rows);
        var all = Enumerable.Range(0, pairs.Count).ToArray();
        trained.Update(all, all.Select(r => r % 2 == 0 ? 1f : 0f).ToArray());
        var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true))
            ((IAssistant)trained).SaveState(writer);
        state.Position = 0;
        var restored = Initialized(rows);
        using (var reader = new BinaryReader(state))
            ((IAssistant)restored).LoadState(reader);
        var expected = new float[all.Length];
        var actual = new float[all.Length];
        trained.Score(all, expected);
        restored.Score(all, actual);
        Assert.Equal(expected, actual);
    }
}
