namespace Microsoft.ML.AutoAssist;

/// <summary>How a trained group-testing network screens rows.</summary>
public sealed class GroupTestingInferenceOptions
{
    /// <summary>Largest group size accepted (the paper's best setting, and where its gains level off).</summary>
    public const int MaxGroupSize = 16;

    /// <summary>The algorithm.</summary>
    public GroupTestingAlgorithm Algorithm = GroupTestingAlgorithm.TwoRound;

    /// <summary>Rows per group (M), 1 to 16: consecutive rows, the last group partial. 1 tests each row on its own.</summary>
    public int GroupSize = 16;

    /// <summary>Seeds the random groups of <see cref="GroupTestingAlgorithm.OneRound"/> (the same in every batch, so results repeat).</summary>
    public int Seed;

    /// <summary>
    /// A test of two or more rows is positive when its logit is above this; 0 keeps the network's own
    /// decision. A negative value finds more of the positive groups at the price of more retests;
    /// choose it on validation data (<see cref="GroupTestingTransformer.CalibrateGroupThreshold"/>). Tests of one row always use 0.
    /// </summary>
    public float GroupThreshold;

    internal GroupTestingInferenceOptions Clone() => (GroupTestingInferenceOptions)MemberwiseClone();

    internal void Validate()
    {
        Validate(nameof(GroupTestingInferenceOptions), Algorithm, GroupSize);
        OptionCheck.That(float.IsFinite(GroupThreshold), nameof(GroupTestingInferenceOptions), nameof(GroupThreshold), GroupThreshold, "must be a finite number");
    }

    internal static void Validate(string owner, GroupTestingAlgorithm algorithm, int groupSize)
    {
        OptionCheck.That(Enum.IsDefined(algorithm), owner, "Algorithm", algorithm, "is not a known group-testing algorithm (TwoRound, MultiRound, OneRound)");
        OptionCheck.That(groupSize is >= 1 and <= MaxGroupSize, owner, "GroupSize", groupSize, $"must be between 1 and {MaxGroupSize}");
    }
}
