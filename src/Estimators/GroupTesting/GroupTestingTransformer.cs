using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A trained group-testing network that screens rows in groups: consecutive rows, <see
/// cref="GroupSize"/> per group (the last partial), decided by <see cref="Algorithm"/>. Adds
/// "Score" (Single, the logit of "positive", less <see cref="GroupThreshold"/> where a group test
/// decided the row) and "PredictedLabel" (Boolean, Score above zero) to
/// every row, in the input's order, as ML.NET's binary classifiers do, so
/// <c>ml.BinaryClassification.EvaluateNonCalibrated</c> and a PredictionEngine (a group of one) work
/// on its output. <see cref="Statistics"/> counts the compute spent against testing each row alone.
/// </summary>
public sealed partial class GroupTestingTransformer : ITransformer, IDisposable
{
    /// <summary>Name of the output score column.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Name of the output predicted-label column.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    private readonly IHostEnvironment _env;
    private readonly GroupTestingInferenceOptions _inference;

    internal GroupTestingTransformer(IHostEnvironment env, IGroupTester tester, string featureColumnName,
        GroupTestingInferenceOptions inference, ResNetArchitecture architecture, int widthMultiplier)
    {
        _env = env;
        Tester = tester;
        FeatureColumnName = featureColumnName;
        _inference = inference.Clone();
        _inference.Validate();
        Architecture = architecture;
        WidthMultiplier = widthMultiplier;
        Scoring = new GroupTestingScoring(tester, featureColumnName, _inference, Statistics);
    }

    /// <summary>The image column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The algorithm that decides each row.</summary>
    public GroupTestingAlgorithm Algorithm => _inference.Algorithm;

    /// <summary>Rows per group.</summary>
    public int GroupSize => _inference.GroupSize;

    /// <summary>The seed of one-round testing's random groups.</summary>
    public int Seed => _inference.Seed;

    /// <summary>The logit above which a test of two or more rows is positive (<see cref="GroupTestingInferenceOptions.GroupThreshold"/>).</summary>
    public float GroupThreshold => _inference.GroupThreshold;

    /// <summary>How the network merges a group.</summary>
    public GroupTestingDesign Design => GroupTester is ResNetGroupTester resnet ? resnet.Network.Design : GroupTestingDesign.PixelMerge;

    /// <summary>
    /// True when single rows (the retests of two-round and multi-round) run on a network trained on
    /// single rows (<see cref="WithIndividualRetests"/>) rather than on the group network.
    /// </summary>
    public bool RetestsIndividually => Tester is RetestingGroupTester;

    /// <summary>The ResNet the network is built on.</summary>
    public ResNetArchitecture Architecture { get; }

    /// <summary>The ResNet's width multiplier.</summary>
    public int WidthMultiplier { get; }

    /// <summary>Forward passes and multiply-accumulates spent so far, against individual testing.</summary>
    public GroupTestingStatistics Statistics { get; } = new();

    internal IGroupTester Tester { get; }

    // The network that tests groups: the tester itself, or the group side of individual retests.
    internal IGroupTester GroupTester => Tester is RetestingGroupTester retesting ? retesting.Groups : Tester;

    private GroupTestingScoring Scoring { get; }

    /// <summary>
    /// The same trained network with other inference settings (algorithm, group size, seed, group threshold) and
    /// statistics of its own; it shares the network, so dispose only one of them.
    /// </summary>
    /// <param name="options">The inference settings.</param>
    public GroupTestingTransformer WithInference(GroupTestingInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GroupTestingTransformer(_env, Tester, FeatureColumnName, options, Architecture, WidthMultiplier);
    }

    /// <summary>
    /// The same group network and inference settings, with every single row it tests (the retests
    /// of two-round and multi-round, and a last group of one) run on <paramref name="individual"/>'s
    /// network instead: train that one with <c>GroupSize = 1</c>. A network trained on groups has never
    /// seen a group of one, so its answer on one row is poor; the authors of neural group testing
    /// retest with the individual classifier. Compute is then counted against testing every row with
    /// the individual network. The result shares both networks: dispose it, or the models it came from, not both.
    /// </summary>
    /// <param name="individual">A group-testing model trained on single rows, reading the same images.</param>
    /// <exception cref="ArgumentException">The individual model reads another image size, or itself retests individually.</exception>
    public GroupTestingTransformer WithIndividualRetests(GroupTestingTransformer individual)
    {
        ArgumentNullException.ThrowIfNull(individual);
        if (individual.RetestsIndividually)
            throw new ArgumentException("Group testing: the individual model must be a plain network trained on single rows, not one that retests with another.", nameof(individual));
        return new GroupTestingTransformer(_env, new RetestingGroupTester(GroupTester, individual.Tester), FeatureColumnName, _inference, Architecture, WidthMultiplier);
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = inputSchema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Group testing: feature column '{FeatureColumnName}' was not found in the input.");
        if (column.Type is not VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType } vector
            || vector.ItemType != NumberDataViewType.Single || vector.Size != Tester.RowLength)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Group testing: feature column '{FeatureColumnName}' must be a vector of {Tester.RowLength} Single values, got {column.Type}.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(ScoreColumnName, NumberDataViewType.Single);
        builder.AddColumn(PredictedLabelColumnName, BooleanDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BossScoredDataView(input, Scoring, GetOutputSchema(input.Schema), Scoring.BatchSize);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BossRowMapper(Scoring, inputSchema, GetOutputSchema(inputSchema));
    }

    /// <summary>Releases the networks' tensors.</summary>
    public void Dispose()
    {
        if (GroupTester is ResNetGroupTester resnet)
            resnet.Network.Dispose();
        if (Tester is RetestingGroupTester { Individuals: ResNetGroupTester individual })
            individual.Network.Dispose();
    }
}
