using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.AutoAssist;

/// <summary>How BLEU treats an n-gram order without matches (Chen and Cherry 2014).</summary>
internal enum BleuSmoothing
{
    /// <summary>No smoothing: a zero precision makes BLEU 0.</summary>
    None,

    /// <summary>Method 1: a zero count becomes the floor value.</summary>
    Floor,

    /// <summary>Method 3, mteval-v13a's and sacreBLEU's default: the k-th zero precision becomes 1 / (2^k × total).</summary>
    Exponential,
}

/// <summary>A corpus BLEU score with its parts, as sacreBLEU reports them.</summary>
/// <param name="Score">BLEU in [0, 100].</param>
/// <param name="Correct">Matched n-grams per order (1 to 4), clipped by the references.</param>
/// <param name="Total">Hypothesis n-grams per order.</param>
/// <param name="Precisions">Precision per order in [0, 100], after smoothing.</param>
/// <param name="BrevityPenalty">exp(1 - reference length / hypothesis length) when the hypotheses are shorter, else 1.</param>
/// <param name="HypothesisLength">Hypothesis tokens.</param>
/// <param name="ReferenceLength">Reference tokens (per sentence, the closest reference's length).</param>
internal sealed record BleuScore(double Score, long[] Correct, long[] Total, double[] Precisions, double BrevityPenalty, long HypothesisLength,
    long ReferenceLength);

/// <summary>
/// Corpus BLEU exactly as sacreBLEU 2 computes it by default: mteval-v13a tokenisation, n-grams up
/// to 4, exponential smoothing, brevity penalty against the closest reference length, no
/// lowercasing. Other smoothings and "no tokenisation" are here to check against sacreBLEU's tests.
/// </summary>
internal static class SacreBleu
{
    public const int MaxOrder = 4;

    // The language-dependent part of mteval-v13a (as sacreBLEU's TokenizerRegexp): punctuation and
    // symbols split off; period and comma split unless between digits; dash split after a digit.
    private static readonly (Regex Pattern, string Replacement)[] Rules =
    [
        (new Regex(@"([{-~\[-` -&(-+:-@/])", RegexOptions.CultureInvariant), " $1 "),
        (new Regex(@"([^0-9])([.,])", RegexOptions.CultureInvariant), "$1 $2 "),
        (new Regex(@"([.,])([^0-9])", RegexOptions.CultureInvariant), " $1 $2"),
        (new Regex(@"([0-9])(-)", RegexOptions.CultureInvariant), "$1 $2 "),
    ];

    /// <summary>BLEU of <paramref name="hypotheses"/> against one or more reference streams (each as long as the hypotheses).</summary>
    /// <param name="hypotheses">One translation per sentence (null counts as empty).</param>
    /// <param name="referenceStreams">Reference sets: stream r holds every sentence's r-th reference.</param>
    /// <param name="smoothing">Zero-precision smoothing; sacreBLEU's default is exponential.</param>
    /// <param name="floor">The floor value for <see cref="BleuSmoothing.Floor"/> (sacreBLEU's default 0.1).</param>
    /// <param name="tokenize">True: mteval-v13a tokenisation (the default); false: split on whitespace only.</param>
    /// <param name="effectiveOrder">Average only over orders the hypotheses have n-grams of (sentence-level BLEU).</param>
    public static BleuScore Corpus(IReadOnlyList<string?> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams,
        BleuSmoothing smoothing = BleuSmoothing.Exponential, double floor = 0.1, bool tokenize = true, bool effectiveOrder = false)
    {
        if (referenceStreams.Count == 0)
            throw new ArgumentException("BLEU needs at least one reference stream.", nameof(referenceStreams));
        foreach (var stream in referenceStreams)
        {
            if (stream.Count != hypotheses.Count)
                throw new ArgumentException($"A reference stream has {stream.Count} sentences, the hypotheses {hypotheses.Count}.", nameof(referenceStreams));
        }

        var correct = new long[MaxOrder];
        var total = new long[MaxOrder];
        long hypothesisLength = 0, referenceLength = 0;
        for (int s = 0; s < hypotheses.Count; s++)
        {
            var hypothesis = Words(hypotheses[s], tokenize);
            var referenceCounts = new Dictionary<string, int>();
            long closest = -1, closestDifference = -1;
            foreach (var stream in referenceStreams)
            {
                var reference = Words(stream[s], tokenize);
                foreach (var (ngram, count) in NGrams(reference))
                    referenceCounts[ngram] = Math.Max(referenceCounts.GetValueOrDefault(ngram), count);
                // The closest reference length; on a tie, the shorter.
                long difference = Math.Abs(hypothesis.Length - reference.Length);
                if (closestDifference < 0 || difference < closestDifference || (difference == closestDifference && reference.Length < closest))
                    (closestDifference, closest) = (difference, reference.Length);
            }
            hypothesisLength += hypothesis.Length;
            referenceLength += closest;
            foreach (var (ngram, count) in NGrams(hypothesis))
            {
                int order = ngram.Count(c => c == ' ');
                total[order] += count;
                correct[order] += Math.Min(count, referenceCounts.GetValueOrDefault(ngram));
            }
        }
        return FromStatistics(correct, total, hypothesisLength, referenceLength, smoothing, floor, effectiveOrder);
    }

    /// <summary>BLEU from its sufficient statistics (sacreBLEU's compute_bleu).</summary>
    public static BleuScore FromStatistics(long[] correct, long[] total, long hypothesisLength, long referenceLength,
        BleuSmoothing smoothing = BleuSmoothing.Exponential, double floor = 0.1, bool effectiveOrder = false)
    {
        double brevity = hypothesisLength >= referenceLength ? 1.0
            : hypothesisLength > 0 ? Math.Exp(1 - (double)referenceLength / hypothesisLength) : 0.0;
        var precisions = new double[MaxOrder];
        if (correct.All(c => c == 0))
            return new BleuScore(0, correct, total, precisions, brevity, hypothesisLength, referenceLength);

        double exponentialSmoothing = 1;
        int orders = MaxOrder;
        for (int n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0)
                break;
            if (effectiveOrder)
                orders = n + 1;
            if (correct[n] > 0)
                precisions[n] = 100.0 * correct[n] / total[n];
            else if (smoothing == BleuSmoothing.Exponential)
            {
                exponentialSmoothing *= 2;
                precisions[n] = 100.0 / (exponentialSmoothing * total[n]);
            }
            else if (smoothing == BleuSmoothing.Floor)
                precisions[n] = 100.0 * floor / total[n];
        }
        // sacreBLEU's log of 0 is -9999999999, which makes the mean's exponential 0.
        double logSum = precisions.Take(orders).Sum(p => p == 0 ? -9999999999.0 : Math.Log(p));
        return new BleuScore(brevity * Math.Exp(logSum / orders), correct, total, precisions, brevity, hypothesisLength, referenceLength);
    }

    /// <summary>mteval-v13a tokenisation, as sacreBLEU's "13a" tokenizer (after its right strip).</summary>
    public static string Tokenize13a(string line)
    {
        line = line.TrimEnd(PythonWhitespace);
        line = line.Replace("<skipped>", "").Replace("-\n", "").Replace("\n", " ");
        if (line.Contains('&'))
            line = line.Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        line = $" {line} ";
        foreach (var (pattern, replacement) in Rules)
            line = pattern.Replace(line, replacement);
        return string.Join(' ', SplitPython(line));
    }

    /// <summary>Python's str.split(): runs of Unicode whitespace separate, none at either end.</summary>
    public static string[] SplitPython(string text) => text.Split(PythonWhitespace, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The characters Python's str.isspace() accepts in the Basic Multilingual Plane.</summary>
    internal static readonly char[] PythonWhitespace = Enumerable.Range(0, 0x10000).Select(c => (char)c)
        .Where(c => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f').ToArray();

    private static string[] Words(string? text, bool tokenize)
        => SplitPython(tokenize ? Tokenize13a(text ?? "") : (text ?? "").TrimEnd(PythonWhitespace));

    /// <summary>Every n-gram of order 1 to 4 with its count, words joined by single spaces (words hold no spaces).</summary>
    private static Dictionary<string, int> NGrams(string[] words)
    {
        var counts = new Dictionary<string, int>();
        var builder = new StringBuilder();
        for (int start = 0; start < words.Length; start++)
        {
            builder.Clear();
            for (int n = 0; n < MaxOrder && start + n < words.Length; n++)
            {
                if (n > 0)
                    builder.Append(' ');
                builder.Append(words[start + n]);
                var ngram = builder.ToString();
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }
        }
        return counts;
    }
}
