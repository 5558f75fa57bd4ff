namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>A paragraph or heading of a LibreOffice help page.</summary>
/// <param name="Key">The element id plus its occurrence number ("par_id3147762#1"): stable across languages.</param>
/// <param name="Class">The element's class (e.g. "paragraph", "bascode"), or its tag name when it has none.</param>
/// <param name="Text">The whitespace-normalised text.</param>
public sealed record LibreOfficeHelpParagraph(string Key, string Class, string Text);
