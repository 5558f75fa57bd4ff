namespace Microsoft.ML.AutoAssist.CorpusBuilder.Gettext;

/// <summary>One message of a compiled gettext catalog.</summary>
/// <param name="Context">The msgctxt, or an empty string when the message has none.</param>
/// <param name="MsgId">The English source text (singular form).</param>
/// <param name="MsgIdPlural">The English plural form, or null for a message without plurals.</param>
/// <param name="MsgStr">The translations: one, or one per plural form.</param>
public sealed record MoEntry(string Context, string MsgId, string? MsgIdPlural, IReadOnlyList<string> MsgStr);
