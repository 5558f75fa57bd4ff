namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>An aligned English/German text pair as a source yields it, before cleaning.</summary>
/// <param name="English">The English text.</param>
/// <param name="German">The German text.</param>
/// <param name="Source">The source name (see <see cref="SourceNames"/>).</param>
/// <param name="Document">Where in the source the pair comes from (page, chapter, catalog), for attribution.</param>
/// <param name="AcceleratorMarkers">UI accelerator markers to strip from both sides, or null for documentation.</param>
public sealed record RawPair(string English, string German, string Source, string Document, string? AcceleratorMarkers = null);
