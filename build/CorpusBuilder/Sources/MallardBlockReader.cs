using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.ML.AutoAssist.CorpusBuilder.Text;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>
/// Reads the text blocks of a GNOME help page (Mallard XML): the innermost p, title, desc,
/// subtitle, td and th elements, in document order. Inline markup (gui, key, code, link text)
/// stays part of the sentence; editorial comments, credits, licences, code listings and media
/// are left out.
/// </summary>
public static class MallardBlockReader
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.Ordinal) { "p", "title", "desc", "subtitle", "td", "th" };
    private static readonly HashSet<string> SkippedTags = new(StringComparer.Ordinal) { "comment", "credit", "code", "screen", "synopsis", "license", "revision", "link", "media" };
    private static readonly HashSet<string> SkippedInlineTags = new(StringComparer.Ordinal) { "comment", "media" };

    /// <summary>The blocks of the page at <paramref name="path"/>, or null if it is not well-formed XML.</summary>
    public static IReadOnlyList<TextBlock>? Read(string path)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
        return Read(document);
    }

    /// <summary>The blocks of a parsed page.</summary>
    public static IReadOnlyList<TextBlock> Read(XDocument document)
    {
        var blocks = new List<TextBlock>();
        if (document.Root is not null)
        {
            Walk(document.Root, blocks);
        }
        return blocks;
    }

    private static void Walk(XElement element, List<TextBlock> blocks)
    {
        string tag = element.Name.LocalName;
        if (SkippedTags.Contains(tag))
        {
            return;
        }
        if (BlockTags.Contains(tag) && !element.Descendants().Any(d => BlockTags.Contains(d.Name.LocalName)))
        {
            var text = new StringBuilder();
            AppendText(element, text);
            blocks.Add(new TextBlock(tag, TextNormalizer.NormalizeWhitespace(text.ToString())));
            return;
        }
        foreach (XElement child in element.Elements())
        {
            Walk(child, blocks);
        }
    }

    private static void AppendText(XElement element, StringBuilder text)
    {
        if (SkippedInlineTags.Contains(element.Name.LocalName))
        {
            return;
        }
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XText t: // includes CDATA
                    text.Append(t.Value);
                    break;
                case XElement child:
                    AppendText(child, text);
                    break;
            }
        }
    }
}
