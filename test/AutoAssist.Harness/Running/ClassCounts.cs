using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>Rows kept and considered per class in one epoch (index = class).</summary>
/// <param name="Kept">Rows handed to the Boss, per class.</param>
/// <param name="Considered">Rows the selection looked at, per class.</param>
public sealed record ClassCounts(IReadOnlyList<long> Kept, IReadOnlyList<long> Considered)
{
    /// <summary>
    /// The per-class counts of one epoch of the trainer's report; null while
    /// <see cref="EpochStatistics"/> does not give them. The one place to hook them up: once it has
    /// KeptByClass and ConsideredByClass, return <c>new ClassCounts(statistics.KeptByClass, statistics.ConsideredByClass)</c>
    /// (or null when they are null); the store, epochs.csv and the frontier report already carry them.
    /// </summary>
    public static ClassCounts? From(EpochStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return null;
    }
}
