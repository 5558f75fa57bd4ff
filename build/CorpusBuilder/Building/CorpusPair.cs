namespace Microsoft.ML.AutoAssist.CorpusBuilder.Building;

/// <summary>A cleaned English/German pair of the corpus.</summary>
/// <param name="English">The English sentence.</param>
/// <param name="German">The German sentence.</param>
/// <param name="Source">The source name (lohelp, loui, mo, gnomehelp, debref).</param>
/// <param name="Document">The page, chapter or catalog it comes from.</param>
public sealed record CorpusPair(string English, string German, string Source, string Document);
