namespace Microsoft.ML.AutoAssist;

/// <summary>How a group's samples are merged into one forward pass (none adds parameters).</summary>
public enum GroupTestingDesign
{
    /// <summary>Average the group's images, then run the whole network once.</summary>
    PixelMerge,

    /// <summary>Run the early layers on each sample, take the element-wise max across the group, then run the rest once.</summary>
    FeatureMerge,

    /// <summary>Max-merge in stages: sub-groups of up to four after the early layers, then the sub-groups after the middle stage.</summary>
    TreeMerge,
}

/// <summary>How the groups' results decide each row.</summary>
public enum GroupTestingAlgorithm
{
    /// <summary>Test each group; retest every member of a positive group on its own.</summary>
    TwoRound,

    /// <summary>Test each group; split a positive group into halves and test them, down to single rows.</summary>
    MultiRound,

    /// <summary>Put every row in two random groups, test them all at once; a row is positive if both its groups are.</summary>
    OneRound,
}
