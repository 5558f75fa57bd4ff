namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The translation Assistant of the AutoAssist paper: a sparse logistic regression on the TF-IDF of
/// the source and target sentences, the mean weight of their distinct tokens and their lengths.
/// </summary>
/// <remarks>Scoring reads an immutable snapshot of the weights that each update replaces.</remarks>
public sealed class TextPairAssistant : IAssistant
{
    private readonly string _sourceColumnName;
    private readonly string _targetColumnName;
    private readonly float _learningRate;
    private readonly float _l2;
    private readonly int _maxVocabularyPerSide;

    private SparseTextFeatures? _features;
    private float[] _weights = [];
    private float _bias;
    private Snapshot _snapshot = new([], 0);

    /// <summary>Creates a text-pair Assistant.</summary>
    /// <param name="sourceColumnName">Text column with the source sentence.</param>
    /// <param name="targetColumnName">Text column with the target sentence.</param>
    /// <param name="learningRate">SGD step per feedback batch (the paper uses 0.5).</param>
    /// <param name="l2">L2 regularisation weight (the paper uses 0.1).</param>
    /// <param name="maxVocabularyPerSide">Most frequent tokens kept per language.</param>
    public TextPairAssistant(string sourceColumnName, string targetColumnName, float learningRate = 0.5f, float l2 = 0.1f, int maxVocabularyPerSide = 50_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceColumnName);
        ArgumentException.ThrowIfNullOrEmpty(targetColumnName);
        OptionCheck.LearningRateAndL2(nameof(TextPairAssistant), learningRate, l2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVocabularyPerSide, 1);
        _sourceColumnName = sourceColumnName;
        _targetColumnName = targetColumnName;
        _learningRate = learningRate;
        _l2 = l2;
        _maxVocabularyPerSide = maxVocabularyPerSide;
        InputColumnNames = [sourceColumnName, targetColumnName];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> InputColumnNames { get; }

    /// <inheritdoc/>
    public void Initialize(AssistantTrainingRows rows, int seed)
    {
        _features = SparseTextFeatures.Build(rows.GetTexts(_sourceColumnName), rows.GetTexts(_targetColumnName), _maxVocabularyPerSide);
        _weights = new float[_features.Dimension];
        _bias = 0;
        Publish();
    }

    /// <inheritdoc/>
    public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var features = _features ?? throw new InvalidOperationException("The Assistant was not initialised.");
        for (int i = 0; i < rowIndices.Length; i++)
            probabilities[i] = VectorMath.Sigmoid(Logit(features, rowIndices[i], snapshot.Weights, snapshot.Bias));
    }

    /// <inheritdoc/>
    public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets)
    {
        var features = _features ?? throw new InvalidOperationException("The Assistant was not initialised.");
        if (rowIndices.IsEmpty)
            return;
        float scale = 1f / rowIndices.Length;
        var errors = new float[rowIndices.Length];
        for (int i = 0; i < rowIndices.Length; i++)
            errors[i] = (VectorMath.Sigmoid(Logit(features, rowIndices[i], _weights, _bias)) - targets[i]) * scale;
        // Weight decay first (dense), then the sparse gradient of the batch.
        float decay = 1 - _learningRate * _l2;
        for (int j = 0; j < _weights.Length; j++)
            _weights[j] *= decay;
        for (int i = 0; i < rowIndices.Length; i++)
        {
            int row = rowIndices[i];
            for (int k = features.RowStart[row]; k < features.RowStart[row + 1]; k++)
                _weights[features.Indices[k]] -= _learningRate * errors[i] * features.Values[k];
            _bias -= _learningRate * errors[i];
        }
        Publish();
    }

    /// <inheritdoc/>
    /// <remarks>Writes the weights and bias; plain SGD keeps no other optimiser state, and the vocabularies come from the rows again.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        AssistantState.Write(writer, _weights);
        writer.Write(_bias);
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        AssistantState.Read(reader, _weights, "weights");
        _bias = reader.ReadSingle();
        Publish();
    }

    private static float Logit(SparseTextFeatures features, int row, float[] weights, float bias)
    {
        float z = bias;
        for (int k = features.RowStart[row]; k < features.RowStart[row + 1]; k++)
            z += weights[features.Indices[k]] * features.Values[k];
        return z;
    }

    private void Publish() => Volatile.Write(ref _snapshot, new Snapshot((float[])_weights.Clone(), _bias));

    private sealed record Snapshot(float[] Weights, float Bias);
}
