using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Translation;

public class SubwordTokenizerTests
{
    private static readonly SubwordTokenizer Tokenizer = SubwordTokenizer.Load(WordSequences.TokenizerPath);

    [Theory]
    [InlineData("Wählen Sie Format - Zellen, um die Größe zu ändern.")]
    [InlineData("Line styles are defined as integer constants.")]
    [InlineData("Klicken Sie auf „OK“ (oder drücken Sie die Eingabetaste).")]
    [InlineData("漢字 😀 ☃ ⅻ")] // outside the vocabulary: byte fallback keeps them
    public void TextDecodesBackToItself(string text)
    {
        var ids = Tokenizer.Encode(text);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.InRange(id, 0, Tokenizer.PadId - 1));
        Assert.Equal(text, Tokenizer.Decode(ids));
    }

    [Fact]
    public void PaddingIsOneIdPastTheModelsPiecesAndMarksAreLeftOutOfText()
    {
        Assert.Equal(801, Tokenizer.VocabularySize);
        Assert.Equal(800, Tokenizer.PadId);
        Assert.Equal(2, Tokenizer.BeginId); // build/build-tokenizer.sh: --bos_id=2 --eos_id=3
        Assert.Equal(3, Tokenizer.EndId);
        Assert.Empty(Tokenizer.Encode(""));
        Assert.Empty(Tokenizer.Encode("  \t"));
        var ids = Tokenizer.Encode("der und");
        Assert.Equal("der und", Tokenizer.Decode([Tokenizer.BeginId, .. ids, Tokenizer.EndId, Tokenizer.PadId]));
    }

    [Fact]
    public void AFileThatIsNotASentencePieceModelIsRefusedClearly()
    {
        var error = Assert.Throws<InvalidDataException>(() => SubwordTokenizer.FromBytes("not a model"u8.ToArray()));
        Assert.Contains("SentencePiece", error.Message);
        Assert.Throws<FileNotFoundException>(() => SubwordTokenizer.Load("no-such.model"));
    }
}
