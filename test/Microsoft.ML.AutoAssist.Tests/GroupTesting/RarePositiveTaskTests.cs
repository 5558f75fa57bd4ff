using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

public class RarePositiveTaskTests
{
    // 1,000 made-up images, 100 per class; the pixel value of an image is its class.
    private static FashionMnistData Made()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => (byte)(i % 10)).ToArray();
        var pixels = labels.SelectMany(label => Enumerable.Repeat(label, FashionMnist.PixelCount)).ToArray();
        return new FashionMnistData(pixels, labels);
    }

    [Fact]
    public void KeepsEveryNegativeAndDrawsPositivesToThePrevalence()
    {
        // Classes 0 and 9 positive: 800 negatives; 1% needs round(0.01 * 800 / 0.99) = 8 positives.
        var rows = RarePositiveTask.Resample(Made(), [0, 9], 0.01, seed: 3);
        Assert.Equal(808, rows.Count);
        Assert.Equal(8, rows.Count(r => r.Label));
        Assert.All(rows, r => Assert.Equal(r.SourceRow % 10 is 0 or 9, r.Label));
        Assert.Equal(rows.Select(r => r.SourceRow), RarePositiveTask.Resample(Made(), [0, 9], 0.01, seed: 3).Select(r => r.SourceRow));
        Assert.NotEqual(rows.Select(r => r.SourceRow), RarePositiveTask.Resample(Made(), [0, 9], 0.01, seed: 4).Select(r => r.SourceRow));
    }

    [Fact]
    public void RefusesAPrevalenceTheDataCannotReach()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RarePositiveTask.Resample(Made(), [0], 0, seed: 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RarePositiveTask.Resample(Made(), [0], 0.5, seed: 1));
        Assert.Contains("needs 900 positive images; the data has 100", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RarePositiveTask.Resample(Made(), [10], 0.01, seed: 1));
    }
}
