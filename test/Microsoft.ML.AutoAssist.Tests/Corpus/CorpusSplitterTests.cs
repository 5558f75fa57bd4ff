using Microsoft.ML.AutoAssist.CorpusBuilder.Building;
using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;
using Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Corpus;

public class CorpusSplitterTests
{
    private static List<CorpusPair> SamplePairs() =>
        TranslationCorpus.ReadPairs(CorpusTestData.SamplePath).Select(p => new CorpusPair(p.Source, p.Target, p.Origin, "")).ToList();

    [Fact]
    public void NoEnglishSentenceIsInTwoSets()
    {
        // The sample holds English sentences with several translations from different sources;
        // add for every pair another translation of its upper-cased English from documentation,
        // so that every set meets English sentences it must share with no other set.
        var sample = SamplePairs();
        Assert.Contains(sample.GroupBy(p => p.English), g => g.Select(p => p.German).Distinct().Count() > 1);
        var pairs = sample.Concat(sample.Select(p => new CorpusPair(p.English.ToUpperInvariant(), p.German + " (2)", SourceNames.GnomeHelp, ""))).ToList();

        CorpusSplit split = new CorpusSplitter().Split(pairs);

        var setsOfEnglish = new[] { split.Train, split.Dev, split.Test }
            .SelectMany((set, index) => set.Select(p => (English: p.English.ToLowerInvariant(), index)))
            .GroupBy(x => x.English)
            .ToList();
        Assert.All(setsOfEnglish, g => Assert.Single(g.Select(x => x.index).Distinct()));
        Assert.Equal(pairs.Count, split.Train.Count + split.Dev.Count + split.Test.Count + split.Dropped.Count);
    }

    [Fact]
    public void DevAndTestHoldDocumentationOnly()
    {
        CorpusSplit split = new CorpusSplitter().Split(SamplePairs());

        Assert.NotEmpty(split.Dev);
        Assert.NotEmpty(split.Test);
        Assert.All(split.Dev.Concat(split.Test), p => Assert.Contains(p.Source, SourceNames.Documentation));
        // UI pairs hashing into dev/test are dropped, not moved to train.
        Assert.NotEmpty(split.Dropped);
        Assert.All(split.Dropped, p => Assert.Contains(p.Source, new[] { SourceNames.LibreOfficeUi, SourceNames.GettextCatalogs }));
        Assert.All(split.Dropped, p => Assert.True(CorpusSplitter.Bucket(p.English) < 60));
    }

    [Fact]
    public void SplitIsDeterministicAndIndependentOfOrder()
    {
        var pairs = SamplePairs();
        CorpusSplit first = new CorpusSplitter().Split(pairs);
        CorpusSplit again = new CorpusSplitter().Split(pairs);
        CorpusSplit reversed = new CorpusSplitter().Split(Enumerable.Reverse(pairs));

        foreach (SplitName set in Enum.GetValues<SplitName>())
        {
            Assert.Equal(first[set], again[set]);
            Assert.Equal(first[set].ToHashSet(), reversed[set].ToHashSet());
        }
    }

    [Theory]
    // Values of the first 32 bits of MD5(lower-cased UTF-8) mod 1000: pinned so that a corpus
    // rebuilt anywhere splits the same way.
    [InlineData("What is Access2Base?", 334)]
    [InlineData("WHAT IS ACCESS2BASE?", 334)]
    [InlineData("Hello, world", 364)]
    [InlineData("Größe ändern", 430)]
    public void BucketIsStableHashOfLowerCasedEnglish(string english, int bucket) =>
        Assert.Equal(bucket, CorpusSplitter.Bucket(english));

    [Fact]
    public void KnownSamplePairGoesToTest()
    {
        var pair = SamplePairs().Single(p => p.English == "newWidth is an integer value that defines the line width.");

        Assert.Equal(SplitName.Test, new CorpusSplitter().Assign(pair));
        Assert.Equal(SplitName.Dropped, new CorpusSplitter().Assign(pair with { Source = SourceNames.LibreOfficeUi }));
    }

    [Fact]
    public void CommittedTestSetIsDocumentationInTestBuckets()
    {
        var pairs = TranslationCorpus.ReadPairs(CorpusTestData.CommittedTestSetPath);

        Assert.Equal(1863, pairs.Count);
        Assert.All(pairs, p => Assert.Contains(p.Origin, SourceNames.Documentation));
        Assert.All(pairs, p => Assert.True(CorpusSplitter.Bucket(p.Source) < 30, p.Source));
    }
}
