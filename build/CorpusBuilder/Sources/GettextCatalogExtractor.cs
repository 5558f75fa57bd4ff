namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// Other user-interface catalogs: usr/share/locale/&lt;lang&gt;/LC_MESSAGES/*.mo of whatever
/// packages were unpacked (here the GNOME applications whose help is read), msgid English.
/// The iso_* catalogs of iso-codes are skipped: country and language names, not sentences.
/// </summary>
public sealed class GettextCatalogExtractor : IPairSource
{
    /// <inheritdoc/>
    public string Name => SourceNames.GettextCatalogs;

    /// <inheritdoc/>
    public IEnumerable<RawPair> Extract(string root, string language)
    {
        string directory = Path.Combine(root, "usr", "share", "locale", language, "LC_MESSAGES");
        foreach (string path in SourceFiles.Sorted(directory, "*.mo"))
        {
            string file = Path.GetFileName(path);
            if (file.StartsWith("iso_", StringComparison.Ordinal))
            {
                continue;
            }
            var pairs = GettextPairs.Read(path, out var catalog);
            // GTK marks accelerators with '_', Qt/KDE with '&'.
            string markers = catalog?.AcceleratorMarker ?? "_&";
            foreach (var (entry, english, german) in pairs)
            {
                if (IsTranslatorCredit(entry.Context, english))
                {
                    continue;
                }
                yield return new RawPair(english, german, Name, file, markers);
            }
        }
    }

    // KDE catalogs carry the translators' names as pseudo-messages.
    private static bool IsTranslatorCredit(string context, string english) =>
        context is "NAME OF TRANSLATORS" or "EMAIL OF TRANSLATORS" || english is "Your names" or "Your emails";
}
