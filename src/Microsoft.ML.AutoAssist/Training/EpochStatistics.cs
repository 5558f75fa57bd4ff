
namespace Microsoft.ML.AutoAssist;

/// <summary>What happened in one training epoch (one pass of the selection over the data).</summary>
public sealed class EpochStatistics
{
    /// <summary>0-based epoch index.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The selection method.</summary>
    public SelectionMethod Method { get; internal set; }

    /// <summary>Rows the selection looked at (the whole data set for a completed epoch).</summary>
    public long RowsConsidered { get; internal set; }

    /// <summary>Rows handed to the Boss.</summary>
    public long RowsKept { get; internal set; }

    /// <summary><see cref="RowsKept"/> / <see cref="RowsConsidered"/>.</summary>
    public double KeptFraction => RowsConsidered == 0 ? double.NaN : (double)RowsKept / RowsConsidered;

    /// <summary>Loss reports received from the Boss during the epoch (rows).</summary>
    public long RowsReported { get; internal set; }

    /// <summary>Rows whose feedback the Assistant's queue dropped because it was full (the Boss never waits).</summary>
    public long RowsFeedbackDropped { get; internal set; }

    /// <summary>AutoAssist: the loss threshold that separates hard from easy rows (NaN otherwise).</summary>
    public double Threshold { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: the Assistant's accuracy on the feedback of this epoch, scored before it learned from it.</summary>
    public double AssistantAccuracy { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: ROC AUC of the Assistant's scores over its recent feedback window.</summary>
    public double AssistantAuc { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: EMA of the Assistant's batch accuracy (drives the adaptive floor).</summary>
    public double AssistantConfidence { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: the keep floor used in this epoch.</summary>
    public double BaseKeepProbability { get; internal set; } = double.NaN;

    /// <inheritdoc/>
    public override string ToString()
        => $"epoch {Epoch} {Method}: kept {RowsKept}/{RowsConsidered} ({KeptFraction:P1}), threshold {Threshold:G4}, " +
           $"assistant accuracy {AssistantAccuracy:P1}, AUC {AssistantAuc:F3}";
}
