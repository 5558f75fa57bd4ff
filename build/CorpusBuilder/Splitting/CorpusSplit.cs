using Microsoft.ML.AutoAssist.CorpusBuilder.Building;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;

/// <summary>The train/dev/test sets of a corpus.</summary>
/// <param name="Train">The training pairs.</param>
/// <param name="Dev">The development pairs (documentation only).</param>
/// <param name="Test">The test pairs (documentation only).</param>
/// <param name="Dropped">Non-documentation pairs left out so their English cannot leak into dev/test.</param>
public sealed record CorpusSplit(IReadOnlyList<CorpusPair> Train, IReadOnlyList<CorpusPair> Dev, IReadOnlyList<CorpusPair> Test, IReadOnlyList<CorpusPair> Dropped)
{
    /// <summary>The pairs of one set.</summary>
    public IReadOnlyList<CorpusPair> this[SplitName name] => name switch
    {
        SplitName.Train => Train,
        SplitName.Dev => Dev,
        SplitName.Test => Test,
        SplitName.Dropped => Dropped,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
