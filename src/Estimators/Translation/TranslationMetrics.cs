namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Corpus-level translation quality, equal to sacreBLEU's defaults: BLEU (13a tokenisation,
/// exponential smoothing, brevity penalty, n-grams up to 4) and chrF (character 6-grams, β = 2).
/// Get it from <c>mlContext.Translation().Evaluate</c>.
/// </summary>
public sealed class TranslationMetrics
{
    internal TranslationMetrics(BleuScore bleu, double chrf, int sentences)
    {
        Bleu = bleu.Score;
        BleuPrecisions = bleu.Precisions;
        BrevityPenalty = bleu.BrevityPenalty;
        HypothesisLength = bleu.HypothesisLength;
        ReferenceLength = bleu.ReferenceLength;
        Chrf = chrf;
        SentenceCount = sentences;
    }

    /// <summary>Corpus BLEU in [0, 100].</summary>
    public double Bleu { get; }

    /// <summary>BLEU's n-gram precisions for n = 1 to 4, in [0, 100] (after smoothing).</summary>
    public IReadOnlyList<double> BleuPrecisions { get; }

    /// <summary>BLEU's brevity penalty, in [0, 1]: below 1 when the translations are shorter than the references.</summary>
    public double BrevityPenalty { get; }

    /// <summary>Tokens of the translations (13a tokenisation).</summary>
    public long HypothesisLength { get; }

    /// <summary>Tokens of the references (13a tokenisation).</summary>
    public long ReferenceLength { get; }

    /// <summary>Corpus chrF in [0, 100].</summary>
    public double Chrf { get; }

    /// <summary>Sentences scored.</summary>
    public int SentenceCount { get; }

    /// <summary>The metrics of translations against one reference per sentence (null counts as empty).</summary>
    /// <param name="translations">The system's translations.</param>
    /// <param name="references">The reference translations, in the same order.</param>
    public static TranslationMetrics Compute(IReadOnlyList<string?> translations, IReadOnlyList<string?> references)
    {
        ArgumentNullException.ThrowIfNull(translations);
        ArgumentNullException.ThrowIfNull(references);
        if (translations.Count != references.Count)
            throw new ArgumentException($"{translations.Count} translations but {references.Count} references.", nameof(references));
        return new TranslationMetrics(SacreBleu.Corpus(translations, [references]), SacreChrf.Corpus(translations, [references]), translations.Count);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"BLEU {Bleu:F2}, chrF {Chrf:F2} ({SentenceCount} sentences)");
}
