namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// The Debian Reference (debian-reference-en and debian-reference-&lt;lang&gt;): each chapter
/// usr/share/debian-reference/*.en.html against its *.&lt;lang&gt;.html. The translation is made
/// with po4a on the DocBook source, so blocks align one to one; a chapter whose block sequence
/// differs is skipped, and blocks containing commands or code are dropped.
/// </summary>
public sealed class DebianReferenceExtractor : IPairSource
{
    /// <inheritdoc/>
    public string Name => SourceNames.DebianReference;

    /// <inheritdoc/>
    public IEnumerable<RawPair> Extract(string root, string language)
    {
        string directory = Path.Combine(root, "usr", "share", "debian-reference");
        foreach (string englishPath in SourceFiles.Sorted(directory, "*.en.html"))
        {
            string chapter = Path.GetFileName(englishPath)[..^".en.html".Length];
            string germanPath = Path.Combine(directory, $"{chapter}.{language}.html");
            if (!File.Exists(germanPath))
            {
                continue;
            }
            var english = HtmlBlockReader.Read(File.ReadAllText(englishPath));
            var german = HtmlBlockReader.Read(File.ReadAllText(germanPath));
            foreach (RawPair pair in BlockAligner.Align(english, german, chapter, Name))
            {
                if (!pair.English.Contains(HtmlBlockReader.CodeMarker, StringComparison.Ordinal)
                    && !pair.German.Contains(HtmlBlockReader.CodeMarker, StringComparison.Ordinal))
                {
                    yield return pair;
                }
            }
        }
    }
}
