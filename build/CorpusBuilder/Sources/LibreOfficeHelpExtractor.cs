namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// LibreOffice help (packages libreoffice-help-en-us and libreoffice-help-&lt;lang&gt;): for each
/// English page under usr/share/libreoffice/help/en-US/text/ with a translated twin, pairs
/// the paragraphs that carry the same id. Code listings (Basic, Python) are left out.
/// </summary>
public sealed class LibreOfficeHelpExtractor : IPairSource
{
    private static readonly HashSet<string> CodeClasses = new(StringComparer.Ordinal) { "bascode", "pycode", "code" };

    /// <inheritdoc/>
    public string Name => SourceNames.LibreOfficeHelp;

    /// <inheritdoc/>
    public IEnumerable<RawPair> Extract(string root, string language)
    {
        string helpRoot = Path.Combine(root, "usr", "share", "libreoffice", "help");
        string englishRoot = Path.Combine(helpRoot, "en-US"), germanRoot = Path.Combine(helpRoot, language);
        if (!Directory.Exists(germanRoot))
        {
            yield break;
        }
        foreach (string englishPath in SourceFiles.Sorted(Path.Combine(englishRoot, "text"), "*.html", recursive: true))
        {
            string relative = SourceFiles.Relative(englishRoot, englishPath);
            string germanPath = Path.Combine(germanRoot, relative);
            if (!File.Exists(germanPath))
            {
                continue;
            }
            foreach (RawPair pair in Align(File.ReadAllText(englishPath), File.ReadAllText(germanPath), relative))
            {
                yield return pair;
            }
        }
    }

    /// <summary>Pairs the paragraphs of an English page and its translation by id.</summary>
    public IEnumerable<RawPair> Align(string englishHtml, string germanHtml, string document)
    {
        var german = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (LibreOfficeHelpParagraph p in LibreOfficeHelpPageParser.Parse(germanHtml))
        {
            german[p.Key] = p.Text;
        }
        foreach (LibreOfficeHelpParagraph p in LibreOfficeHelpPageParser.Parse(englishHtml))
        {
            if (!CodeClasses.Contains(p.Class) && german.TryGetValue(p.Key, out string? text))
            {
                yield return new RawPair(p.Text, text, Name, document);
            }
        }
    }
}
