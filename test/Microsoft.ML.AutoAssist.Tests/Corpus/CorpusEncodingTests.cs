using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

/// <summary>A corpus file is UTF-8: other bytes are an error that names the line, not a replacement character.</summary>
public class CorpusEncodingTests
{
    [Fact]
    public void BytesThatAreNotUtf8NameTheFileAndLine()
    {
        string path = Path.Combine(CorpusTestData.NewScratchDirectory(), "latin1.tsv");
        var text = new List<byte>();
        text.AddRange("Open\tÖffnen\n"u8.ToArray());
        text.AddRange("Save\tSpeichern\n"u8.ToArray());
        text.AddRange([(byte)'C', (byte)'l', (byte)'o', (byte)'s', (byte)'e', (byte)'\t', (byte)'S', (byte)'c', (byte)'h', (byte)'l', (byte)'i', 0xDF, (byte)'e', (byte)'n', (byte)'\n']); // "ß" in Latin-1
        text.AddRange("Print\tDrucken\n"u8.ToArray());
        File.WriteAllBytes(path, text.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => TranslationCorpus.ReadPairs(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public void AByteOrderMarkIsAccepted()
    {
        string path = Path.Combine(CorpusTestData.NewScratchDirectory(), "bom.tsv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "Open\tÖffnen\n"u8.ToArray()]);
        var pair = Assert.Single(TranslationCorpus.ReadPairs(path));
        Assert.Equal("Open", pair.Source);
        Assert.Equal("Öffnen", pair.Target);
    }
}
