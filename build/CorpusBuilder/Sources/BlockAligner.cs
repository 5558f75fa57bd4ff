namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// Aligns the blocks of a document and its translation one to one. Tools such as itstool and
/// po4a translate block by block, so the structure of a current translation matches; when the
/// tag sequences differ the translation is outdated or restructured and no block is trusted.
/// </summary>
public static class BlockAligner
{
    /// <summary>
    /// The block pairs, or nothing when either side is missing or empty or their tag sequences differ.
    /// </summary>
    public static IEnumerable<RawPair> Align(IReadOnlyList<TextBlock>? english, IReadOnlyList<TextBlock>? german, string document, string source)
    {
        if (english is null || german is null || english.Count == 0 || english.Count != german.Count)
        {
            return [];
        }
        for (int i = 0; i < english.Count; i++)
        {
            if (english[i].Tag != german[i].Tag)
            {
                return [];
            }
        }
        return english.Zip(german, (e, g) => new RawPair(e.Text, g.Text, source, document));
    }
}
