using Microsoft.ML.AutoAssist.CorpusBuilder.Cleaning;
using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Building;

/// <summary>
/// Collects raw pairs into the corpus: cleans each, splits documentation paragraphs into
/// sentences, and keeps each distinct (English, German) pair once, the first time it is seen.
/// </summary>
public sealed class CorpusGatherer
{
    private readonly bool _splitSentences;
    private readonly HashSet<(string, string)> _seen = [];
    private readonly List<CorpusPair> _pairs = [];
    private readonly Dictionary<string, SourceCounts> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _sourceOrder = [];

    /// <param name="splitSentences">Split aligned documentation paragraphs into sentence pairs where both sides split alike.</param>
    public CorpusGatherer(bool splitSentences = true)
    {
        _splitSentences = splitSentences;
    }

    /// <summary>The kept pairs in the order they were first seen.</summary>
    public IReadOnlyList<CorpusPair> Pairs => _pairs;

    /// <summary>Raw and kept counts per source, in the order the sources were first added.</summary>
    public IReadOnlyList<KeyValuePair<string, SourceCounts>> Counts => _sourceOrder.Select(s => KeyValuePair.Create(s, _counts[s])).ToList();

    /// <summary>Adds every pair of <paramref name="pairs"/>.</summary>
    public void AddRange(IEnumerable<RawPair> pairs)
    {
        foreach (RawPair pair in pairs)
        {
            Add(pair);
        }
    }

    /// <summary>Cleans one raw pair and keeps what is new.</summary>
    public void Add(RawPair raw)
    {
        if (!_counts.TryGetValue(raw.Source, out SourceCounts? counts))
        {
            counts = new SourceCounts();
            _counts[raw.Source] = counts;
            _sourceOrder.Add(raw.Source);
        }
        counts.Raw++;
        var cleaned = PairCleaner.Clean(raw.English, raw.German, raw.AcceleratorMarkers);
        if (cleaned is not { } pair)
        {
            return;
        }
        IReadOnlyList<(string English, string German)> pieces = _splitSentences && SourceNames.Documentation.Contains(raw.Source)
            ? SentenceSplitter.Split(pair.English, pair.German)
            : [pair];
        foreach (var piece in pieces)
        {
            // A sentence cut out of a paragraph must pass the same checks as a whole pair.
            var kept = piece == pair ? pair : PairCleaner.Clean(piece.English, piece.German);
            if (kept is { } k && _seen.Add(k))
            {
                _pairs.Add(new CorpusPair(k.English, k.German, raw.Source, raw.Document));
                counts.Kept++;
            }
        }
    }
}
