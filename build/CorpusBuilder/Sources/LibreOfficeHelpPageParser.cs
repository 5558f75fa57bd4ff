using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.AutoAssist.CorpusBuilder.Text;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// Collects the text of the &lt;p&gt;/&lt;h1-6&gt; elements of a LibreOffice help page that carry a
/// par_id/hd_id. Those ids come from the help sources and are the same in every language, so
/// they align the English and German pages paragraph by paragraph. Where a paragraph switches
/// between platform variants (a "switchinline" with a MAC and a default case), only the default
/// variant is kept, as it is what the other language's paragraph says too.
/// </summary>
public sealed partial class LibreOfficeHelpPageParser : IHtmlTokenHandler
{
    private static readonly HashSet<string> ParagraphTags = new(StringComparer.Ordinal) { "p", "h1", "h2", "h3", "h4", "h5", "h6" };
    private static readonly HashSet<string> VoidTags = new(StringComparer.Ordinal) { "br", "img", "input", "meta", "link", "hr", "col", "area", "base", "wbr" };

    [GeneratedRegex(@"^(par|hd)_id\w+$")]
    private static partial Regex ParagraphId { get; }

    private readonly List<LibreOfficeHelpParagraph> _paragraphs = [];
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly StringBuilder _text = new();
    private string? _key;     // non-null while inside a collected paragraph
    private string _class = string.Empty;
    private string _tag = string.Empty;
    private int _depth;       // nesting of the paragraph's own tag (a <p> inside the <p>)
    private int _skipDepth;   // > 0 inside a MAC-only variant

    /// <summary>Parses one page and returns its id-carrying paragraphs in document order.</summary>
    public static IReadOnlyList<LibreOfficeHelpParagraph> Parse(string html)
    {
        var parser = new LibreOfficeHelpPageParser();
        HtmlTokenizer.Tokenize(html, parser);
        return parser._paragraphs;
    }

    /// <inheritdoc/>
    public void StartTag(string name, IReadOnlyDictionary<string, string?> attributes)
    {
        string id = attributes.GetValueOrDefault("id") ?? string.Empty;
        if (_key is null)
        {
            if (ParagraphTags.Contains(name) && ParagraphId.IsMatch(id))
            {
                int occurrence = _occurrences.GetValueOrDefault(id) + 1;
                _occurrences[id] = occurrence;
                _key = $"{id}#{occurrence}";
                string? cls = attributes.GetValueOrDefault("class");
                _class = string.IsNullOrEmpty(cls) ? name : cls;
                _tag = name;
                _depth = 1;
                _text.Clear();
            }
            return;
        }
        if (VoidTags.Contains(name))
        {
            if (name == "br" && _skipDepth == 0)
            {
                _text.Append(' ');
            }
            return;
        }
        if (name == _tag)
        {
            _depth++;
        }
        if (_skipDepth > 0)
        {
            _skipDepth++;
        }
        else if (attributes.GetValueOrDefault("class") == "MAC" || id.StartsWith("MAC", StringComparison.Ordinal))
        {
            _skipDepth = 1;
        }
    }

    /// <inheritdoc/>
    public void EndTag(string name)
    {
        if (_key is null || VoidTags.Contains(name))
        {
            return;
        }
        if (_skipDepth > 0)
        {
            _skipDepth--;
        }
        if (name == _tag && --_depth == 0)
        {
            _paragraphs.Add(new LibreOfficeHelpParagraph(_key, _class, TextNormalizer.NormalizeWhitespace(_text.ToString())));
            _key = null;
        }
    }

    /// <inheritdoc/>
    public void Text(string text)
    {
        if (_key is not null && _skipDepth == 0)
        {
            _text.Append(text);
        }
    }
}
