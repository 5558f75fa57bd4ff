using System.Globalization;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A progress report of a Boss trainer: sent every <see cref="BossTrainerOptions.ProgressIntervalSteps"/>
/// steps, after each validation measurement, and exactly once at the end of each epoch.
/// </summary>
public sealed record TrainingProgress
{
    /// <summary>0-based epoch (pass of the selection over the data) in progress, or just completed when <see cref="EndOfEpoch"/>.</summary>
    public int Epoch { get; init; }

    /// <summary>Optimizer steps done.</summary>
    public long Step { get; init; }

    /// <summary>True for the report at the end of an epoch (one per epoch).</summary>
    public bool EndOfEpoch { get; init; }

    /// <summary>Training progress in [0, 1]: the share of the step budget or of the epochs done (the learning-rate schedule's position).</summary>
    public double Progress { get; init; }

    /// <summary>Mean training loss of the recent batches (weighted as trained).</summary>
    public double Loss { get; init; }

    /// <summary>Current learning rate.</summary>
    public double LearningRate { get; init; }

    /// <summary>Share of the rows the selection kept in the last completed epoch (NaN before one completes).</summary>
    public double KeptFraction { get; init; }

    /// <summary>Rows through the Boss's forward pass so far.</summary>
    public long RowsForwarded { get; init; }

    /// <summary>Rows backpropagated so far (the Boss's compute, in rows).</summary>
    public long RowsBackpropagated { get; init; }

    /// <summary>Rows backpropagated per second of training time.</summary>
    public double RowsPerSecond { get; init; }

    /// <summary>Training time so far, evaluation time excluded.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Training time still to go at the pace so far (from <see cref="Progress"/>); null before any progress.</summary>
    public TimeSpan? EstimatedTimeRemaining { get; init; }

    /// <summary>Time spent evaluating so far (not in <see cref="Elapsed"/>).</summary>
    public TimeSpan EvaluationTime { get; init; }

    /// <summary>The last validation metric (accuracy for classification), NaN if none was computed.</summary>
    public double ValidationMetric { get; init; } = double.NaN;

    /// <inheritdoc/>
    public override string ToString()
    {
        // Before the first step there is no loss, and before the first epoch's statistics no kept share: say so instead of "NaN".
        string loss = double.IsNaN(Loss) ? "loss: n/a" : Invariant($"loss {Loss:F4}");
        string kept = double.IsNaN(KeptFraction) ? "kept: n/a" : Invariant($"kept {KeptFraction:P0}");
        var text = Invariant($"epoch {Epoch} step {Step} ({Progress:P0}): {loss}, lr {LearningRate:G3}, {kept}, {RowsPerSecond:F0} rows/s, {Elapsed.TotalSeconds:F1} s");
        if (EstimatedTimeRemaining is { } remaining)
            text += Invariant($", ETA {remaining.TotalSeconds:F0} s");
        if (!double.IsNaN(ValidationMetric))
            text += Invariant($", validation {ValidationMetric:P2}");
        return text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
