using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>What happened in one training epoch (one pass of the selection over the data).</summary>
public sealed class EpochStatistics
{
    /// <summary>0-based epoch index.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The selection method's name (<see cref="SelectionMethodOptions.Name"/>).</summary>
    public string Method { get; internal set; } = "";

    /// <summary>Rows the selection looked at (the whole data set for a completed epoch).</summary>
    public long RowsConsidered { get; internal set; }

    /// <summary>Rows handed to the Boss (forwarded).</summary>
    public long RowsKept { get; internal set; }

    /// <summary>
    /// Rows the Boss backpropagated: the kept rows less those <see cref="SelectiveTrainingSession.SelectForBackward(ReadOnlySpan{float}, Span{float})"/>
    /// dropped after the forward pass (Selective Backprop); the kept rows for the other methods.
    /// </summary>
    public long RowsBackpropagated { get; internal set; }

    /// <summary><see cref="RowsKept"/> / <see cref="RowsConsidered"/>: the share of rows forwarded.</summary>
    public double KeptFraction => Fraction(RowsKept);

    /// <summary><see cref="RowsBackpropagated"/> / <see cref="RowsConsidered"/>: the share of rows trained on, what the compute saving follows.</summary>
    public double BackpropagatedFraction => Fraction(RowsBackpropagated);

    /// <summary>Loss reports received from the Boss during the epoch (rows).</summary>
    public long RowsReported { get; internal set; }

    /// <summary>Rows whose feedback the Assistant's queue dropped because it was full (the Boss never waits).</summary>
    public long RowsFeedbackDropped { get; internal set; }

    /// <summary>AutoAssist: the loss threshold that separates hard from easy rows (NaN otherwise).</summary>
    public double Threshold { get; internal set; } = double.NaN;

    /// <summary>
    /// Rows of each class the selection looked at (index = the label's key − 1), when the filter's
    /// <see cref="AutoAssistFilterOptions.LabelColumnName"/> names a key column of the data; null otherwise.
    /// </summary>
    public IReadOnlyList<long>? ConsideredByClass { get; internal set; }

    /// <summary>Rows of each class handed to the Boss (see <see cref="ConsideredByClass"/>); null without a key label.</summary>
    public IReadOnlyList<long>? KeptByClass { get; internal set; }

    /// <summary>
    /// Rows of each class backpropagated (see <see cref="ConsideredByClass"/>): the kept ones less those
    /// <see cref="SelectiveTrainingSession.SelectForBackward(ReadOnlySpan{DataViewRowId}, ReadOnlySpan{float}, Span{float})"/>
    /// dropped; null without a key label, or when the trainer called it without row ids.
    /// </summary>
    public IReadOnlyList<long>? BackpropagatedByClass { get; internal set; }

    /// <summary>AutoAssist: the Assistant's accuracy on the feedback of this epoch, scored before it learned from it.</summary>
    public double AssistantAccuracy { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: ROC AUC of the Assistant's scores over its recent feedback window.</summary>
    public double AssistantAuc { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: EMA of the Assistant's batch accuracy (drives the adaptive floor).</summary>
    public double AssistantConfidence { get; internal set; } = double.NaN;

    /// <summary>
    /// AutoAssist: ROC AUC, over the same feedback window, of the class prior (each class's running
    /// rate of hard rows as every row's score): what the Assistant's AUC has to beat to show it knows
    /// more than which classes are hard. NaN without a key label.
    /// </summary>
    public double ClassPriorAuc { get; internal set; } = double.NaN;

    /// <summary>AutoAssist: the keep floor used in this epoch.</summary>
    public double BaseKeepProbability { get; internal set; } = double.NaN;

    private double Fraction(long rows) => RowsConsidered == 0 ? double.NaN : (double)rows / RowsConsidered;

    /// <inheritdoc/>
    public override string ToString()
        => $"epoch {Epoch} {Method}: forwarded {RowsKept}/{RowsConsidered} ({KeptFraction:P1}), backpropagated {RowsBackpropagated} ({BackpropagatedFraction:P1})" +
           (double.IsNaN(Threshold) ? "" : $", threshold {Threshold:G4}, assistant accuracy {AssistantAccuracy:P1}, AUC {AssistantAuc:F3}" +
            (double.IsNaN(ClassPriorAuc) ? "" : $" (class prior {ClassPriorAuc:F3})"));

    internal void Save(BinaryWriter writer)
    {
        writer.Write(Epoch);
        writer.Write(Method);
        writer.Write(RowsConsidered);
        writer.Write(RowsKept);
        writer.Write(RowsBackpropagated);
        writer.Write(RowsReported);
        writer.Write(RowsFeedbackDropped);
        writer.Write(Threshold);
        writer.Write(AssistantAccuracy);
        writer.Write(AssistantAuc);
        writer.Write(AssistantConfidence);
        writer.Write(BaseKeepProbability);
        WriteCounts(writer, ConsideredByClass);
        WriteCounts(writer, KeptByClass);
        WriteCounts(writer, BackpropagatedByClass);
        writer.Write(ClassPriorAuc);
    }

    private static void WriteCounts(BinaryWriter writer, IReadOnlyList<long>? counts)
    {
        writer.Write(counts?.Count ?? -1);
        foreach (long count in counts ?? [])
            writer.Write(count);
    }

    private static long[]? ReadCounts(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < -1)
            throw new InvalidDataException($"The saved epoch statistics give {length} classes.");
        if (length == -1)
            return null;
        var counts = new long[length];
        for (int i = 0; i < length; i++)
            counts[i] = reader.ReadInt64();
        return counts;
    }

    /// <param name="reader">What <see cref="Save"/> wrote.</param>
    /// <param name="stateVersion">The session state's version: 1 had no per-class counts, 2 no class prior AUC.</param>
    internal static EpochStatistics Load(BinaryReader reader, int stateVersion)
    {
        var statistics = ReadFixed(reader);
        if (stateVersion >= 2)
        {
            statistics.ConsideredByClass = ReadCounts(reader);
            statistics.KeptByClass = ReadCounts(reader);
            statistics.BackpropagatedByClass = ReadCounts(reader);
        }
        if (stateVersion >= 3)
            statistics.ClassPriorAuc = reader.ReadDouble();
        return statistics;
    }

    private static EpochStatistics ReadFixed(BinaryReader reader) => new()
    {
        Epoch = reader.ReadInt32(),
        Method = reader.ReadString(),
        RowsConsidered = reader.ReadInt64(),
        RowsKept = reader.ReadInt64(),
        RowsBackpropagated = reader.ReadInt64(),
        RowsReported = reader.ReadInt64(),
        RowsFeedbackDropped = reader.ReadInt64(),
        Threshold = reader.ReadDouble(),
        AssistantAccuracy = reader.ReadDouble(),
        AssistantAuc = reader.ReadDouble(),
        AssistantConfidence = reader.ReadDouble(),
        BaseKeepProbability = reader.ReadDouble(),
    };
}
