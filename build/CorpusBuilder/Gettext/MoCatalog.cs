namespace Microsoft.ML.AutoAssist.CorpusBuilder.Gettext;

/// <summary>A compiled gettext catalog: its header fields and its messages.</summary>
/// <param name="Header">The header fields (the translation of the empty msgid), e.g. Content-Type.</param>
/// <param name="Entries">The messages, header excluded, in file order.</param>
public sealed record MoCatalog(IReadOnlyDictionary<string, string> Header, IReadOnlyList<MoEntry> Entries)
{
    /// <summary>
    /// The X-Accelerator-Marker header (the character that marks a keyboard accelerator, such as
    /// '~' in LibreOffice or '&amp;' in KDE), or null when the catalog does not declare one.
    /// </summary>
    public string? AcceleratorMarker =>
        Header.TryGetValue("X-Accelerator-Marker", out string? marker) && marker.Length > 0 ? marker[..1] : null;
}
