namespace Microsoft.ML.AutoAssist;

/// <summary>Options of the group-testing ResNet trainer (training, and the inference settings of the model it returns).</summary>
public sealed class GroupTestingTrainerOptions
{
    /// <summary>Label column: Boolean, true for the rare positives.</summary>
    public string LabelColumnName = "Label";

    /// <summary>Known-size vector of Single column holding each image as (channels, height, width), or (height, width).</summary>
    public string FeatureColumnName = "Features";

    /// <summary>The ResNet the network is built on.</summary>
    public ResNetArchitecture Architecture = ResNetArchitecture.ResNet8;

    /// <summary>Channel width multiplier (1 = the paper's widths).</summary>
    public int WidthMultiplier = 1;

    /// <summary>How a group is merged into one forward pass.</summary>
    public GroupTestingDesign Design = GroupTestingDesign.TreeMerge;

    /// <summary>Rows per group (M), 1 to 16, in training and in the returned model's inference.</summary>
    public int GroupSize = 16;

    /// <summary>The returned model's algorithm.</summary>
    public GroupTestingAlgorithm Algorithm = GroupTestingAlgorithm.TwoRound;

    /// <summary>Epochs: each draws about as many group members as there are training rows.</summary>
    public int Epochs = 5;

    /// <summary>Groups per optimizer step.</summary>
    public int GroupsPerBatch = 8;

    /// <summary>Adam's learning rate.</summary>
    public float LearningRate = 1e-3f;

    /// <summary>Share of training groups that hold at least one positive (the rest hold none), so rare positives are still seen.</summary>
    public float PositiveGroupShare = 0.5f;

    /// <summary>Share of the positive groups that hold exactly one planted positive (the hard case at low prevalence); the others hold 1 to M.</summary>
    public float SinglePositiveShare = 0.5f;

    /// <summary>Seeds the weights and the groups; null: from the ML.NET context.</summary>
    public int? Seed;

    internal GroupTestingTrainerOptions Clone() => (GroupTestingTrainerOptions)MemberwiseClone();

    internal void Validate()
    {
        const string owner = nameof(GroupTestingTrainerOptions);
        void Check(bool ok, string name, object? value, string rule) => OptionCheck.That(ok, owner, name, value, rule);

        Check(!string.IsNullOrEmpty(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "must name the label column");
        Check(!string.IsNullOrEmpty(FeatureColumnName), nameof(FeatureColumnName), FeatureColumnName, "must name the image column");
        Check(Enum.IsDefined(Architecture), nameof(Architecture), Architecture, "is not a known architecture");
        Check(WidthMultiplier >= 1, nameof(WidthMultiplier), WidthMultiplier, "must be at least 1");
        Check(Enum.IsDefined(Design), nameof(Design), Design, "is not a known design (PixelMerge, FeatureMerge, TreeMerge)");
        GroupTestingInferenceOptions.Validate(owner, Algorithm, GroupSize);
        Check(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        Check(GroupsPerBatch >= 1, nameof(GroupsPerBatch), GroupsPerBatch, "must be at least 1");
        Check(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be a positive number");
        Check(PositiveGroupShare is > 0 and < 1, nameof(PositiveGroupShare), PositiveGroupShare, "must be between 0 and 1, both excluded");
        Check(SinglePositiveShare is >= 0 and <= 1, nameof(SinglePositiveShare), SinglePositiveShare, "must be between 0 and 1");
    }
}
