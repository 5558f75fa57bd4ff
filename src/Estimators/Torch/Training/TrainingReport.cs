
namespace Microsoft.ML.AutoAssist;

/// <summary>One validation measurement during training.</summary>
/// <param name="Elapsed">Training time when measured (evaluation time excluded).</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Epoch">Epoch in progress.</param>
/// <param name="RowsForwarded">Rows through the Boss's forward pass so far.</param>
/// <param name="RowsBackpropagated">Rows backpropagated so far.</param>
/// <param name="Metric">The validation metric (accuracy for classification).</param>
public sealed record EvaluationPoint(TimeSpan Elapsed, long Step, int Epoch, long RowsForwarded, long RowsBackpropagated, double Metric);

/// <summary>
/// Honest accounting of one training run: the work the Boss did, the time it took, the metric over
/// time and the selection's per-epoch statistics.
/// </summary>
public sealed class TrainingReport
{
    /// <summary>The selection method the run used (<see cref="SelectionMethodOptions.Name"/>; Uniform when the input was not an AutoAssist view).</summary>
    public string Method { get; init; } = "";

    /// <summary>Training rows.</summary>
    public int RowCount { get; init; }

    /// <summary>Epochs (passes of the selection over the data) completed.</summary>
    public int Epochs { get; internal set; }

    /// <summary>Optimizer steps.</summary>
    public long Steps { get; internal set; }

    /// <summary>Rows through the Boss's forward pass.</summary>
    public long RowsForwarded { get; internal set; }

    /// <summary>Rows backpropagated.</summary>
    public long RowsBackpropagated { get; internal set; }

    /// <summary>Boss compute in epochs of the full data: <see cref="RowsBackpropagated"/> / <see cref="RowCount"/> (the paper's "epoch").</summary>
    public double EquivalentEpochs => RowCount == 0 ? 0 : (double)RowsBackpropagated / RowCount;

    /// <summary>Training time, evaluation time excluded.</summary>
    public TimeSpan TrainingTime { get; internal set; }

    /// <summary>Evaluation time.</summary>
    public TimeSpan EvaluationTime { get; internal set; }

    /// <summary>Validation measurements in order.</summary>
    public List<EvaluationPoint> Evaluations { get; } = new();

    /// <summary>The selection's statistics per epoch (kept fraction, threshold, Assistant accuracy and AUC).</summary>
    public IReadOnlyList<EpochStatistics> SelectionEpochs { get; internal set; } = [];

    /// <summary>True when the run continued from a checkpoint.</summary>
    public bool Resumed { get; internal set; }

    /// <summary>
    /// What the run noticed that may make its result differ from what was asked for (e.g. a checkpoint
    /// it could not check against the data, or a filter hidden behind a transform: see
    /// <see cref="SelectiveTrainingSession.Warnings"/>), in the order noticed; also logged as MLContext warnings.
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    private readonly List<string> _warnings = new();

    internal void AddWarning(string warning) => _warnings.Add(warning);

    internal void AddWarnings(IEnumerable<string> warnings) => _warnings.AddRange(warnings);
}
