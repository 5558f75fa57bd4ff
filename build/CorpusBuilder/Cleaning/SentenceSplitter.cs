using System.Text.RegularExpressions;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Cleaning;

/// <summary>
/// Splits an aligned English/German paragraph into aligned sentences, but only when both sides
/// split into the same number of sentences of plausible relative lengths; otherwise the
/// paragraph stays one pair. Short, sentence-sized pairs suit a small translation model.
/// </summary>
public static partial class SentenceSplitter
{
    // A sentence ends at . ! or ? followed by space and an upper-case letter, quote or bracket.
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-ZÄÖÜÀ-Ý""“„«(])")]
    private static partial Regex SentenceBoundary { get; }

    // English and German abbreviations (and single initials) after which a period ends no sentence.
    [GeneratedRegex(@"(?:^|\s)(?:e\.g|i\.e|etc|vs|approx|no|fig|min|max|incl|z\. ?B|d\. ?h|u\. ?a|bzw|ca|vgl|usw|ggf|evtl|Nr|Abb|bspw|inkl|p\. ?ex|env|cf|M|Mr|Dr|S|[A-Za-z])\.$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EndsWithAbbreviation { get; }

    /// <summary>Splits one paragraph into sentences.</summary>
    public static IReadOnlyList<string> Sentences(string paragraph)
    {
        var sentences = new List<string>();
        foreach (string part in SentenceBoundary.Split(paragraph))
        {
            if (sentences.Count > 0 && EndsWithAbbreviation.IsMatch(sentences[^1]))
            {
                sentences[^1] += " " + part;
            }
            else
            {
                sentences.Add(part);
            }
        }
        return sentences;
    }

    /// <summary>
    /// The sentence pairs of an aligned paragraph pair, or the paragraph pair itself when the two
    /// sides do not split alike.
    /// </summary>
    public static IReadOnlyList<(string English, string German)> Split(string english, string german)
    {
        IReadOnlyList<string> se = Sentences(english), st = Sentences(german);
        if (se.Count == st.Count && se.Count > 1)
        {
            var pairs = se.Zip(st).ToList();
            if (pairs.All(p => PlausibleLengths(p.First, p.Second)))
            {
                return pairs;
            }
        }
        return [(english, german)];
    }

    private static bool PlausibleLengths(string a, string b)
    {
        int longer = Math.Max(a.Length, b.Length), shorter = Math.Min(a.Length, b.Length);
        return longer <= 20 || longer <= 2.2 * shorter;
    }
}
