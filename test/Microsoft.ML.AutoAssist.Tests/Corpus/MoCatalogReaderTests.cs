using System.Text;
using Microsoft.ML.AutoAssist.CorpusBuilder.Gettext;
using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

public class MoCatalogReaderTests
{
    private static readonly (string, string)[] Messages =
    [
        ("", "Project-Id-Version: demo\nContent-Type: text/plain; charset=UTF-8\nX-Accelerator-Marker: ~\n"),
        ("menu\u0004~File", "~Datei"),
        ("One file\0%d files", "Eine Datei\0%d Dateien"),
        ("Resize", "Größe ändern"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsHeaderContextPluralsAndUtf8InEitherByteOrder(bool bigEndian)
    {
        MoCatalog catalog = MoCatalogReader.Read(MoFileWriter.Build(Messages, Encoding.UTF8, bigEndian));

        Assert.Equal("demo", catalog.Header["Project-Id-Version"]);
        Assert.Equal("~", catalog.AcceleratorMarker);
        Assert.Equal(3, catalog.Entries.Count); // the header is not a message
        Assert.Equal("menu", catalog.Entries[0].Context);
        Assert.Equal("~File", catalog.Entries[0].MsgId);
        Assert.Null(catalog.Entries[0].MsgIdPlural);
        Assert.Equal(["~Datei"], catalog.Entries[0].MsgStr);
        Assert.Equal("One file", catalog.Entries[1].MsgId);
        Assert.Equal("%d files", catalog.Entries[1].MsgIdPlural);
        Assert.Equal(["Eine Datei", "%d Dateien"], catalog.Entries[1].MsgStr);
        Assert.Equal("Größe ändern", catalog.Entries[2].MsgStr[0]);
        Assert.Equal("", catalog.Entries[2].Context);
    }

    [Fact]
    public void DecodesTheDeclaredLegacyCharset()
    {
        (string, string)[] latin1 = [("", "Content-Type: text/plain; charset=ISO-8859-1\n"), ("Size", "Größe")];

        MoCatalog catalog = MoCatalogReader.Read(MoFileWriter.Build(latin1, Encoding.Latin1));

        Assert.Null(catalog.AcceleratorMarker);
        Assert.Equal("Größe", Assert.Single(catalog.Entries).MsgStr[0]);
    }

    [Fact]
    public void UiExtractorYieldsSingularAndPluralPairsWithAcceleratorMarkers()
    {
        string root = CorpusTestData.NewScratchDirectory();
        string directory = Path.Combine(root, "usr", "lib", "libreoffice", "program", "resource", "de", "LC_MESSAGES");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "demo.mo"), MoFileWriter.Build(Messages, Encoding.UTF8));

        var pairs = new LibreOfficeUiExtractor().Extract(root, "de").ToList();

        Assert.Equal(
            [("~File", "~Datei"), ("One file", "Eine Datei"), ("%d files", "%d Dateien"), ("Resize", "Größe ändern")],
            pairs.Select(p => (p.English, p.German)));
        Assert.All(pairs, p => Assert.Equal("~_", p.AcceleratorMarkers));
        Assert.All(pairs, p => Assert.Equal("demo.mo", p.Document));
    }

    [Fact]
    public void RejectsFilesThatAreNotCatalogsNamingTheFile()
    {
        string path = Path.Combine(CorpusTestData.NewScratchDirectory(), "broken.mo");
        File.WriteAllText(path, "this is not a gettext catalog at all");

        var e = Assert.Throws<InvalidDataException>(() => MoCatalogReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void RejectsTruncatedCatalogs()
    {
        byte[] bytes = MoFileWriter.Build(Messages, Encoding.UTF8);

        Assert.Throws<InvalidDataException>(() => MoCatalogReader.Read(bytes.AsSpan(0, bytes.Length - 20)));
    }
}
