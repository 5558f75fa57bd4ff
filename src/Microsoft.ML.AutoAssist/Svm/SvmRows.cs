using System.Numerics;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The training rows of the linear SVM held in memory, in compressed sparse rows: only the non-zero
/// values are kept, whether the input vectors were dense or sparse. Where at least a quarter of the
/// values are non-zero the rows are also laid out densely, for vectorised products (at the cost of
/// a second copy). Which layout the solver uses depends on the values only, never on how the input
/// stored them, so dense and sparse input give the same model. The optional constant bias feature
/// is stored as the last entry of every row, at index <see cref="InputFeatureCount"/>.
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

    /// <summary>Row-major n × <see cref="WeightCount"/> values, or null where the rows are sparse.</summary>
    private readonly float[]? _dense;
    private readonly int _width;

    /// <summary>Share of non-zero values from which the rows are also laid out densely.</summary>
    public const double DenseFromDensity = 0.25;

    /// <summary>Takes the rows in compressed sparse form; <paramref name="allowDense"/> false keeps that layout whatever the density (tests compare the two).</summary>
    public SvmRows(int[] rowStart, int[] indices, float[] values, sbyte[] labels, int inputFeatureCount, float biasFeatureValue, bool allowDense = true)
    {
        RowStart = rowStart;
        Indices = indices;
        Values = values;
        Labels = labels;
        InputFeatureCount = inputFeatureCount;
        BiasFeatureValue = biasFeatureValue;
        int width = _width = WeightCount;
        if (allowDense && values.Length >= DenseFromDensity * labels.Length * (double)width && (long)labels.Length * width <= Array.MaxLength)
        {
            _dense = new float[labels.Length * width];
            for (int i = 0; i < labels.Length; i++)
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
                    _dense[i * width + indices[k]] = values[k];
        }
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

    /// <summary>Whether the solver's products run on the dense layout.</summary>
    public bool IsDense => _dense is not null;

    public double Dot(double[] weights, int row)
    {
        if (_dense is not null)
            return DenseDot(weights, _dense.AsSpan(row * _width, _width));
        double sum = 0;
        for (int k = RowStart[row]; k < RowStart[row + 1]; k++)
            sum += weights[Indices[k]] * Values[k];
        return sum;
    }

    /// <summary>weights += scale · xᵢ.</summary>
    public void AddScaled(double[] weights, int row, double scale)
    {
        if (_dense is not null)
        {
            DenseAddScaled(weights, _dense.AsSpan(row * _width, _width), scale);
            return;
        }
        for (int k = RowStart[row]; k < RowStart[row + 1]; k++)
            weights[Indices[k]] += scale * Values[k];
    }

    private static double DenseDot(ReadOnlySpan<double> w, ReadOnlySpan<float> x)
    {
        int width = Vector<float>.Count, half = Vector<double>.Count;
        var sum = Vector<double>.Zero;
        int j = 0;
        for (; j <= x.Length - width; j += width)
        {
            Vector.Widen(new Vector<float>(x.Slice(j)), out var low, out var high);
            sum += low * new Vector<double>(w.Slice(j)) + high * new Vector<double>(w.Slice(j + half));
        }
        double total = Vector.Sum(sum);
        for (; j < x.Length; j++)
            total += w[j] * x[j];
        return total;
    }

    private static void DenseAddScaled(Span<double> w, ReadOnlySpan<float> x, double scale)
    {
        int width = Vector<float>.Count, half = Vector<double>.Count;
        var s = new Vector<double>(scale);
        int j = 0;
        for (; j <= x.Length - width; j += width)
        {
            Vector.Widen(new Vector<float>(x.Slice(j)), out var low, out var high);
            (new Vector<double>(w.Slice(j)) + s * low).CopyTo(w.Slice(j));
            (new Vector<double>(w.Slice(j + half)) + s * high).CopyTo(w.Slice(j + half));
        }
        for (; j < x.Length; j++)
            w[j] += scale * x[j];
    }

    /// <summary>
    /// Reads every row of <paramref name="data"/>. The schema must already have been checked
    /// (<see cref="SvmSchema"/>); the values are checked here, naming the row of the first bad one.
    /// </summary>
    public static SvmRows Read(IDataView data, string labelColumnName, string featureColumnName, float biasFeatureValue, CancellationToken cancellation,
        bool allowDense = true)
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
        return new SvmRows([.. rowStart], [.. indices], [.. values], [.. labels], featureCount, biasFeatureValue, allowDense);
    }
}
