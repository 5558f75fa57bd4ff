using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Text;

/// <summary>Whitespace normalisation and the character classes the cleaning rules count.</summary>
public static partial class TextNormalizer
{
    // \x1c-\x1f are whitespace to Python's str.isspace (which the corpus rules were tuned with)
    // but not to .NET's \s; including them keeps "one space between words" exact.
    [GeneratedRegex(@"[\s\x1c-\x1f]+")]
    private static partial Regex WhitespaceRun { get; }

    /// <summary>
    /// Turns no-break spaces into spaces, drops soft hyphens, collapses whitespace runs to one
    /// space and trims. Soft hyphens are invisible but would make identical words differ.
    /// </summary>
    public static string NormalizeWhitespace(string text)
    {
        string s = text.Replace('\u00a0', ' ').Replace("\u00ad", string.Empty, StringComparison.Ordinal);
        return WhitespaceRun.Replace(s, " ").Trim(' ');
    }

    /// <summary>True for whitespace as the cleaning rules define it (Unicode spaces and \x1c-\x1f).</summary>
    public static bool IsSpace(Rune rune) => Rune.IsWhiteSpace(rune) || (rune.Value >= 0x1c && rune.Value <= 0x1f);

    /// <summary>Number of Unicode code points (not UTF-16 units) in <paramref name="text"/>.</summary>
    public static int CodePointCount(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }
        return count;
    }
}
