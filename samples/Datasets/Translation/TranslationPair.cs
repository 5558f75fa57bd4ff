namespace Microsoft.ML.AutoAssist;

/// <summary>One sentence pair of a parallel corpus.</summary>
/// <param name="Source">The source-language sentence (English in the en-de corpus).</param>
/// <param name="Target">Its translation (German in the en-de corpus).</param>
/// <param name="Origin">Where the pair comes from (e.g. "lohelp", "gnomehelp"), or an empty string when the file does not say.</param>
public sealed record TranslationPair(string Source, string Target, string Origin);
