using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>A batch of images (flat pixel vectors) and their class indices.</summary>
internal sealed class ImageRowBatch : RowBatch
{
    private readonly string _featureColumnName;
    private readonly string _labelColumnName;
    private ValueGetter<VBuffer<float>>? _features;
    private ValueGetter<uint>? _label;
    private VBuffer<float> _buffer;

    public ImageRowBatch(int capacity, int pixelsPerImage, string featureColumnName, string labelColumnName) : base(capacity)
    {
        PixelsPerImage = pixelsPerImage;
        Pixels = new float[capacity * pixelsPerImage];
        Labels = new long[capacity];
        _featureColumnName = featureColumnName;
        _labelColumnName = labelColumnName;
    }

    public int PixelsPerImage { get; }

    public float[] Pixels { get; }

    /// <summary>0-based class indices.</summary>
    public long[] Labels { get; }

    protected override void BindValues(DataViewRowCursor cursor)
    {
        _features = cursor.GetGetter<VBuffer<float>>(cursor.Schema[_featureColumnName]);
        _label = cursor.GetGetter<uint>(cursor.Schema[_labelColumnName]);
    }

    protected override void ReadValues(int slot)
    {
        _features!(ref _buffer);
        if (_buffer.Length != PixelsPerImage)
            throw new InvalidDataException($"Column '{_featureColumnName}' holds {_buffer.Length} values in a row; the images need {PixelsPerImage}.");
        _buffer.CopyTo(Pixels.AsSpan(slot * PixelsPerImage, PixelsPerImage));
        uint key = 0;
        _label!(ref key);
        if (key == 0)
            throw new InvalidDataException($"Label column '{_labelColumnName}' has a missing value (a key outside the label's values) in row {RowStore.Describe(Ids[slot])}; remove or fix those rows before training.");
        Labels[slot] = key - 1;
    }

    protected override void CopyValues(RowBatch source, int from, int to)
    {
        var other = (ImageRowBatch)source;
        other.Pixels.AsSpan(from * PixelsPerImage, PixelsPerImage).CopyTo(Pixels.AsSpan(to * PixelsPerImage, PixelsPerImage));
        Labels[to] = other.Labels[from];
    }
}
