using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>Rows kept and considered per class in one epoch (index = class).</summary>
/// <param name="Kept">Rows handed to the Boss, per class.</param>
/// <param name="Considered">Rows the selection looked at, per class.</param>
public sealed record ClassCounts(IReadOnlyList<long> Kept, IReadOnlyList<long> Considered)
{
    /// <summary>
    /// The per-class counts of one epoch of the trainer's report; null when the run had no key label
    /// (<see cref="EpochStatistics.KeptByClass"/> is null then). The store, epochs.csv and the
    /// frontier report carry them.
    /// </summary>
    public static ClassCounts? From(EpochStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return statistics is { KeptByClass: { } kept, ConsideredByClass: { } considered } ? new ClassCounts(kept, considered) : null;
    }
}
