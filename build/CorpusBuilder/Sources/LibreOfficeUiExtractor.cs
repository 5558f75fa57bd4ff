namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// LibreOffice user-interface strings (package libreoffice-l10n-&lt;lang&gt;): the gettext
/// catalogs under usr/lib/libreoffice/program/resource/&lt;lang&gt;/LC_MESSAGES/, msgid English.
/// </summary>
public sealed class LibreOfficeUiExtractor : IPairSource
{
    /// <inheritdoc/>
    public string Name => SourceNames.LibreOfficeUi;

    /// <inheritdoc/>
    public IEnumerable<RawPair> Extract(string root, string language)
    {
        string directory = Path.Combine(root, "usr", "lib", "libreoffice", "program", "resource", language, "LC_MESSAGES");
        foreach (string path in SourceFiles.Sorted(directory, "*.mo"))
        {
            var pairs = GettextPairs.Read(path, out var catalog);
            // Strings from .hrc files mark accelerators with the catalog's marker ('~'), strings
            // from .ui files with GTK's '_'.
            string markers = (catalog?.AcceleratorMarker ?? "~") + "_";
            foreach (var (_, english, german) in pairs)
            {
                yield return new RawPair(english, german, Name, Path.GetFileName(path), markers);
            }
        }
    }
}
