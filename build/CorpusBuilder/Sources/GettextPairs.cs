using Microsoft.ML.AutoAssist.CorpusBuilder.Gettext;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>Turns the messages of a gettext catalog into pairs.</summary>
internal static class GettextPairs
{
    /// <summary>
    /// The singular pair of each message, plus (msgid_plural, msgstr[1]) for plural messages.
    /// Catalogs that cannot be read are reported on stderr and skipped.
    /// </summary>
    public static IEnumerable<(MoEntry Entry, string English, string German)> Read(string path, out MoCatalog? catalog)
    {
        try
        {
            catalog = MoCatalogReader.Read(path);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"warning: skipping {e.Message}");
            catalog = null;
            return [];
        }
        return Pairs(catalog);
    }

    private static IEnumerable<(MoEntry, string, string)> Pairs(MoCatalog catalog)
    {
        foreach (MoEntry entry in catalog.Entries)
        {
            yield return (entry, entry.MsgId, entry.MsgStr[0]);
            if (entry.MsgIdPlural is not null && entry.MsgStr.Count > 1)
            {
                yield return (entry, entry.MsgIdPlural, entry.MsgStr[1]);
            }
        }
    }
}
