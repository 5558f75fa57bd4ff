using System.Net;
using System.Text.RegularExpressions;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Text;

/// <summary>
/// A small, forgiving HTML tokenizer: tags, attributes and text, no tree building. The help
/// pages we read are generated HTML5 (unclosed void elements, unquoted attributes), which an
/// XML reader rejects, and the extractors only need a stream of tags to follow a few elements.
/// Comments, doctype and processing instructions are skipped; script and style are raw text.
/// </summary>
public static partial class HtmlTokenizer
{
    private static readonly HashSet<string> RawTextElements = new(StringComparer.Ordinal) { "script", "style" };

    [GeneratedRegex(@"</\s*(script|style)\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RawTextEnd { get; }

    /// <summary>Reads <paramref name="html"/> and reports each token to <paramref name="handler"/>.</summary>
    public static void Tokenize(string html, IHtmlTokenHandler handler)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(handler);
        int i = 0, n = html.Length;
        string? rawTextElement = null;
        while (i < n)
        {
            if (rawTextElement != null)
            {
                i = ReadRawText(html, i, rawTextElement, handler);
                rawTextElement = null;
                continue;
            }
            int lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                handler.Text(WebUtility.HtmlDecode(html[i..]));
                break;
            }
            if (lt > i)
            {
                handler.Text(WebUtility.HtmlDecode(html[i..lt]));
            }
            i = lt;
            if (i + 1 < n && char.IsAsciiLetter(html[i + 1]))
            {
                int end = ReadStartTag(html, i, handler, out string name, out bool selfClosing);
                if (end < 0)
                {
                    break; // unterminated tag at the end of the file
                }
                i = end;
                if (!selfClosing && RawTextElements.Contains(name))
                {
                    rawTextElement = name;
                }
            }
            else if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                int end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }
                i = end + 3;
            }
            else if (i + 1 < n && html[i + 1] == '/')
            {
                int end = html.IndexOf('>', i);
                if (end < 0)
                {
                    break;
                }
                if (i + 2 < n && char.IsAsciiLetter(html[i + 2]))
                {
                    int nameEnd = ScanName(html, i + 2, end);
                    handler.EndTag(html[(i + 2)..nameEnd].ToLowerInvariant());
                }
                i = end + 1;
            }
            else if (i + 1 < n && (html[i + 1] == '!' || html[i + 1] == '?'))
            {
                int end = html.IndexOf('>', i);
                if (end < 0)
                {
                    break;
                }
                i = end + 1;
            }
            else
            {
                handler.Text("<"); // a lone '<' is text
                i++;
            }
        }
    }

    private static int ReadRawText(string html, int start, string element, IHtmlTokenHandler handler)
    {
        Match m = RawTextEnd.Match(html, start);
        while (m.Success && !string.Equals(m.Groups[1].Value, element, StringComparison.OrdinalIgnoreCase))
        {
            m = m.NextMatch();
        }
        int textEnd = m.Success ? m.Index : html.Length;
        if (textEnd > start)
        {
            handler.Text(html[start..textEnd]);
        }
        if (!m.Success)
        {
            return html.Length;
        }
        handler.EndTag(element);
        return m.Index + m.Length;
    }

    // Tag names run until whitespace, '/', '>' or NUL.
    private static int ScanName(string html, int start, int limit)
    {
        int j = start;
        while (j < limit && !IsNameTerminator(html[j]))
        {
            j++;
        }
        return j;
    }

    private static bool IsNameTerminator(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '/' or '>' or '\0';

    /// <returns>The index after the tag, or -1 when the tag is not terminated.</returns>
    private static int ReadStartTag(string html, int lt, IHtmlTokenHandler handler, out string name, out bool selfClosing)
    {
        int n = html.Length;
        int j = ScanName(html, lt + 1, n);
        name = html[(lt + 1)..j].ToLowerInvariant();
        selfClosing = false;
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (true)
        {
            while (j < n && (char.IsWhiteSpace(html[j]) || (html[j] == '/' && !(j + 1 < n && html[j + 1] == '>'))))
            {
                j++;
            }
            if (j >= n)
            {
                return -1;
            }
            if (html[j] == '>')
            {
                j++;
                break;
            }
            if (html[j] == '/')
            {
                selfClosing = true;
                j += 2;
                break;
            }
            int nameStart = j;
            j++; // the first character may be '='
            while (j < n && !char.IsWhiteSpace(html[j]) && html[j] is not ('/' or '>' or '='))
            {
                j++;
            }
            string attributeName = html[nameStart..j].ToLowerInvariant();
            int k = j;
            while (k < n && char.IsWhiteSpace(html[k]))
            {
                k++;
            }
            string? value = null;
            if (k < n && html[k] == '=')
            {
                while (k < n && html[k] == '=')
                {
                    k++;
                }
                while (k < n && char.IsWhiteSpace(html[k]))
                {
                    k++;
                }
                if (k < n && (html[k] == '"' || html[k] == '\''))
                {
                    int close = html.IndexOf(html[k], k + 1);
                    if (close < 0)
                    {
                        return -1;
                    }
                    value = html[(k + 1)..close];
                    k = close + 1;
                }
                else
                {
                    int start = k;
                    while (k < n && !char.IsWhiteSpace(html[k]) && html[k] != '>')
                    {
                        k++;
                    }
                    value = html[start..k];
                }
                value = WebUtility.HtmlDecode(value);
                j = k;
            }
            attributes[attributeName] = value; // a repeated attribute keeps its last value
        }
        handler.StartTag(name, attributes);
        if (selfClosing)
        {
            handler.EndTag(name);
        }
        return j;
    }
}
