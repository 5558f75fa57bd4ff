using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>Image geometry (channels, height, width) and the schema checks of the image trainer.</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int PixelCount => Channels * Height * Width;

    /// <summary>"CxHxW", as messages show it.</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";

    /// <summary>
    /// The shape of the images in <paramref name="featureColumnName"/>: from the options where given,
    /// else from the column's dimensions ((C, H, W) as ExtractPixels sets them, or (H, W) for one channel).
    /// </summary>
    public static ImageShape Resolve(DataViewSchema schema, string featureColumnName, int? channels, int? height, int? width)
    {
        var column = schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"ResNet: feature column '{featureColumnName}' was not found in the input.");
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"ResNet: schema mismatch for feature column '{featureColumnName}': expected a known-size vector of Single, got {column.Type}.");
        var dims = vector.Dimensions;
        int c = channels ?? (dims.Length == 3 ? dims[0] : 1);
        int h = height ?? (dims.Length == 3 ? dims[1] : dims.Length == 2 ? dims[0] : 0);
        int w = width ?? (dims.Length == 3 ? dims[2] : dims.Length == 2 ? dims[1] : 0);
        if (h == 0 || w == 0)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"ResNet: feature column '{featureColumnName}' is a flat vector of {vector.Size} values; set ImageChannels, ImageHeight and ImageWidth.");
        var shape = new ImageShape(c, h, w);
        if (shape.PixelCount != vector.Size)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"ResNet: feature column '{featureColumnName}' holds {vector.Size} values per row, but images of {c}x{h}x{w} need {shape.PixelCount}.");
        if (h < 8 || w < 8)
            throw new ArgumentOutOfRangeException("inputSchema", $"ResNet: images of {h}x{w} are too small; the network needs at least 8x8.");
        return shape;
    }

    /// <summary>The number of classes: the label's key count.</summary>
    public static int ResolveClassCount(DataViewSchema schema, string labelColumnName)
    {
        var column = schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"ResNet: label column '{labelColumnName}' was not found in the input.");
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"ResNet: schema mismatch for label column '{labelColumnName}': expected a key of UInt32 (use MapValueToKey), got {column.Type}.");
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("inputSchema", $"ResNet: label column '{labelColumnName}' has {key.Count} classes; a classifier needs at least 2.");
        return (int)key.Count;
    }
}
