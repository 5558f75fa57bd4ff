namespace Microsoft.ML.AutoAssist;

/// <summary>Options of <c>mlContext.Transforms.AutoAssistFilter</c>.</summary>
public sealed class AutoAssistFilterOptions
{
    /// <summary>
    /// How rows are selected, with the method's own settings: <see cref="AutoAssistOptions"/> by
    /// default; <see cref="UniformOptions"/>, <see cref="InfoBatchOptions"/>,
    /// <see cref="SelectiveBackpropOptions"/>, <see cref="LossSamplingOptions"/> and the control arm
    /// <see cref="RandomSubsetOptions"/> for fair comparisons; or a method of your own (see <see cref="SelectionMethodOptions"/>).
    /// </summary>
    public SelectionMethodOptions Selection = new AutoAssistOptions();

    /// <summary>Known-size vector of Single column the dense Assistant reads (for images, the pixels).</summary>
    public string FeatureColumnName = "Features";

    /// <summary>
    /// Optional key column whose value gets a learned bias in the dense Assistant (the class), and by
    /// which <see cref="AutoAssistOptions.MinClassKeepShare"/> stratifies. Null: none. Measured: on
    /// Fashion-MNIST the Assistant's AUC (about 0.81) beats that of a per-class prior alone (about
    /// 0.75), so the pixels carry more than the class.
    /// </summary>
    public string? LabelColumnName = "Label";

    /// <summary>Source-sentence text column. With <see cref="TargetColumnName"/> it selects the text-pair Assistant.</summary>
    public string? SourceColumnName;

    /// <summary>Target-sentence text column (see <see cref="SourceColumnName"/>).</summary>
    public string? TargetColumnName;

    /// <summary>A custom Assistant, created anew for every training session. Overrides the built-in ones.</summary>
    public Func<IAssistant>? AssistantFactory;

    /// <summary>
    /// Step size of the Assistant's SGD per feedback batch. Null: 0.01 for the dense Assistant, 0.5 for
    /// the text one. Measured (docs/benchmarks.md, the settings study at equal passes): 0.05 for the
    /// dense Assistant changed the Boss's final accuracy little.
    /// </summary>
    public float? AssistantLearningRate;

    /// <summary>L2 weight of the Assistant. Null: 1e-3 for the dense Assistant, 0.1 for the text one.</summary>
    public float? AssistantL2;

    /// <summary>Seed of the keep decisions and the Assistant's initialisation. Null: drawn from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>Feedback batches the Assistant's queue holds; when full, the oldest is dropped so the Boss never waits.</summary>
    public int FeedbackQueueCapacity = 4096;

    internal void Validate()
    {
        if (Selection is null)
            throw new ArgumentNullException(nameof(Selection), "AutoAssistFilterOptions.Selection must be set (for example new AutoAssistOptions()).");
        Selection.Validate();
        OptionCheck.That(FeedbackQueueCapacity >= 1, nameof(AutoAssistFilterOptions), nameof(FeedbackQueueCapacity), FeedbackQueueCapacity, "must be at least 1");
        if (Selection.UsesAssistant && AssistantFactory is null)
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
        if (!Selection.UsesAssistant)
            return null;
        if (AssistantFactory is not null)
            return AssistantFactory() ?? throw new InvalidOperationException("AutoAssistFilterOptions.AssistantFactory returned null.");
        if (SourceColumnName is not null && TargetColumnName is not null)
            return new TextPairAssistant(SourceColumnName, TargetColumnName, AssistantLearningRate ?? 0.5f, AssistantL2 ?? 0.1f);
        return new DenseAssistant(FeatureColumnName, LabelColumnName, AssistantLearningRate ?? 0.01f, AssistantL2 ?? 1e-3f);
    }

    /// <summary>A copy, the selection method's options included.</summary>
    internal AutoAssistFilterOptions Clone()
    {
        var copy = (AutoAssistFilterOptions)MemberwiseClone();
        copy.Selection = Selection?.Clone()!;
        return copy;
    }
}
