
namespace Microsoft.ML.AutoAssist;

/// <summary>Options of <c>mlContext.Transforms.AutoAssistFilter</c>.</summary>
public sealed class AutoAssistFilterOptions
{
    /// <summary>How rows are selected. AutoAssist by default; the peer methods are here for fair comparisons.</summary>
    public SelectionMethod Method = SelectionMethod.AutoAssist;

    /// <summary>Known-size vector of Single column the dense Assistant reads (for images, the pixels).</summary>
    public string FeatureColumnName = "Features";

    /// <summary>Optional key column whose value gets a learned bias in the dense Assistant (the class). Null: none.</summary>
    public string? LabelColumnName = "Label";

    /// <summary>Source-sentence text column. With <see cref="TargetColumnName"/> it selects the text-pair Assistant.</summary>
    public string? SourceColumnName;

    /// <summary>Target-sentence text column (see <see cref="SourceColumnName"/>).</summary>
    public string? TargetColumnName;

    /// <summary>A custom Assistant, created anew for every training session. Overrides the built-in ones.</summary>
    public Func<IAssistant>? AssistantFactory;

    /// <summary>AutoAssist: every row is kept with at least this probability; P(keep) = base + (1 − base)·p(hard). In (0, 1].</summary>
    public float BaseKeepProbability = 0.3f;

    /// <summary>AutoAssist: the first pass over the data keeps every row while the Assistant learns.</summary>
    public bool FirstPassKeepsAll = true;

    /// <summary>AutoAssist: momentum of the loss threshold, an EMA of the Boss's batch mean loss. In [0, 1).</summary>
    public float ThresholdMomentum = 0.75f;

    /// <summary>AutoAssist: raise the keep floor to max(base, 1 − confidence) each epoch, confidence being the Assistant's accuracy EMA.</summary>
    public bool AdaptiveFloor;

    /// <summary>
    /// AutoAssist: weight kept rows by 1 / P(keep) so that the expected gradient is unbiased. On by
    /// default: in the study recorded in docs/benchmarks.md it gave a higher final accuracy than
    /// unweighted shrinking at the same compute on every seed.
    /// </summary>
    public bool Reweight = true;

    /// <summary>AutoAssist: the last share of training (by the trainer's progress) keeps every row. In [0, 1).</summary>
    public float FinalFullDataFraction;

    /// <summary>Step size of the Assistant's SGD per feedback batch. Null: 0.01 for the dense Assistant, 0.5 for the text one.</summary>
    public float? AssistantLearningRate;

    /// <summary>L2 weight of the Assistant. Null: 1e-3 for the dense Assistant, 0.1 for the text one.</summary>
    public float? AssistantL2;

    /// <summary>InfoBatch: share of the below-mean-loss rows skipped each epoch. In (0, 1).</summary>
    public float InfoBatchPruneRatio = 0.5f;

    /// <summary>InfoBatch: the last share of training that uses all the data. In [0, 1).</summary>
    public float InfoBatchFinalFullDataFraction = 0.125f;

    /// <summary>Selective Backprop: exponent β of the percentile. Positive.</summary>
    public float SelectiveBackpropBeta = 2f;

    /// <summary>Selective Backprop: lowest backprop probability. In (0, 1].</summary>
    public float SelectiveBackpropFloor = 0.05f;

    /// <summary>Selective Backprop: how many recent losses the percentile is taken among.</summary>
    public int SelectiveBackpropHistorySize = 1024;

    /// <summary>Loss sampling: expected share of rows kept when losses are near their mean. In (0, 1].</summary>
    public float LossSamplingKeepFraction = 0.5f;

    /// <summary>Loss sampling: lowest keep probability. In (0, 1].</summary>
    public float LossSamplingFloor = 0.05f;

    /// <summary>Seed of the keep decisions and the Assistant's initialisation. Null: drawn from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>Rows per block handed from the prefetch thread to the trainer (epochs that decide which rows to keep).</summary>
    public int PrefetchBlockSize = 256;

    /// <summary>Blocks of kept rows the prefetch thread may run ahead of the trainer.</summary>
    public int PrefetchBlocks = 32;

    /// <summary>Feedback batches the Assistant's queue holds; when full, the oldest is dropped so the Boss never waits.</summary>
    public int FeedbackQueueCapacity = 4096;

    internal void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(name, value, $"AutoAssistFilterOptions.{name} {rule}.");
        }
        Check(Enum.IsDefined(Method), nameof(Method), Method, "is not a known selection method");
        Check(BaseKeepProbability > 0 && BaseKeepProbability <= 1, nameof(BaseKeepProbability), BaseKeepProbability,
            "must be in (0, 1]; 0 could keep zero rows once the Assistant is confident");
        Check(ThresholdMomentum >= 0 && ThresholdMomentum < 1, nameof(ThresholdMomentum), ThresholdMomentum, "must be in [0, 1)");
        Check(FinalFullDataFraction >= 0 && FinalFullDataFraction < 1, nameof(FinalFullDataFraction), FinalFullDataFraction, "must be in [0, 1)");
        Check(InfoBatchPruneRatio > 0 && InfoBatchPruneRatio < 1, nameof(InfoBatchPruneRatio), InfoBatchPruneRatio,
            "must be in (0, 1); 1 would skip every below-mean row with an infinite weight");
        Check(InfoBatchFinalFullDataFraction >= 0 && InfoBatchFinalFullDataFraction < 1, nameof(InfoBatchFinalFullDataFraction), InfoBatchFinalFullDataFraction, "must be in [0, 1)");
        Check(SelectiveBackpropBeta > 0, nameof(SelectiveBackpropBeta), SelectiveBackpropBeta, "must be positive");
        Check(SelectiveBackpropFloor > 0 && SelectiveBackpropFloor <= 1, nameof(SelectiveBackpropFloor), SelectiveBackpropFloor,
            "must be in (0, 1]; 0 could backpropagate zero rows");
        Check(SelectiveBackpropHistorySize >= 1, nameof(SelectiveBackpropHistorySize), SelectiveBackpropHistorySize, "must be at least 1");
        Check(LossSamplingKeepFraction > 0 && LossSamplingKeepFraction <= 1, nameof(LossSamplingKeepFraction), LossSamplingKeepFraction, "must be in (0, 1]");
        Check(LossSamplingFloor > 0 && LossSamplingFloor <= 1, nameof(LossSamplingFloor), LossSamplingFloor,
            "must be in (0, 1]; 0 would give rows with a tiny loss an unbounded weight");
        Check(PrefetchBlockSize >= 1, nameof(PrefetchBlockSize), PrefetchBlockSize, "must be at least 1");
        Check(PrefetchBlocks >= 1, nameof(PrefetchBlocks), PrefetchBlocks, "must be at least 1");
        Check(FeedbackQueueCapacity >= 1, nameof(FeedbackQueueCapacity), FeedbackQueueCapacity, "must be at least 1");
        if (Method == SelectionMethod.AutoAssist && AssistantFactory is null)
        {
            if ((SourceColumnName is null) != (TargetColumnName is null))
                throw new ArgumentException("AutoAssistFilterOptions: set both SourceColumnName and TargetColumnName for the text-pair Assistant, or neither.");
            if (SourceColumnName is null && string.IsNullOrEmpty(FeatureColumnName))
                throw new ArgumentException("AutoAssistFilterOptions.FeatureColumnName must name the Assistant's feature column.");
        }
    }

    /// <summary>The Assistant for a new session, or null for methods that need none.</summary>
    internal IAssistant? CreateAssistant()
    {
        if (Method != SelectionMethod.AutoAssist)
            return null;
        if (AssistantFactory is not null)
            return AssistantFactory() ?? throw new InvalidOperationException("AutoAssistFilterOptions.AssistantFactory returned null.");
        if (SourceColumnName is not null && TargetColumnName is not null)
            return new TextPairAssistant(SourceColumnName, TargetColumnName, AssistantLearningRate ?? 0.5f, AssistantL2 ?? 0.1f);
        return new DenseAssistant(FeatureColumnName, LabelColumnName, AssistantLearningRate ?? 0.01f, AssistantL2 ?? 1e-3f);
    }

    internal SelectionPolicy CreatePolicy(LossHistory losses, IAssistant? assistant) => Method switch
    {
        SelectionMethod.Uniform => new UniformPolicy(losses),
        SelectionMethod.AutoAssist => new AutoAssistPolicy(losses, assistant!, this),
        SelectionMethod.InfoBatch => new InfoBatchPolicy(losses, InfoBatchPruneRatio, InfoBatchFinalFullDataFraction),
        SelectionMethod.SelectiveBackprop => new SelectiveBackpropPolicy(losses, SelectiveBackpropBeta, SelectiveBackpropFloor, SelectiveBackpropHistorySize),
        SelectionMethod.LossSampling => new LossSamplingPolicy(losses, LossSamplingKeepFraction, LossSamplingFloor),
        _ => throw new ArgumentOutOfRangeException(nameof(Method), Method, "Unknown selection method."),
    };

    internal AutoAssistFilterOptions Clone() => (AutoAssistFilterOptions)MemberwiseClone();
}
