namespace AutoAssist.Harness.Reporting;

/// <summary>
/// The benchmark's result as written to summary.json. The first seven properties are the fixed
/// shape (task, dataset, target, command, date, machine, methods); the rest add context.
/// </summary>
public sealed record BenchmarkSummary
{
    /// <summary>Task (image).</summary>
    public required string Task { get; init; }

    /// <summary>Data set (fashion-mnist).</summary>
    public required string Dataset { get; init; }

    /// <summary>The metric every method is timed to reach (null before a uniform run has finished).</summary>
    public required double? Target { get; init; }

    /// <summary>The command line that produced the result.</summary>
    public required string Command { get; init; }

    /// <summary>When the benchmark ran (ISO 8601, UTC).</summary>
    public required string Date { get; init; }

    /// <summary>CPU model, cores, OS.</summary>
    public required string Machine { get; init; }

    /// <summary>One entry per method, in run order.</summary>
    public required IReadOnlyList<MethodSummary> Methods { get; init; }

    /// <summary>The model (resnet20).</summary>
    public required string Model { get; init; }

    /// <summary>The metric's name (accuracy).</summary>
    public required string Metric { get; init; }

    /// <summary>How the target was set ("given" or "uniform mean final metric" with the margin).</summary>
    public required string TargetSource { get; init; }

    /// <summary>How the ratios are defined, in words, so the file explains itself.</summary>
    public string RatioDefinition { get; init; } =
        "per seed: the method's time (or rows backpropagated) to first reach the target, linearly interpolated between " +
        "measurements, divided by uniform's mean over its seeds that reached it; mean/min/max over the seeds that reached it";

    /// <summary>The run's settings (epochs, rows, batch size, learning rate, ...).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
}

/// <summary>One method's results over its seeds.</summary>
public sealed record MethodSummary
{
    /// <summary>The method's name.</summary>
    public required string Method { get; init; }

    /// <summary>Seeds that ran.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>The last measured metric.</summary>
    public required Spread? FinalMetric { get; init; }

    /// <summary>Training time to the target / uniform's; null when no seed reached the target.</summary>
    public required Spread? TimeToTargetRatio { get; init; }

    /// <summary>Rows backpropagated to the target / uniform's; null when no seed reached the target.</summary>
    public required Spread? ComputeToTargetRatio { get; init; }

    /// <summary>Seeds whose run reached the target.</summary>
    public required int SeedsReachingTarget { get; init; }

    /// <summary>Training seconds to the target.</summary>
    public Spread? TimeToTargetSeconds { get; init; }

    /// <summary>Rows backpropagated to the target.</summary>
    public Spread? ComputeToTargetRows { get; init; }

    /// <summary>Whole-run training seconds (evaluation excluded).</summary>
    public Spread? TrainingSeconds { get; init; }

    /// <summary>Whole-run evaluation seconds (reported apart).</summary>
    public Spread? EvaluationSeconds { get; init; }

    /// <summary>Whole-run rows forwarded.</summary>
    public Spread? RowsForwarded { get; init; }

    /// <summary>Whole-run rows backpropagated.</summary>
    public Spread? RowsBackpropagated { get; init; }

    /// <summary>Whole-run rows backpropagated / training rows.</summary>
    public Spread? EquivalentEpochs { get; init; }

    /// <summary>
    /// autoassist-keepall only: its whole-run training time / uniform's of the same seed (the
    /// machinery's cost when it drops nothing); null for other methods or without uniform.
    /// </summary>
    public Spread? OverheadRatio { get; init; }

    /// <summary>The filter settings the method changed from the defaults.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Each seed's numbers.</summary>
    public required IReadOnlyList<SeedSummary> PerSeed { get; init; }
}

/// <summary>One run's numbers.</summary>
public sealed record SeedSummary
{
    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>The last measured metric.</summary>
    public required double? FinalMetric { get; init; }

    /// <summary>Training seconds to first reach the target; null if never.</summary>
    public required double? TimeToTargetSeconds { get; init; }

    /// <summary>Rows backpropagated to first reach the target; null if never.</summary>
    public required double? ComputeToTargetRows { get; init; }

    /// <summary><see cref="TimeToTargetSeconds"/> / uniform's mean; null if either is missing.</summary>
    public required double? TimeToTargetRatio { get; init; }

    /// <summary><see cref="ComputeToTargetRows"/> / uniform's mean; null if either is missing.</summary>
    public required double? ComputeToTargetRatio { get; init; }

    /// <summary>Training seconds (evaluation excluded).</summary>
    public required double TrainingSeconds { get; init; }

    /// <summary>Evaluation seconds.</summary>
    public required double EvaluationSeconds { get; init; }

    /// <summary>Rows forwarded.</summary>
    public required long RowsForwarded { get; init; }

    /// <summary>Rows backpropagated.</summary>
    public required long RowsBackpropagated { get; init; }

    /// <summary>Rows backpropagated / training rows.</summary>
    public required double? EquivalentEpochs { get; init; }

    /// <summary>Optimizer steps.</summary>
    public required long Steps { get; init; }

    /// <summary>Passes over the data.</summary>
    public required int Epochs { get; init; }

    /// <summary>Training time / uniform's for the same seed (autoassist-keepall only).</summary>
    public double? OverheadRatio { get; init; }

    /// <summary>Share of rows kept, per epoch.</summary>
    public required IReadOnlyList<double?> KeptFractionPerEpoch { get; init; }

    /// <summary>The selection's statistics per epoch (threshold, Assistant accuracy and AUC, ...).</summary>
    public required IReadOnlyList<EpochSummary> SelectionEpochs { get; init; }
}

/// <summary>One epoch's selection statistics (null where the method has no such statistic).</summary>
public sealed record EpochSummary(
    int Epoch,
    long RowsConsidered,
    long RowsKept,
    double? KeptFraction,
    double? Threshold,
    double? AssistantAccuracy,
    double? AssistantAuc,
    double? AssistantConfidence,
    double? BaseKeepProbability,
    long RowsFeedbackDropped);
