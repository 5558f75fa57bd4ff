namespace Microsoft.ML.AutoAssist;

/// <summary>How a fitted translation model turns a source sentence into text.</summary>
/// <param name="BeamSize">Beam width; 1 is greedy decoding (the same translations, one hypothesis per sentence).</param>
/// <param name="LengthPenalty">Beam search's α: a finished hypothesis is ranked by log-probability / ((5 + length) / 6)^α.</param>
/// <param name="MaxLength">Longest translation in subword tokens, end mark included.</param>
public sealed record TranslationDecoding(int BeamSize, double LengthPenalty, int MaxLength)
{
    /// <summary>Greedy decoding up to <paramref name="maxLength"/> tokens.</summary>
    public static TranslationDecoding Greedy(int maxLength = 128) => new(1, 0, maxLength);

    internal void Validate()
    {
        if (BeamSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BeamSize), BeamSize, "TranslationDecoding.BeamSize must be at least 1.");
        if (!(LengthPenalty >= 0 && double.IsFinite(LengthPenalty)))
            throw new ArgumentOutOfRangeException(nameof(LengthPenalty), LengthPenalty, "TranslationDecoding.LengthPenalty must be finite and zero or positive.");
        if (MaxLength < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "TranslationDecoding.MaxLength must be at least 1.");
    }
}
