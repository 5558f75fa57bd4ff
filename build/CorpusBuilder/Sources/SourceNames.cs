namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>The corpus sources and which of them are documentation.</summary>
public static class SourceNames
{
    /// <summary>LibreOffice help pages, paragraphs aligned by id.</summary>
    public const string LibreOfficeHelp = "lohelp";

    /// <summary>LibreOffice user-interface gettext catalogs.</summary>
    public const string LibreOfficeUi = "loui";

    /// <summary>Other gettext user-interface catalogs (the GNOME applications whose help is read).</summary>
    public const string GettextCatalogs = "mo";

    /// <summary>GNOME (Mallard) help pages, aligned block by block.</summary>
    public const string GnomeHelp = "gnomehelp";

    /// <summary>The Debian Reference, aligned block by block.</summary>
    public const string DebianReference = "debref";

    /// <summary>All sources, in the order they are read (the first to yield a pair keeps it).</summary>
    public static IReadOnlyList<string> All { get; } = [LibreOfficeHelp, LibreOfficeUi, GettextCatalogs, GnomeHelp, DebianReference];

    /// <summary>
    /// Running text (help and manuals). Only these are split into sentences and only these may
    /// go to dev/test: UI strings are short labels, often repeated across catalogs.
    /// </summary>
    public static IReadOnlySet<string> Documentation { get; } = new HashSet<string>(StringComparer.Ordinal) { LibreOfficeHelp, GnomeHelp, DebianReference };
}
