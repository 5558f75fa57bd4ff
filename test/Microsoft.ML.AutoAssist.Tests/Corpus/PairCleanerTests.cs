using Microsoft.ML.AutoAssist.CorpusBuilder.Cleaning;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

public class PairCleanerTests
{
    [Theory]
    [InlineData("~Save As...", "Speichern ~unter...", "~_", "Save As...", "Speichern unter...")]
    [InlineData("_Open", "Ö_ffnen", "_&", "Open", "Öffnen")]
    [InlineData("&File", "&Datei", "&", "File", "Datei")]
    [InlineData("Print (_P)", "Drucken (_P)", null, "Print", "Drucken")]
    [InlineData("<b>Bold</b>  text", "<b>Fetter</b>\u00a0Text", null, "Bold text", "Fetter Text")]
    [InlineData("Save &amp; close", "Speichern &amp; schließen", null, "Save & close", "Speichern & schließen")]
    [InlineData("Deleted %d files", "%d Dateien gelöscht", null, "Deleted %d files", "%d Dateien gelöscht")]
    public void NormalisesKeptPairs(string english, string german, string? markers, string expectedEnglish, string expectedGerman)
    {
        Assert.Equal((expectedEnglish, expectedGerman), PairCleaner.Clean(english, german, markers));
    }

    [Theory]
    [InlineData("Calc", "Calc")]                                                          // untranslated
    [InlineData("Open file_name here", "Öffne file_name hier")]                           // identifier
    [InlineData("See https://example.org for details", "Siehe https://example.org für Details")] // URL
    [InlineData("Deleted %d files", "Dateien gelöscht")]                                  // placeholder lost
    [InlineData("Yes", "Ja, das ist eine sehr lange Übersetzung")]                        // implausible lengths
    [InlineData("Größenänderung für Übergröße", "Größenänderung")]                        // source not English
    [InlineData("12345 67", "12345 67x")]                                                 // not words
    public void RejectsPairsThatAreNotTranslatedProse(string english, string german)
    {
        Assert.Null(PairCleaner.Clean(english, german));
    }

    [Fact]
    public void SplitsParagraphsOnlyWhenBothSidesSplitAlike()
    {
        Assert.Equal(
            [("Click OK.", "Klicken Sie auf OK."), ("The dialog closes.", "Der Dialog wird geschlossen.")],
            SentenceSplitter.Split("Click OK. The dialog closes.", "Klicken Sie auf OK. Der Dialog wird geschlossen."));
        Assert.Equal(
            [("Click OK. The dialog closes.", "Klicken Sie auf OK und der Dialog wird geschlossen.")],
            SentenceSplitter.Split("Click OK. The dialog closes.", "Klicken Sie auf OK und der Dialog wird geschlossen."));
        Assert.Equal(["Use e.g. Calc.", "It works."], SentenceSplitter.Sentences("Use e.g. Calc. It works."));
    }
}
