using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

public class TranslationCorpusTests
{
    private sealed class PairRow
    {
        public string Source { get; set; } = "";
        public string Target { get; set; } = "";
        public string Origin { get; set; } = "";
    }

    [Fact]
    public void LoadsSampleWithTextColumnsAndAllRows()
    {
        var ml = new MLContext(seed: 1);
        IDataView view = TranslationCorpus.Load(ml, CorpusTestData.SamplePath);

        Assert.Equal(CorpusTestData.SampleRowCount, view.GetRowCount());
        Assert.Equal(["Source", "Target", "Origin"], view.Schema.Select(c => c.Name));
        Assert.All(view.Schema, c => Assert.Equal(TextDataViewType.Instance, c.Type));
        var rows = ml.Data.CreateEnumerable<PairRow>(view, reuseRowObject: false).ToList();
        Assert.Equal(CorpusTestData.SampleRowCount, rows.Count);
        Assert.Equal("What is Access2Base?", rows[0].Source);
        Assert.Equal("Was ist Access2Base?", rows[0].Target);
        Assert.Equal("lohelp", rows[0].Origin);
        Assert.Equal(["debref", "gnomehelp", "lohelp", "loui", "mo"], rows.Select(r => r.Origin).Distinct().Order());
    }

    [Fact]
    public void RowIdsAreFilePositionsOnPlainAndShuffledCursors()
    {
        IDataView view = TranslationCorpus.Load(new MLContext(seed: 1), CorpusTestData.SamplePath);
        var plain = ReadIdsAndSources(view, rand: null);
        var shuffled = ReadIdsAndSources(view, new Random(7));

        Assert.Equal(Enumerable.Range(0, CorpusTestData.SampleRowCount).Select(i => (ulong)i), plain.Select(r => r.Id));
        Assert.NotEqual(plain.Select(r => r.Id), shuffled.Select(r => r.Id));
        var byId = plain.ToDictionary(r => r.Id, r => r.Source);
        Assert.Equal(CorpusTestData.SampleRowCount, shuffled.Select(r => r.Id).Distinct().Count());
        Assert.All(shuffled, r => Assert.Equal(byId[r.Id], r.Source));
    }

    private static List<(ulong Id, string Source)> ReadIdsAndSources(IDataView view, Random? rand)
    {
        var result = new List<(ulong, string)>();
        var column = view.Schema["Source"];
        using var cursor = view.GetRowCursor([column], rand);
        var getId = cursor.GetIdGetter();
        var getSource = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        DataViewRowId id = default;
        ReadOnlyMemory<char> source = default;
        while (cursor.MoveNext())
        {
            getId(ref id);
            getSource(ref source);
            result.Add((id.Low, source.ToString()));
        }
        return result;
    }

    [Fact]
    public void MissingFileNamesFileAndBuildScript()
    {
        string path = Path.Combine(CorpusTestData.NewScratchDirectory(), "train.tsv");

        var e = Assert.Throws<FileNotFoundException>(() => TranslationCorpus.Load(new MLContext(), path));
        Assert.Contains(path, e.Message);
        Assert.Contains("build/build-corpus.sh", e.Message);
    }

    [Theory]
    [InlineData("just one field", "found 1 tab-separated field")]
    [InlineData("a\tb\tc\td\te", "found 5 tab-separated field")]
    [InlineData("English\t", "target (second) field is empty")]
    public void MalformedLineNamesFileAndLineNumber(string badLine, string problem)
    {
        string path = Path.Combine(CorpusTestData.NewScratchDirectory(), "bad.tsv");
        File.WriteAllText(path, $"Open\tÖffnen\tloui\n\nSave\tSpeichern\n{badLine}\nClose\tSchließen\n");

        var e = Assert.Throws<InvalidDataException>(() => TranslationCorpus.Load(new MLContext(), path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 4", e.Message); // the blank line 2 is skipped but still counted
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void GetterOfWrongTypeOrInactiveColumnThrows()
    {
        IDataView view = TranslationCorpus.Load(new MLContext(), CorpusTestData.SamplePath);
        using var cursor = view.GetRowCursor([view.Schema["Source"]]);

        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Target"]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<string>(view.Schema["Source"]));
    }
}
