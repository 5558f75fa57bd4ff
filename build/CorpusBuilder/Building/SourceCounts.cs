namespace Microsoft.ML.AutoAssist.CorpusBuilder.Building;

/// <summary>How many pairs a source yielded (raw) and how many survived cleaning and de-duplication (kept).</summary>
public sealed class SourceCounts
{
    /// <summary>Pairs the source yielded before cleaning.</summary>
    public int Raw { get; internal set; }

    /// <summary>Pairs kept (after cleaning, sentence splitting and de-duplication).</summary>
    public int Kept { get; internal set; }
}
