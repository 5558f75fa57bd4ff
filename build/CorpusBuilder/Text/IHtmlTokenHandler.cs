namespace Microsoft.ML.AutoAssist.CorpusBuilder.Text;

/// <summary>Receives the tokens <see cref="HtmlTokenizer"/> reads, in document order.</summary>
public interface IHtmlTokenHandler
{
    /// <summary>An opening tag; names are lower-case, attribute values decoded (null when absent).</summary>
    void StartTag(string name, IReadOnlyDictionary<string, string?> attributes);

    /// <summary>A closing tag (also sent right after the start tag of a self-closing one).</summary>
    void EndTag(string name);

    /// <summary>Character data between tags, with entity and character references decoded.</summary>
    void Text(string text);
}
