using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A rare-positive screening task from real Fashion-MNIST images, for neural group testing: the
/// images of some classes are "positive", all others negative, and the rows are resampled so that
/// positives make up a chosen prevalence (e.g. 0.1%, 0.5%, 1%).
/// </summary>
public static class RarePositiveTask
{
    /// <summary>A row of the task: Label (Boolean, true = positive), Pixels (784 floats in [0, 1], 1x28x28) and the source row's index.</summary>
    public sealed class Row
    {
        /// <summary>True when the image's class is one of the positive classes.</summary>
        public bool Label { get; set; }

        /// <summary>The image, as <see cref="FashionMnist.Load"/> gives it.</summary>
        [VectorType(1, FashionMnist.ImageHeight, FashionMnist.ImageWidth)]
        public float[] Pixels { get; set; } = [];

        /// <summary>The row's index in the source data.</summary>
        public int SourceRow { get; set; }
    }

    /// <summary>
    /// Every negative image of <paramref name="data"/> and as many positive images, drawn without
    /// replacement with <paramref name="seed"/>, as make the share of positives <paramref name="prevalence"/>
    /// (rounded to whole rows, at least one), in an order shuffled with the same seed.
    /// </summary>
    /// <param name="data">The source images, e.g. <c>FashionMnist.LoadData(FashionMnistSplit.Test)</c>.</param>
    /// <param name="positiveClasses">The class indices (0 to 9) that count as positive.</param>
    /// <param name="prevalence">The share of positive rows, in (0, 0.5].</param>
    /// <param name="seed">Seeds which positives are drawn and the row order.</param>
    /// <exception cref="ArgumentOutOfRangeException">No or an unknown positive class, a prevalence outside (0, 0.5], or too few positive images.</exception>
    public static IReadOnlyList<Row> Resample(FashionMnistData data, IReadOnlyCollection<int> positiveClasses, double prevalence, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(positiveClasses);
        if (positiveClasses.Count == 0 || positiveClasses.Any(c => c < 0 || c >= FashionMnist.ClassCount))
            throw new ArgumentOutOfRangeException(nameof(positiveClasses), $"The positive classes must be one or more class indices from 0 to {FashionMnist.ClassCount - 1}.");
        if (!(prevalence > 0 && prevalence <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(prevalence), prevalence, "The prevalence must be in (0, 0.5].");

        var positives = Enumerable.Range(0, data.Count).Where(i => positiveClasses.Contains(data.GetLabel(i))).ToArray();
        var negatives = Enumerable.Range(0, data.Count).Where(i => !positiveClasses.Contains(data.GetLabel(i))).ToArray();
        // positives / (positives + negatives) = prevalence, with every negative kept.
        int wanted = Math.Max(1, (int)Math.Round(prevalence * negatives.Length / (1 - prevalence)));
        if (wanted > positives.Length)
            throw new ArgumentOutOfRangeException(nameof(prevalence), prevalence,
                $"A prevalence of {prevalence:P2} with {negatives.Length} negative images needs {wanted} positive images; the data has {positives.Length}.");

        var random = new Random(seed);
        random.Shuffle(positives);
        var chosen = negatives.Concat(positives.Take(wanted)).ToArray();
        random.Shuffle(chosen);
        return chosen.Select(i =>
        {
            var pixels = new float[FashionMnist.PixelCount];
            data.CopyScaledPixels(i, pixels);
            return new Row { Label = positiveClasses.Contains(data.GetLabel(i)), Pixels = pixels, SourceRow = i };
        }).ToArray();
    }

    /// <summary><see cref="Resample"/> as an ML.NET data view.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="data">The source images.</param>
    /// <param name="positiveClasses">The class indices (0 to 9) that count as positive.</param>
    /// <param name="prevalence">The share of positive rows, in (0, 0.5].</param>
    /// <param name="seed">Seeds which positives are drawn and the row order.</param>
    public static IDataView Load(MLContext mlContext, FashionMnistData data, IReadOnlyCollection<int> positiveClasses, double prevalence, int seed)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromEnumerable(Resample(data, positiveClasses, prevalence, seed));
    }
}
