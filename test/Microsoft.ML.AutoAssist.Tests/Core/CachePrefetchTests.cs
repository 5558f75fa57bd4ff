using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

public class CachePrefetchTests
{
    [Fact]
    public void AnEveryRowEpochThatAnnouncesTheNextRowReadsEachRowsOwnValues()
    {
        // A uniform epoch announces each next row's vector to the processor while the current one is
        // read; every row must still come with its own values, the last one included.
        var ml = new MLContext(1);
        var source = SyntheticRows.Make(500);
        using var session = SelectiveTrainingSession.Open(ml, ml.Data.LoadFromEnumerable(source), ["Features"], 5);
        for (int e = 0; e < 2; e++)
        {
            var epoch = EpochDriver.Run(session, null);
            Assert.Equal(500, epoch.KeptFeatures.Select(f => (int)f[1]).Distinct().Count());
            Assert.All(epoch.KeptFeatures, features => Assert.Equal(source[(int)features[1]].Features, features));
        }
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 16)] // not on a cache-line boundary
    [InlineData(99_990, 16)] // runs past the end: only what is there
    [InlineData(99_999, 1)]
    [InlineData(100_000, 16)] // past the end: nothing
    [InlineData(-1, 16)]
    [InlineData(5, 0)]
    [InlineData(7, 100_000)] // longer than a row is ever announced
    public void APrefetchIsOnlyAHintAndChangesNothing(int start, int count)
    {
        var values = Enumerable.Range(0, 100_000).Select(i => (float)i).ToArray();
        CachePrefetch.Range(values, start, count);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(i, values[i]);
    }

    [Fact]
    public void APrefetchOfAnEmptyArrayDoesNothing()
    {
        CachePrefetch.Range(Array.Empty<float>(), 0, 4);
    }
}
