using System.Xml.Linq;
using Microsoft.ML.AutoAssist.CorpusBuilder.Building;
using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

public class SourceExtractorTests
{
    private const string EnglishHelp = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title></head><body>
        <h1 id="hd_id1" dir=auto>Find Bar</h1>
        <p id="par_id2" class="paragraph">Use <span class="switchinline"><span class="MAC"><span>Command</span></span><span>Ctrl</span></span>+F<br/>to search &amp; replace.</p>
        <p id="par_id2">Second paragraph with the same id.</p>
        <p id="par_id3" class="bascode">MsgBox "Hi"</p>
        <p id="par_id4">Only in English.</p>
        <p>No id, no pair.</p>
        </body></html>
        """;

    private const string GermanHelp = """
        <!DOCTYPE html><html><body>
        <h1 id="hd_id1">Suchleiste</h1>
        <p id="par_id2" class="paragraph">Mit <span class="switchinline"><span id="MACx"><span>Befehl</span></span><span>Strg</span></span>+F<br>suchen &amp; ersetzen.</p>
        <p id="par_id2">Zweiter Absatz mit derselben ID.</p>
        <p id="par_id3" class="bascode">MsgBox "Hallo"</p>
        </body></html>
        """;

    [Fact]
    public void LibreOfficeHelpAlignsParagraphsByIdAndDropsMacVariantAndCode()
    {
        var pairs = new LibreOfficeHelpExtractor().Align(EnglishHelp, GermanHelp, "text/find.html").ToList();

        Assert.Equal(
            [("Find Bar", "Suchleiste"), ("Use Ctrl+F to search & replace.", "Mit Strg+F suchen & ersetzen."),
             ("Second paragraph with the same id.", "Zweiter Absatz mit derselben ID.")],
            pairs.Select(p => (p.English, p.German)));
        Assert.All(pairs, p => Assert.Equal(SourceNames.LibreOfficeHelp, p.Source));
    }

    private static XDocument Page(string body) =>
        XDocument.Parse($"""<page xmlns="http://projectmallard.org/1.0/" xmlns:its="http://www.w3.org/2005/11/its">{body}</page>""", LoadOptions.PreserveWhitespace);

    [Fact]
    public void MallardBlocksKeepInlineMarkupAndSkipCreditsAndMedia()
    {
        var blocks = MallardBlockReader.Read(Page("""
            <info><credit><name>A. Writer</name></credit><desc>Open a file.</desc></info>
            <title>Open <gui>Files</gui></title>
            <p>Press <key>Ctrl</key>+<key>O</key>.<media src="x.png">alt text</media></p>
            <list><item><p>One item</p></item></list>
            """));

        Assert.Equal([("desc", "Open a file."), ("title", "Open Files"), ("p", "Press Ctrl+O."), ("p", "One item")],
            blocks.Select(b => (b.Tag, b.Text)));
    }

    [Fact]
    public void BlockAlignerRefusesDocumentsWhoseStructureDiffers()
    {
        TextBlock[] english = [new("title", "Open"), new("p", "Press Ctrl+O.")];
        TextBlock[] german = [new("title", "Öffnen"), new("p", "Drücken Sie Strg+O.")];
        TextBlock[] restructured = [new("title", "Öffnen"), new("td", "Drücken Sie Strg+O.")];

        Assert.Equal(2, BlockAligner.Align(english, german, "d", SourceNames.GnomeHelp).Count());
        Assert.Empty(BlockAligner.Align(english, restructured, "d", SourceNames.GnomeHelp));
        Assert.Empty(BlockAligner.Align(english, german[..1], "d", SourceNames.GnomeHelp));
        Assert.Empty(BlockAligner.Align(english, null, "d", SourceNames.GnomeHelp));
    }

    [Fact]
    public void HtmlBlocksMarkCodeAndCloseNestedBlocksFirst()
    {
        var blocks = HtmlBlockReader.Read("""
            <html><head><title>T</title><style>p { color: red }</style></head><body>
            <p>Run <code>ls</code> now</p><p>Plain text</p>
            <table><tr><td>Cell <p>inner</p> rest</td></tr></table></body></html>
            """);

        Assert.Equal([("title", "T"), ("p", "Run CODE now"), ("p", "Plain text"), ("p", "inner"), ("td", "Cell rest")],
            blocks.Select(b => (b.Tag, b.Text)));
    }

    [Fact]
    public void GathererCleansSplitsDocumentationAndKeepsEachPairOnce()
    {
        var gatherer = new CorpusGatherer();
        gatherer.AddRange([
            new RawPair("Click OK. The dialog closes.", "Klicken Sie auf OK. Der Dialog wird geschlossen.", SourceNames.LibreOfficeHelp, "a.html"),
            new RawPair("~Click OK.", "~Klicken Sie auf OK.", SourceNames.LibreOfficeUi, "x.mo", "~"),  // duplicate once cleaned
            new RawPair("Save all. Quit now.", "Alles speichern. Jetzt beenden.", SourceNames.LibreOfficeUi, "x.mo", "~"), // UI: not split
            new RawPair("Calc", "Calc", SourceNames.LibreOfficeUi, "x.mo", "~"),                           // untranslated
        ]);

        Assert.Equal(
            [("Click OK.", "Klicken Sie auf OK.", "lohelp"), ("The dialog closes.", "Der Dialog wird geschlossen.", "lohelp"),
             ("Save all. Quit now.", "Alles speichern. Jetzt beenden.", "loui")],
            gatherer.Pairs.Select(p => (p.English, p.German, p.Source)));
        var counts = gatherer.Counts.ToDictionary(c => c.Key, c => (c.Value.Raw, c.Value.Kept));
        Assert.Equal((1, 2), counts["lohelp"]);
        Assert.Equal((3, 1), counts["loui"]);
    }
}
