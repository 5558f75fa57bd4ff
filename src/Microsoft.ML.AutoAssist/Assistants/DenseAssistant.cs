namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The image Assistant of the AutoAssist paper: logistic regression on the standardised feature
/// vector plus a learned per-class bias, p(hard | x, y) = sigmoid(w·x + u[y] + b), trained by SGD
/// on the Boss's feedback.
/// </summary>
/// <remarks>
/// Standardisation is folded into the published weights (w/σ and b − Σ wμ/σ), so scoring reads the
/// raw cached features and costs one dot product per row. Scoring uses an immutable snapshot that
/// each update replaces, so it never waits for training.
/// </remarks>
public sealed class DenseAssistant : IAssistant
{
    private readonly string _featureColumnName;
    private readonly string? _labelColumnName;
    private readonly float _learningRate;
    private readonly float _l2;

    private ReadOnlyMemory<float> _features;
    private ReadOnlyMemory<uint> _labels;
    private int _dimension;
    private float[] _mean = [];
    private float[] _inverseStd = [];

    // Owned by the updating thread.
    private float[] _weights = [];
    private float[] _classBias = [];
    private float _bias;
    private float[] _gradient = [];

    private Snapshot _snapshot = new([], [], 0);

    /// <summary>Creates a dense Assistant.</summary>
    /// <param name="featureColumnName">A known-size vector of Single column (for images, the pixels).</param>
    /// <param name="labelColumnName">An optional key column whose value gets a learned bias (the class of the row).</param>
    /// <param name="learningRate">SGD step per feedback batch (the paper uses 0.01).</param>
    /// <param name="l2">L2 regularisation weight (the paper uses 1e-3).</param>
    public DenseAssistant(string featureColumnName, string? labelColumnName = null, float learningRate = 0.01f, float l2 = 1e-3f)
    {
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        OptionCheck.LearningRateAndL2(nameof(DenseAssistant), learningRate, l2);
        _featureColumnName = featureColumnName;
        _labelColumnName = labelColumnName;
        _learningRate = learningRate;
        _l2 = l2;
        InputColumnNames = labelColumnName is null ? [featureColumnName] : [featureColumnName, labelColumnName];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InputColumnNames { get; }

    /// <inheritdoc/>
    public void Initialize(AssistantTrainingRows rows, int seed)
    {
        _features = rows.GetDenseVectors(_featureColumnName, out _dimension);
        int classes = 0;
        if (_labelColumnName is not null)
            _labels = rows.GetKeys(_labelColumnName, out classes);

        var x = _features.Span;
        int n = rows.Count;
        var sum = new double[_dimension];
        var sumSq = new double[_dimension];
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * _dimension, _dimension);
            for (int j = 0; j < _dimension; j++)
            {
                sum[j] += row[j];
                sumSq[j] += (double)row[j] * row[j];
            }
        }
        _mean = new float[_dimension];
        _inverseStd = new float[_dimension];
        for (int j = 0; j < _dimension; j++)
        {
            double mean = n > 0 ? sum[j] / n : 0;
            double variance = n > 0 ? Math.Max(0, sumSq[j] / n - mean * mean) : 0;
            _mean[j] = (float)mean;
            // Constant features carry no signal; leave them unscaled rather than divide by ~0.
            _inverseStd[j] = variance > 1e-12 ? (float)(1 / Math.Sqrt(variance)) : 1f;
        }

        var random = new Random(seed);
        _weights = new float[_dimension];
        for (int j = 0; j < _dimension; j++)
            _weights[j] = 1e-3f * Gaussian(random);
        _classBias = new float[classes + 1];
        _bias = 0;
        _gradient = new float[_dimension];
        Publish();
    }

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var x = _features.Span;
        var labels = _labels.Span;
        int d = _dimension;
        // Epochs visit rows in a random order, so scoring waits on memory: four scattered rows at a
        // time keep more loads in flight (about twice as fast). Four adjacent rows are one stream the
        // hardware prefetcher already follows, and one at a time is faster there. Either way the
        // sums are the same, bit for bit.
        Span<float> dots = stackalloc float[4];
        int i = 0;
        for (; i + 3 < rowIndices.Length; i += 4)
        {
            int first = rowIndices[i];
            if (rowIndices[i + 1] == first + 1 && rowIndices[i + 2] == first + 2 && rowIndices[i + 3] == first + 3)
            {
                for (int k = 0; k < 4; k++)
                    dots[k] = VectorMath.Dot(x.Slice((first + k) * d, d), snapshot.Weights);
            }
            else
            {
                VectorMath.Dot4(x.Slice(first * d, d), x.Slice(rowIndices[i + 1] * d, d),
                    x.Slice(rowIndices[i + 2] * d, d), x.Slice(rowIndices[i + 3] * d, d), snapshot.Weights, dots);
            }
            for (int k = 0; k < 4; k++)
                probabilities[i + k] = Probability(snapshot, labels, rowIndices[i + k], dots[k]);
        }
        for (; i < rowIndices.Length; i++)
        {
            int row = rowIndices[i];
            probabilities[i] = Probability(snapshot, labels, row, VectorMath.Dot(x.Slice(row * d, d), snapshot.Weights));
        }
    }

    private static float Probability(Snapshot snapshot, ReadOnlySpan<uint> labels, int row, float dot)
    {
        float z = dot + snapshot.Bias;
        if (!labels.IsEmpty)
            z += snapshot.ClassBias[labels[row]];
        return VectorMath.Sigmoid(z);
    }

    /// <inheritdoc/>
    public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets) => ScoreThenUpdate(rowIndices, targets, Span<float>.Empty);

    /// <inheritdoc/>
    /// <remarks>The gradient needs each row's probability under the current weights, so they come free.</remarks>
    public void ScoreThenUpdate(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets, Span<float> probabilitiesBefore)
    {
        if (rowIndices.IsEmpty)
            return;
        if (!probabilitiesBefore.IsEmpty && probabilitiesBefore.Length != rowIndices.Length)
            throw new ArgumentException($"ScoreThenUpdate got {rowIndices.Length} rows but room for {probabilitiesBefore.Length} probabilities.", nameof(probabilitiesBefore));
        var x = _features.Span;
        var labels = _labels.Span;
        bool hasLabels = !labels.IsEmpty;
        Array.Clear(_gradient);
        float biasGradient = 0;
        float scale = 1f / rowIndices.Length;
        Span<float> normalized = _dimension <= 4096 ? stackalloc float[_dimension] : new float[_dimension];
        var classGradient = new float[_classBias.Length];
        for (int i = 0; i < rowIndices.Length; i++)
        {
            int row = rowIndices[i];
            VectorMath.Standardize(x.Slice(row * _dimension, _dimension), _mean, _inverseStd, normalized);
            float z = VectorMath.Dot(normalized, _weights) + _bias;
            if (hasLabels)
                z += _classBias[labels[row]];
            float probability = VectorMath.Sigmoid(z);
            if (!probabilitiesBefore.IsEmpty)
                probabilitiesBefore[i] = probability;
            float error = (probability - targets[i]) * scale;
            VectorMath.AddScaled(_gradient, error, normalized);
            biasGradient += error;
            if (hasLabels)
                classGradient[labels[row]] += error;
        }
        for (int j = 0; j < _dimension; j++)
            _weights[j] -= _learningRate * (_gradient[j] + _l2 * _weights[j]);
        for (int k = 0; k < _classBias.Length; k++)
            _classBias[k] -= _learningRate * classGradient[k];
        _bias -= _learningRate * biasGradient;
        Publish();
    }

    /// <inheritdoc/>
    /// <remarks>Writes the weights, class biases and bias; plain SGD keeps no other optimiser state.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        AssistantState.Write(writer, _weights);
        AssistantState.Write(writer, _classBias);
        writer.Write(_bias);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        AssistantState.Read(reader, _weights, "weights");
        AssistantState.Read(reader, _classBias, "class biases");
        _bias = reader.ReadSingle();
        Publish();
    }

    private void Publish()
    {
        var weights = new float[_dimension];
        float bias = _bias;
        for (int j = 0; j < _dimension; j++)
        {
            weights[j] = _weights[j] * _inverseStd[j];
            bias -= weights[j] * _mean[j];
        }
        Volatile.Write(ref _snapshot, new Snapshot(weights, (float[])_classBias.Clone(), bias));
    }

    private static float Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private sealed record Snapshot(float[] Weights, float[] ClassBias, float Bias);
}
