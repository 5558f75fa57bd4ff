namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>A block of running text in a document (a paragraph, title, table cell ...).</summary>
/// <param name="Tag">The element name; two translations align only if their tag sequences agree.</param>
/// <param name="Text">The whitespace-normalised text.</param>
public sealed record TextBlock(string Tag, string Text);
