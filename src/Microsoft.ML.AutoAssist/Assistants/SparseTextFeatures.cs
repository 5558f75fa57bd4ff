namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The translation Assistant's features for each cached sentence pair, as sparse rows:
/// TF-IDF of the source tokens and of the target tokens (each L2-normalised), the mean of one
/// weight per distinct source and target token, and the source and target lengths in tokens,
/// standardised over the cached rows (so a very long sentence is a few standard deviations, not a
/// value that swamps the other features).
/// </summary>
internal sealed class SparseTextFeatures
{
    private SparseTextFeatures(int[] rowStart, int[] indices, float[] values, int dimension)
    {
        RowStart = rowStart;
        Indices = indices;
        Values = values;
        Dimension = dimension;
    }

    public int[] RowStart { get; }
    public int[] Indices { get; }
    public float[] Values { get; }
    public int Dimension { get; }

    public static SparseTextFeatures Build(IReadOnlyList<string> sources, IReadOnlyList<string> targets, int maxVocabularyPerSide)
    {
        var sourceTokens = sources.Select(Tokenize).ToArray();
        var targetTokens = targets.Select(Tokenize).ToArray();
        var sourceVocabulary = Vocabulary.Build(sourceTokens, maxVocabularyPerSide);
        var targetVocabulary = Vocabulary.Build(targetTokens, maxVocabularyPerSide);

        // Layout: [src tf-idf | tgt tf-idf | src token mean | tgt token mean | src length | tgt length]
        int vs = sourceVocabulary.Size, vt = targetVocabulary.Size;
        int srcMean = vs + vt, tgtMean = srcMean + vs, lengths = tgtMean + vt;
        int dimension = lengths + 2;

        var sourceLength = Standardization.Of(sourceTokens.Select(t => (double)t.Length));
        var targetLength = Standardization.Of(targetTokens.Select(t => (double)t.Length));
        var rowStart = new int[sources.Count + 1];
        var indices = new List<int>();
        var values = new List<float>();
        for (int r = 0; r < sources.Count; r++)
        {
            AddSide(sourceTokens[r], sourceVocabulary, 0, srcMean, indices, values);
            AddSide(targetTokens[r], targetVocabulary, vs, tgtMean, indices, values);
            indices.Add(lengths);
            values.Add(sourceLength.Apply(sourceTokens[r].Length));
            indices.Add(lengths + 1);
            values.Add(targetLength.Apply(targetTokens[r].Length));
            rowStart[r + 1] = indices.Count;
        }
        return new SparseTextFeatures(rowStart, indices.ToArray(), values.ToArray(), dimension);
    }

    /// <summary>x ↦ (x − mean) / standard deviation; a constant feature becomes 0.</summary>
    internal readonly record struct Standardization(double Mean, double InverseStd)
    {
        public static Standardization Of(IEnumerable<double> values)
        {
            double sum = 0, sumSq = 0;
            long n = 0;
            foreach (var value in values)
            {
                sum += value;
                sumSq += value * value;
                n++;
            }
            double mean = n == 0 ? 0 : sum / n;
            double variance = n == 0 ? 0 : Math.Max(0, sumSq / n - mean * mean);
            return new Standardization(mean, variance > 1e-12 ? 1 / Math.Sqrt(variance) : 0);
        }

        public float Apply(double value) => (float)((value - Mean) * InverseStd);
    }

    private static void AddSide(string[] tokens, Vocabulary vocabulary, int tfidfOffset, int meanOffset, List<int> indices, List<float> values)
    {
        var counts = new Dictionary<int, int>();
        foreach (var token in tokens)
        {
            if (vocabulary.TryGetIndex(token, out int id))
                counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        if (counts.Count == 0)
            return;
        double norm = 0;
        foreach (var (id, count) in counts)
            norm += Math.Pow(count * vocabulary.Idf[id], 2);
        float inverseNorm = (float)(1 / Math.Sqrt(norm));
        float mean = 1f / counts.Count;
        foreach (var (id, count) in counts.OrderBy(c => c.Key))
        {
            indices.Add(tfidfOffset + id);
            values.Add(count * vocabulary.Idf[id] * inverseNorm);
        }
        foreach (var id in counts.Keys.Order())
        {
            indices.Add(meanOffset + id);
            values.Add(mean);
        }
    }

    internal static string[] Tokenize(string text)
    {
        var tokens = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (word && start < 0)
                start = i;
            else if (!word && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return tokens.ToArray();
    }

    private sealed class Vocabulary
    {
        private readonly Dictionary<string, int> _index;

        private Vocabulary(Dictionary<string, int> index, float[] idf)
        {
            _index = index;
            Idf = idf;
        }

        public int Size => Idf.Length;
        public float[] Idf { get; }

        public bool TryGetIndex(string token, out int index) => _index.TryGetValue(token, out index);

        public static Vocabulary Build(string[][] documents, int maxSize)
        {
            var documentFrequency = new Dictionary<string, int>();
            foreach (var document in documents)
                foreach (var token in document.Distinct())
                    documentFrequency[token] = documentFrequency.GetValueOrDefault(token) + 1;
            // Most frequent first, ties by ordinal so the layout is deterministic.
            var kept = documentFrequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(maxSize).ToArray();
            var index = new Dictionary<string, int>(kept.Length);
            var idf = new float[kept.Length];
            for (int i = 0; i < kept.Length; i++)
            {
                index[kept[i].Key] = i;
                idf[i] = (float)(Math.Log((1.0 + documents.Length) / (1.0 + kept[i].Value)) + 1);
            }
            return new Vocabulary(index, idf);
        }
    }
}
