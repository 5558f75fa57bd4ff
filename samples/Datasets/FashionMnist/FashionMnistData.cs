namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Fashion-MNIST images and labels held in memory as the raw bytes of the IDX files: the fast
/// path for code that feeds tensors directly. <see cref="ToDataView"/> presents the same rows
/// to ML.NET without copying them.
/// </summary>
/// <remarks>
/// Pixels are kept as bytes (0 = background, 255 = full intensity) so that the 60,000 training
/// images take 47 MB rather than 188 MB as floats; the data view scales them to [0, 1] per row.
/// </remarks>
public sealed class FashionMnistData
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    /// <summary>
    /// Creates a data set from pixel and label bytes, copying both.
    /// </summary>
    /// <param name="pixels">
    /// Gray levels of every image one after the other, each row-major
    /// <see cref="FashionMnist.ImageHeight"/> × <see cref="FashionMnist.ImageWidth"/> bytes.
    /// </param>
    /// <param name="labels">One class index (0 to 9, see <see cref="FashionMnist.ClassNames"/>) per image.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is not a class index.</exception>
    public FashionMnistData(ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> labels)
        : this(pixels.ToArray(), labels.ToArray(), sourceFile: null)
    {
    }

    // Takes ownership of the arrays: the reader hands over what it decoded without a copy.
    // sourceFile names the labels file the bytes came from, or is null for bytes given by a caller.
    private FashionMnistData(byte[] pixels, byte[] labels, string? sourceFile)
    {
        if ((long)labels.Length * FashionMnist.PixelCount != pixels.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} labels need {(long)labels.Length * FashionMnist.PixelCount} pixel bytes " +
                $"({FashionMnist.ImageHeight}x{FashionMnist.ImageWidth} per image), but {pixels.Length} were given.",
                nameof(pixels));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= FashionMnist.ClassCount)
            {
                string message = $"Label {labels[i]} of item {i} is not a Fashion-MNIST class index (0 to {FashionMnist.ClassCount - 1}).";
                throw sourceFile is null
                    ? new ArgumentException(message, nameof(labels))
                    : new InvalidDataException($"'{sourceFile}' is not a Fashion-MNIST labels file: {message}");
            }
        }
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>The number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>
    /// The gray levels of all images, one after the other, each row-major 28 × 28 bytes
    /// (<see cref="FashionMnist.PixelCount"/> bytes per image).
    /// </summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <summary>The class index (0 to 9) of each image; <see cref="FashionMnist.ClassNames"/> names them.</summary>
    public ReadOnlyMemory<byte> Labels => _labels;

    /// <summary>The row-major 28 × 28 gray levels of image <paramref name="row"/>.</summary>
    public ReadOnlySpan<byte> GetImage(int row)
    {
        CheckRow(row);
        return new ReadOnlySpan<byte>(_pixels, row * FashionMnist.PixelCount, FashionMnist.PixelCount);
    }

    /// <summary>The class index (0 to 9) of image <paramref name="row"/>.</summary>
    public int GetLabel(int row)
    {
        CheckRow(row);
        return _labels[row];
    }

    /// <summary>
    /// Writes the pixels of image <paramref name="row"/> into <paramref name="destination"/>, scaled
    /// to [0, 1] (gray level / 255), exactly the values of the data view's Pixels column.
    /// </summary>
    /// <param name="row">The image index.</param>
    /// <param name="destination">At least <see cref="FashionMnist.PixelCount"/> floats.</param>
    public void CopyScaledPixels(int row, Span<float> destination)
    {
        if (destination.Length < FashionMnist.PixelCount)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} floats; an image needs {FashionMnist.PixelCount}.",
                nameof(destination));
        }
        ScalePixels(GetImage(row), destination);
    }

    /// <summary>
    /// Presents the images as an ML.NET <see cref="IDataView"/> with a "Label" key column and a
    /// "Pixels" vector column (see <see cref="FashionMnist.Load"/>). The view reads this object's
    /// arrays; nothing is copied.
    /// </summary>
    public IDataView ToDataView() => new FashionMnistDataView(this);

    internal static FashionMnistData FromOwnedArrays(byte[] pixels, byte[] labels, string labelsFile)
        => new(pixels, labels, labelsFile);

    // Division rather than multiplication by 1/255 so that 255 maps to exactly 1.
    private static readonly float[] ScaledLevels = Enumerable.Range(0, 256).Select(level => level / 255f).ToArray();

    internal static void ScalePixels(ReadOnlySpan<byte> levels, Span<float> destination)
    {
        float[] table = ScaledLevels;
        for (int i = 0; i < levels.Length; i++)
            destination[i] = table[levels[i]];
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)_labels.Length)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The data set has {_labels.Length} images.");
    }
}
