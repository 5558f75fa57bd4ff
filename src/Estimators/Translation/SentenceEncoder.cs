using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Turns sentences into the token arrays the network reads, within the length limits: sources end
/// with the end mark; targets are kept without marks (the batch adds begin and end). Over-long text
/// is truncated or refused, as <see cref="OverlongTextHandling"/> says, naming the row.
/// </summary>
internal sealed class SentenceEncoder
{
    public SentenceEncoder(SubwordTokenizer tokenizer, int maxSourceLength, int maxTargetLength, OverlongTextHandling overlong)
    {
        Tokenizer = tokenizer;
        MaxSourceLength = maxSourceLength;
        MaxTargetLength = maxTargetLength;
        Overlong = overlong;
    }

    public SubwordTokenizer Tokenizer { get; }

    public int MaxSourceLength { get; }

    public int MaxTargetLength { get; }

    public OverlongTextHandling Overlong { get; }

    /// <summary>The source's tokens and the end mark, at most <see cref="MaxSourceLength"/>.</summary>
    /// <param name="text">The sentence (empty for a missing value).</param>
    /// <param name="column">Its column, for the message.</param>
    /// <param name="row">Which row it is, for the message ("row 12").</param>
    public int[] Source(ReadOnlySpan<char> text, string column, string row)
    {
        var tokens = Limit(Tokenizer.Encode(text), MaxSourceLength, column, row, nameof(TranslationTrainerOptions.MaxSourceLength));
        var withEnd = new int[tokens.Length + 1];
        tokens.CopyTo(withEnd, 0);
        withEnd[^1] = Tokenizer.EndId;
        return withEnd;
    }

    /// <summary>The target's tokens without marks, at most <see cref="MaxTargetLength"/> - 1 (room for the end mark).</summary>
    public int[] Target(ReadOnlySpan<char> text, string column, string row)
        => Limit(Tokenizer.Encode(text), MaxTargetLength, column, row, nameof(TranslationTrainerOptions.MaxTargetLength));

    /// <summary>"row N" for a row id (ids of ordinary data views count rows from 0).</summary>
    public static string DescribeRow(DataViewRowId id) => id.High == 0 ? $"row {id.Low}" : $"row id {id}";

    private int[] Limit(int[] tokens, int limitWithEnd, string column, string row, string option)
    {
        if (tokens.Length + 1 <= limitWithEnd)
            return tokens;
        if (Overlong == OverlongTextHandling.Throw)
            throw new InvalidDataException(
                $"Column '{column}', {row}: the text is {tokens.Length + 1} subword tokens long with its end mark, more than {option} = {limitWithEnd}. " +
                $"Shorten or remove the row, raise {option}, or set OverlongText = {nameof(OverlongTextHandling.Truncate)}.");
        return tokens[..(limitWithEnd - 1)];
    }
}
