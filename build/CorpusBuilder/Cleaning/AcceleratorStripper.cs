using System.Text.RegularExpressions;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Cleaning;

/// <summary>
/// Removes keyboard-accelerator markers from UI strings ("~Save", "_Open", "&amp;File"), which
/// translators place on different letters and which no sentence should contain.
/// </summary>
public static partial class AcceleratorStripper
{
    // '&' followed by a letter or digit, but not an entity such as "&amp;".
    [GeneratedRegex(@"&(?=[^\W_])(?!\w+;)")]
    private static partial Regex Ampersand { get; }

    // '_' at the start of a word, or between two letters/digits ("Save _As", "Re_name").
    [GeneratedRegex(@"(?<![\w_])_(?=\w)|(?<=[^\W_])_(?=[^\W_])")]
    private static partial Regex Underscore { get; }

    /// <summary>
    /// Strips each marker character in <paramref name="markers"/> in turn ("~_" strips '~', then
    /// '_'). Markers other than '&amp;', '~' and '_' are left alone.
    /// </summary>
    public static string Strip(string text, string? markers)
    {
        if (string.IsNullOrEmpty(markers))
        {
            return text;
        }
        foreach (char marker in markers)
        {
            text = marker switch
            {
                '&' => Ampersand.Replace(text, string.Empty).Replace("&&", "&", StringComparison.Ordinal),
                '~' => text.Replace("~", string.Empty, StringComparison.Ordinal),
                // With several underscores the string is an identifier (file_name_x), not a label.
                '_' => text.Count(c => c == '_') == 1 ? Underscore.Replace(text, string.Empty) : text,
                _ => text,
            };
        }
        return text;
    }
}
