using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The training rows of the linear SVM held in memory, in compressed sparse rows: only the non-zero
/// values are kept, whether the input vectors were dense or sparse, so that both give the same
/// model (the solver visits the same non-zeros in the same order). The optional constant bias
/// feature is stored as the last entry of every row, at index <see cref="InputFeatureCount"/>.
/// </summary>
internal sealed class SvmRows
{
    /// <summary>Where row i's entries start in <see cref="Indices"/> and <see cref="Values"/>; Count + 1 entries.</summary>
    public readonly int[] RowStart;
    public readonly int[] Indices;
    public readonly float[] Values;
    /// <summary>+1 or −1.</summary>
    public readonly sbyte[] Labels;
    /// <summary>‖xᵢ‖², bias feature included.</summary>
    public readonly double[] SquaredNorms;
    /// <summary>Length of the input feature vectors.</summary>
    public readonly int InputFeatureCount;
    /// <summary>Value of the bias feature; 0 when there is none.</summary>
    public readonly float BiasFeatureValue;

    public SvmRows(int[] rowStart, int[] indices, float[] values, sbyte[] labels, int inputFeatureCount, float biasFeatureValue)
    {
        RowStart = rowStart;
        Indices = indices;
        Values = values;
        Labels = labels;
        InputFeatureCount = inputFeatureCount;
        BiasFeatureValue = biasFeatureValue;
        SquaredNorms = new double[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            double sum = 0;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
                sum += (double)values[k] * values[k];
            SquaredNorms[i] = sum;
        }
    }

    public int Count => Labels.Length;

    /// <summary>Length of the weight vector: the input features, plus one for the bias feature.</summary>
    public int WeightCount => InputFeatureCount + (BiasFeatureValue != 0 ? 1 : 0);

    public double Dot(double[] weights, int row)
    {
        double sum = 0;
        for (int k = RowStart[row]; k < RowStart[row + 1]; k++)
            sum += weights[Indices[k]] * Values[k];
        return sum;
    }

    /// <summary>weights += scale · xᵢ.</summary>
    public void AddScaled(double[] weights, int row, double scale)
    {
        for (int k = RowStart[row]; k < RowStart[row + 1]; k++)
            weights[Indices[k]] += scale * Values[k];
    }

    /// <summary>
    /// Reads every row of <paramref name="data"/>. The schema must already have been checked
    /// (<see cref="SvmSchema"/>); the values are checked here, naming the row of the first bad one.
    /// </summary>
    public static SvmRows Read(IDataView data, string labelColumnName, string featureColumnName, float biasFeatureValue, CancellationToken cancellation)
    {
        var labelColumn = data.Schema[labelColumnName];
        var featureColumn = data.Schema[featureColumnName];
        int featureCount = ((VectorDataViewType)featureColumn.Type).Size;
        var rowStart = new List<int> { 0 };
        var indices = new List<int>();
        var values = new List<float>();
        var labels = new List<sbyte>();

        using var cursor = data.GetRowCursor([labelColumn, featureColumn]);
        var getLabel = cursor.GetGetter<bool>(labelColumn);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        bool label = false;
        var features = default(VBuffer<float>);
        long row = 0;
        while (cursor.MoveNext())
        {
            if ((row & 0xFFF) == 0)
                cancellation.ThrowIfCancellationRequested();
            getLabel(ref label);
            getFeatures(ref features);
            if (features.Length != featureCount)
                throw new InvalidOperationException(
                    $"Row {row} of feature column '{featureColumnName}' has {features.Length} values; the column's type says {featureCount}.");
            var featureValues = features.GetValues();
            var featureIndices = features.GetIndices();
            for (int k = 0; k < featureValues.Length; k++)
            {
                float value = featureValues[k];
                int index = features.IsDense ? k : featureIndices[k];
                if (!float.IsFinite(value))
                    throw new InvalidOperationException(
                        $"Row {row} of feature column '{featureColumnName}' has the value {value} at index {index}; the SVM needs finite features.");
                if (value == 0)
                    continue;
                indices.Add(index);
                values.Add(value);
            }
            if (biasFeatureValue != 0)
            {
                indices.Add(featureCount);
                values.Add(biasFeatureValue);
            }
            rowStart.Add(values.Count);
            labels.Add(label ? (sbyte)1 : (sbyte)-1);
            row++;
        }

        if (labels.Count == 0)
            throw new InvalidOperationException("The training data has no rows.");
        int positives = labels.Count(l => l > 0);
        if (positives == 0 || positives == labels.Count)
            throw new InvalidOperationException(
                $"All {labels.Count} training rows have the label {(positives > 0 ? "true" : "false")} in column '{labelColumnName}'; a binary SVM needs rows of both classes.");
        return new SvmRows([.. rowStart], [.. indices], [.. values], [.. labels], featureCount, biasFeatureValue);
    }
}
