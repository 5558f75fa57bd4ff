namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// GNOME help (gnome-user-docs and the help of GNOME applications): each English page
/// usr/share/help/C/&lt;document&gt;/*.page against usr/share/help/&lt;lang&gt;/&lt;document&gt;/*.page.
/// The translations are made with itstool, which keeps the block structure, so blocks align one
/// to one; a page whose block sequence differs (an outdated translation) is skipped whole.
/// </summary>
public sealed class GnomeHelpExtractor : IPairSource
{
    /// <inheritdoc/>
    public string Name => SourceNames.GnomeHelp;

    /// <inheritdoc/>
    public IEnumerable<RawPair> Extract(string root, string language)
    {
        string helpRoot = Path.Combine(root, "usr", "share", "help");
        string englishRoot = Path.Combine(helpRoot, "C"), germanRoot = Path.Combine(helpRoot, language);
        if (!Directory.Exists(englishRoot) || !Directory.Exists(germanRoot))
        {
            yield break;
        }
        // Sorted by full path (not directory by directory) so "gnome-help-x/" sorts before "gnome-help/" as a path does.
        var englishPages = Directory.GetDirectories(englishRoot).SelectMany(d => SourceFiles.Sorted(d, "*.page")).ToList();
        englishPages.Sort(StringComparer.Ordinal);
        foreach (string englishPath in englishPages)
        {
            string relative = SourceFiles.Relative(englishRoot, englishPath);
            string germanPath = Path.Combine(germanRoot, relative);
            if (!File.Exists(germanPath))
            {
                continue;
            }
            var english = MallardBlockReader.Read(englishPath);
            var german = MallardBlockReader.Read(germanPath);
            foreach (RawPair pair in BlockAligner.Align(english, german, relative, Name))
            {
                yield return pair;
            }
        }
    }
}
