using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>Reads the images and Boolean labels that group-testing training and threshold calibration need.</summary>
internal static class GroupTestingRows
{
    /// <summary>Every row's pixels (row-major, <paramref name="rowLength"/> values each) and label (true = positive).</summary>
    public static (float[] Pixels, bool[] Labels) Read(IDataView data, string featureColumnName, string labelColumnName, int rowLength)
    {
        var labelColumn = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"Group testing: label column '{labelColumnName}' was not found in the input.");
        if (labelColumn.Type != BooleanDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(data), $"Group testing: label column '{labelColumnName}' must be Boolean (true = positive), got {labelColumn.Type}.");
        var featureColumn = data.Schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"Group testing: feature column '{featureColumnName}' was not found in the input.");
        if (featureColumn.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single || vector.Size != rowLength)
            throw new ArgumentOutOfRangeException(nameof(data),
                $"Group testing: feature column '{featureColumnName}' must be a vector of {rowLength} Single values, got {featureColumn.Type}.");
        var pixels = new List<float>();
        var labels = new List<bool>();
        using var cursor = data.GetRowCursor([featureColumn, labelColumn]);
        var features = cursor.GetGetter<VBuffer<float>>(featureColumn);
        var label = cursor.GetGetter<bool>(labelColumn);
        VBuffer<float> buffer = default;
        bool value = false;
        while (cursor.MoveNext())
        {
            features(ref buffer);
            label(ref value);
            pixels.AddRange(buffer.DenseValues());
            labels.Add(value);
        }
        return (pixels.ToArray(), labels.ToArray());
    }

    /// <summary>The given rows of <paramref name="pixels"/>, in that order, as one row-major batch.</summary>
    public static float[] Gather(float[] pixels, int[] rows, int rowLength)
    {
        var batch = new float[rows.Length * rowLength];
        for (int i = 0; i < rows.Length; i++)
            Array.Copy(pixels, (long)rows[i] * rowLength, batch, (long)i * rowLength, rowLength);
        return batch;
    }
}
