namespace Microsoft.ML.AutoAssist;

/// <summary>A progress report of a Boss trainer, sent after each epoch and each evaluation.</summary>
public sealed record TrainingProgress
{
    /// <summary>0-based epoch (pass of the selection over the data) in progress.</summary>
    public int Epoch { get; init; }

    /// <summary>Optimizer steps done.</summary>
    public long Step { get; init; }

    /// <summary>Training progress in [0, 1] (the learning-rate schedule's position).</summary>
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

    /// <summary>Time spent evaluating so far (not in <see cref="Elapsed"/>).</summary>
    public TimeSpan EvaluationTime { get; init; }

    /// <summary>The last validation metric (accuracy for classification), NaN if none was computed.</summary>
    public double ValidationMetric { get; init; } = double.NaN;

    /// <inheritdoc/>
    public override string ToString()
        => $"epoch {Epoch} step {Step} ({Progress:P0}): loss {Loss:F4}, lr {LearningRate:G3}, kept {KeptFraction:P0}, " +
           $"{RowsPerSecond:F0} rows/s, {Elapsed.TotalSeconds:F1} s" + (double.IsNaN(ValidationMetric) ? "" : $", validation {ValidationMetric:P2}");
}
