using System.Text;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Corpus chrF exactly as sacreBLEU 2 computes it by default (Popović 2015): character n-grams of
/// orders 1 to 6 over the text with whitespace removed, no word n-grams, β = 2, the F-score of the
/// precision and recall averaged over the orders present, statistics summed over the corpus.
/// β, chrF++-style epsilon smoothing and keeping whitespace are here to check against sacreBLEU's tests.
/// </summary>
internal static class SacreChrf
{
    public const int CharOrder = 6;

    /// <summary>chrF in [0, 100] of <paramref name="hypotheses"/> against one or more reference streams.</summary>
    /// <param name="hypotheses">One translation per sentence (null counts as empty).</param>
    /// <param name="referenceStreams">Reference sets; per sentence the reference with the best F-score counts.</param>
    /// <param name="beta">Weight of recall over precision (sacreBLEU's default 2).</param>
    /// <param name="epsilonSmoothing">chrF++.py's smoothing: every order counts, an empty one as ε (sacreBLEU's default: off).</param>
    /// <param name="includeWhitespace">Keep whitespace as characters (default: removed).</param>
    public static double Corpus(IReadOnlyList<string?> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams,
        double beta = 2, bool epsilonSmoothing = false, bool includeWhitespace = false)
    {
        if (referenceStreams.Count == 0)
            throw new ArgumentException("chrF needs at least one reference stream.", nameof(referenceStreams));
        foreach (var stream in referenceStreams)
        {
            if (stream.Count != hypotheses.Count)
                throw new ArgumentException($"A reference stream has {stream.Count} sentences, the hypotheses {hypotheses.Count}.", nameof(referenceStreams));
        }

        var corpus = new long[3 * CharOrder];
        for (int s = 0; s < hypotheses.Count; s++)
        {
            var hypothesis = CharNGrams(hypotheses[s], includeWhitespace);
            long[]? best = null;
            double bestScore = -1;
            foreach (var stream in referenceStreams)
            {
                var statistics = Statistics(hypothesis, CharNGrams(stream[s], includeWhitespace));
                double score = FScore(statistics, beta, epsilonSmoothing);
                if (score > bestScore)
                    (bestScore, best) = (score, statistics);
            }
            for (int i = 0; i < corpus.Length; i++)
                corpus[i] += best![i];
        }
        return FScore(corpus, beta, epsilonSmoothing);
    }

    /// <summary>Per order: hypothesis n-grams, reference n-grams, matches (the minimum of the two counts).</summary>
    private static long[] Statistics(Dictionary<string, int>[] hypothesis, Dictionary<string, int>[] reference)
    {
        var statistics = new long[3 * CharOrder];
        for (int n = 0; n < CharOrder; n++)
        {
            statistics[3 * n] = hypothesis[n].Values.Sum();
            statistics[3 * n + 1] = reference[n].Values.Sum();
            foreach (var (ngram, count) in hypothesis[n])
                statistics[3 * n + 2] += Math.Min(count, reference[n].GetValueOrDefault(ngram));
        }
        return statistics;
    }

    /// <summary>sacreBLEU's chrF from summed statistics.</summary>
    private static double FScore(long[] statistics, double beta, bool epsilonSmoothing)
    {
        const double epsilon = 1e-16;
        double factor = beta * beta;
        double smoothed = 0, averagePrecision = 0, averageRecall = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < CharOrder; n++)
        {
            long hypothesisCount = statistics[3 * n], referenceCount = statistics[3 * n + 1], matches = statistics[3 * n + 2];
            double precision = hypothesisCount > 0 ? (double)matches / hypothesisCount : epsilon;
            double recall = referenceCount > 0 ? (double)matches / referenceCount : epsilon;
            double denominator = factor * precision + recall;
            smoothed += denominator > 0 ? (1 + factor) * precision * recall / denominator : epsilon;
            if (hypothesisCount > 0 && referenceCount > 0)
            {
                averagePrecision += precision;
                averageRecall += recall;
                effectiveOrder++;
            }
        }
        if (epsilonSmoothing)
            return 100 * smoothed / CharOrder;
        if (effectiveOrder == 0)
            return 0;
        averagePrecision /= effectiveOrder;
        averageRecall /= effectiveOrder;
        if (averagePrecision + averageRecall == 0)
            return 0;
        return 100 * (1 + factor) * averagePrecision * averageRecall / (factor * averagePrecision + averageRecall);
    }

    /// <summary>Character n-gram counts of orders 1 to 6, over Unicode code points as Python's strings index them.</summary>
    private static Dictionary<string, int>[] CharNGrams(string? text, bool includeWhitespace)
    {
        text ??= "";
        if (!includeWhitespace)
            text = string.Concat(SacreBleu.SplitPython(text));
        var characters = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        var counts = new Dictionary<string, int>[CharOrder];
        var builder = new StringBuilder();
        for (int n = 1; n <= CharOrder; n++)
        {
            var orderCounts = counts[n - 1] = new Dictionary<string, int>();
            for (int start = 0; start + n <= characters.Length; start++)
            {
                builder.Clear();
                for (int i = start; i < start + n; i++)
                    builder.Append(characters[i]);
                var ngram = builder.ToString();
                orderCounts[ngram] = orderCounts.GetValueOrDefault(ngram) + 1;
            }
        }
        return counts;
    }
}
