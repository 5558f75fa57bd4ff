using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.AutoAssist.CorpusBuilder.Text;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Cleaning;

/// <summary>
/// Normalises one English/German pair and rejects what is not a pair of natural-language
/// sentences: code, identifiers, paths and URLs, mostly-symbol strings, mismatched placeholders,
/// non-English source text, and pairs whose lengths are implausible for a translation.
/// </summary>
public static partial class PairCleaner
{
    /// <summary>Longest side kept, in words.</summary>
    public const int MaxWords = 100;

    // printf/Python/shell/Qt/ICU-style placeholders, inline markup and entities.
    [GeneratedRegex(@"%\(\w+\)[sdifr]|%[A-Z][A-Z0-9_]+%?|\$\w+\$|%(\d+\$)?[-+ #0]*\d*(\.\d+)?(hh|h|ll|l|L|z|j|t|q)?[diouxXeEfgGcsSp%]"
        + @"|%\d+|\{[\w.$ -]*\}|\$\{?\w+\}?|\$\(\w+\)|%\w+%|\$\d+|<[^>]+>|&\w+;")]
    private static partial Regex Placeholder { get; }

    // glib's Q_("context|text") convention leaves "context|" in front of the English.
    [GeneratedRegex(@"^[\w-]+\|(?=\S)")]
    private static partial Regex QualifiedContext { get; }

    [GeneratedRegex(@"</?(?:b|i|u|big|small|tt|span|a|em|strong|br|p|qt|html|body|nobr|sub|sup|font|center)\b[^>]*>",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineTag { get; }

    // snake_case, @x, f(), ::, ->, ++, ==, <=, >= : program text rather than prose.
    [GeneratedRegex(@"[^\W_]_[^\W_]|@[A-Za-z]\b|\w\(\)|::|->|\+\+|==|<=|>=")]
    private static partial Regex Identifier { get; }

    [GeneratedRegex(@"https?://|www\.|\w+\.(com|org|net|html?|xml|py|c|h)\b|/usr/|/etc/|\\n")]
    private static partial Regex UrlOrPath { get; }

    // "(&F)" / "(_F)": accelerator hints appended to translations of languages without Latin letters.
    [GeneratedRegex(@"\s*\((?:&|_)\w\)")]
    private static partial Regex AcceleratorHint { get; }

    [GeneratedRegex(@"[^\W\d_]")]
    private static partial Regex Letter { get; }

    /// <summary>
    /// Returns the cleaned pair, or null when it should not be in the corpus.
    /// </summary>
    /// <param name="english">The English side.</param>
    /// <param name="german">The German side.</param>
    /// <param name="acceleratorMarkers">UI accelerator markers to strip (see <see cref="AcceleratorStripper"/>), or null.</param>
    public static (string English, string German)? Clean(string english, string german, string? acceleratorMarkers = null)
    {
        string e = english, t = german;
        if (!string.IsNullOrEmpty(acceleratorMarkers))
        {
            string markers = acceleratorMarkers;
            if (markers.Contains('_') && (e.Count(c => c == '_') > 1 || t.Count(c => c == '_') > 1))
            {
                markers = markers.Replace("_", string.Empty, StringComparison.Ordinal); // identifiers like file_name
            }
            e = AcceleratorStripper.Strip(e, markers);
            t = AcceleratorStripper.Strip(t, markers);
        }
        e = TextNormalizer.NormalizeWhitespace(WebUtility.HtmlDecode(e));
        t = TextNormalizer.NormalizeWhitespace(WebUtility.HtmlDecode(t));
        e = AcceleratorHint.Replace(e, string.Empty);
        t = AcceleratorHint.Replace(t, string.Empty);
        if (!t.Contains('|'))
        {
            e = QualifiedContext.Replace(e, string.Empty);
        }
        e = TextNormalizer.NormalizeWhitespace(InlineTag.Replace(e, string.Empty));
        t = TextNormalizer.NormalizeWhitespace(InlineTag.Replace(t, string.Empty));

        if (e.Length == 0 || t.Length == 0 || e == t)
        {
            return null; // untranslated
        }
        if (Identifier.IsMatch(e) || Identifier.IsMatch(t))
        {
            return null;
        }
        if (!MostlyLetters(e) || !MostlyLetters(t))
        {
            return null;
        }
        // Placeholders must agree in number (a dropped %s is a broken translation), and a string
        // that is mostly placeholders teaches nothing.
        int placeholders = Placeholder.Count(e);
        if (placeholders != Placeholder.Count(t) || placeholders > 2)
        {
            return null;
        }
        if (UrlOrPath.IsMatch(e) || UrlOrPath.IsMatch(t))
        {
            return null;
        }
        if (Letter.Count(Placeholder.Replace(e, string.Empty)) < 2 || Letter.Count(Placeholder.Replace(t, string.Empty)) < 2)
        {
            return null;
        }
        if (!LooksEnglish(e))
        {
            return null;
        }
        if (WordCount(e) > MaxWords || WordCount(t) > MaxWords)
        {
            return null;
        }
        int le = TextNormalizer.CodePointCount(e), lt = TextNormalizer.CodePointCount(t);
        if (Math.Max(le, lt) > 12 && (le > 3 * lt || lt > 3 * le))
        {
            return null; // one side is a fragment of the other, or a different text
        }
        return (e, t);
    }

    // At least 60% of the non-space characters are letters.
    private static bool MostlyLetters(string text)
    {
        int letters = 0, nonSpace = 0;
        foreach (Rune r in text.EnumerateRunes())
        {
            if (TextNormalizer.IsSpace(r))
            {
                continue;
            }
            nonSpace++;
            if (Rune.IsLetter(r))
            {
                letters++;
            }
        }
        return letters >= 0.6 * nonSpace;
    }

    // At most 10% of the characters are non-ASCII letters (the msgid of a catalog is sometimes
    // not English at all).
    private static bool LooksEnglish(string text)
    {
        int nonAsciiLetters = 0, length = 0;
        foreach (Rune r in text.EnumerateRunes())
        {
            length++;
            if (r.Value > 127 && Rune.IsLetter(r))
            {
                nonAsciiLetters++;
            }
        }
        return nonAsciiLetters <= 0.1 * length;
    }

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
