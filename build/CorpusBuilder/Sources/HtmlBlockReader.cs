using System.Text;
using Microsoft.ML.AutoAssist.CorpusBuilder.Text;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// Reads the text blocks (p, h1-6, td, th, dt, title) of a DocBook-generated HTML page. Text in
/// pre, code, script and style is replaced by the marker <see cref="CodeMarker"/> so that a
/// caller can drop blocks that mix prose with commands.
/// </summary>
public sealed class HtmlBlockReader : IHtmlTokenHandler
{
    /// <summary>Stands in for each piece of program text inside a block.</summary>
    public const string CodeMarker = "CODE";

    private static readonly HashSet<string> BlockTags = new(StringComparer.Ordinal) { "p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "title" };
    private static readonly HashSet<string> CodeTags = new(StringComparer.Ordinal) { "pre", "script", "style", "code" };

    private readonly List<TextBlock> _blocks = [];
    private readonly List<(string Tag, StringBuilder Text)> _open = [];
    private int _codeDepth;

    /// <summary>The blocks of <paramref name="html"/> in the order they close.</summary>
    public static IReadOnlyList<TextBlock> Read(string html)
    {
        var reader = new HtmlBlockReader();
        HtmlTokenizer.Tokenize(html, reader);
        return reader._blocks;
    }

    /// <inheritdoc/>
    public void StartTag(string name, IReadOnlyDictionary<string, string?> attributes)
    {
        if (CodeTags.Contains(name))
        {
            _codeDepth++;
        }
        if (BlockTags.Contains(name))
        {
            _open.Add((name, new StringBuilder())); // a nested block collects its own text
        }
        if (name == "br" && _open.Count > 0)
        {
            _open[^1].Text.Append(' ');
        }
    }

    /// <inheritdoc/>
    public void EndTag(string name)
    {
        if (CodeTags.Contains(name) && _codeDepth > 0)
        {
            _codeDepth--;
        }
        if (BlockTags.Contains(name) && _open.Count > 0 && _open[^1].Tag == name)
        {
            var (tag, text) = _open[^1];
            _open.RemoveAt(_open.Count - 1);
            _blocks.Add(new TextBlock(tag, TextNormalizer.NormalizeWhitespace(text.ToString())));
        }
    }

    /// <inheritdoc/>
    public void Text(string text)
    {
        if (_open.Count > 0)
        {
            _open[^1].Text.Append(_codeDepth > 0 ? $" {CodeMarker} " : text);
        }
    }
}
