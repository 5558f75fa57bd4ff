namespace Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;

/// <summary>Where <see cref="CorpusSplitter"/> puts a pair.</summary>
public enum SplitName
{
    /// <summary>The training set.</summary>
    Train,

    /// <summary>The development (validation) set.</summary>
    Dev,

    /// <summary>The test set.</summary>
    Test,

    /// <summary>
    /// Left out: a non-documentation pair whose English hashes into dev or test. It may not go to
    /// dev/test (only documentation does) nor to train (its English could be a dev/test sentence).
    /// </summary>
    Dropped,
}
