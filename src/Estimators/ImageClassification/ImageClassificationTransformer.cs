using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A trained ResNet classifier. Adds "Score" (class probabilities, with the class names as slot
/// names) and "PredictedLabel" (a key with the label's values), the ML.NET way, so
/// <c>ml.MulticlassClassification.Evaluate</c> and a PredictionEngine work on its output.
/// </summary>
public sealed partial class ImageClassificationTransformer : ITransformer, IDisposable
{
    /// <summary>Name of the output column of class probabilities.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Name of the output column of the predicted class (a key).</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    private readonly IHostEnvironment _env;
    private readonly ReadOnlyMemory<char>[] _classNames;

    internal ImageClassificationTransformer(IHostEnvironment env, ResNetScorer scorer, ResNetArchitecture architecture, int widthMultiplier,
        string featureColumnName, ReadOnlyMemory<char>[] classNames, TrainingReport? report)
    {
        _env = env;
        Scorer = scorer;
        Architecture = architecture;
        WidthMultiplier = widthMultiplier;
        FeatureColumnName = featureColumnName;
        _classNames = classNames;
        TrainingReport = report;
        Scoring = new ImageScoring(scorer, featureColumnName);
    }

    /// <summary>The network's architecture.</summary>
    public ResNetArchitecture Architecture { get; }

    /// <summary>The network's width multiplier.</summary>
    public int WidthMultiplier { get; }

    /// <summary>The image column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Scorer.ClassCount;

    /// <summary>What training did and how long it took; null for a model loaded from a file.</summary>
    public TrainingReport? TrainingReport { get; }

    internal ResNetScorer Scorer { get; }

    private ImageScoring Scoring { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var shape = ImageShape.Resolve(inputSchema, FeatureColumnName, Scorer.Shape.Channels, Scorer.Shape.Height, Scorer.Shape.Width);
        if (shape != Scorer.Shape)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"ResNet: the model was trained on {Scorer.Shape} images, the input has {shape}.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        int classes = ClassCount;
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        var keyAnnotations = new DataViewSchema.Annotations.Builder();
        if (_classNames.Length == classes)
        {
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> names = (ref VBuffer<ReadOnlyMemory<char>> dst) =>
                dst = new VBuffer<ReadOnlyMemory<char>>(classes, _classNames.ToArray());
            var namesType = new VectorDataViewType(TextDataViewType.Instance, classes);
            scoreAnnotations.Add("SlotNames", namesType, names);
            keyAnnotations.Add("KeyValues", namesType, names);
        }
        builder.AddColumn(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes), scoreAnnotations.ToAnnotations());
        builder.AddColumn(PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), keyAnnotations.ToAnnotations());
        return builder.ToSchema();
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BossScoredDataView(input, Scoring, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BossRowMapper(Scoring, inputSchema, GetOutputSchema(inputSchema));
    }

    /// <summary>Releases the network's tensors.</summary>
    public void Dispose() => Scorer.Model.Dispose();
}
