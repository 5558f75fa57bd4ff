
namespace Microsoft.ML.AutoAssist;

/// <summary>Options of the ResNet image-classification trainer.</summary>
public sealed class ImageClassificationTrainerOptions : BossTrainerOptions
{
    /// <summary>Label column (a key).</summary>
    public string LabelColumnName = "Label";

    /// <summary>Known-size vector of Single column holding each image as (channels, height, width), row-major.</summary>
    public string FeatureColumnName = "Features";

    /// <summary>Image channels; null: from the feature column's dimensions (as ExtractPixels and the Fashion-MNIST reader set them).</summary>
    public int? ImageChannels;

    /// <summary>Image height; null: from the feature column's dimensions.</summary>
    public int? ImageHeight;

    /// <summary>Image width; null: from the feature column's dimensions.</summary>
    public int? ImageWidth;

    /// <summary>The network.</summary>
    public ResNetArchitecture Architecture = ResNetArchitecture.ResNet20;

    /// <summary>Channel width multiplier (1 = the paper's widths).</summary>
    public int WidthMultiplier = 1;

    /// <summary>Random-crop padding in pixels (0 = off, the default; CIFAR uses 4).</summary>
    public int AugmentationPadding;

    /// <summary>Random horizontal flips (off by default: wrong for digits and text).</summary>
    public bool HorizontalFlip;

    /// <summary>Backpropagation (the default) or one of the local-learning modes (see <see cref="AutoAssist.TrainingMode"/>).</summary>
    public TrainingMode TrainingMode = TrainingMode.Backprop;

    /// <summary>
    /// The number of blocks K in <see cref="TrainingMode.Chunked"/> and <see cref="TrainingMode.Overlapping"/>
    /// mode, at most the network's residual blocks (3 for ResNet8, 9 for ResNet20). Greedy mode uses one block
    /// per residual block; backprop ignores it.
    /// </summary>
    public int Blocks = 2;

    /// <summary>
    /// Local-learning modes: run each block on its own worker thread, as a pipeline across batches
    /// (block k on batch t while block k+1 is on batch t − 1). A block hands its detached output to the
    /// next block as soon as its forward pass is done, then does its backward pass and update and takes
    /// the next batch. The weights are the same as with the blocks run one after another; the
    /// selection hears a batch's losses up to K − 1 steps late (every loss before an epoch ends).
    /// Not for <see cref="TrainingMode.Overlapping"/>, whose blocks wait for the next block's gradient.
    /// </summary>
    public bool Pipelined;

    /// <summary>Called by each local-learning block (its index) before its update: a test hook for failing workers.</summary>
    internal Action<int>? BeforeBlockUpdate;

    /// <summary>A copy the trainer keeps (see <see cref="BossTrainerOptions.Clone"/>).</summary>
    internal new ImageClassificationTrainerOptions Clone() => (ImageClassificationTrainerOptions)base.Clone();

    internal override IEnumerable<KeyValuePair<string, object?>> TrainingSettings() =>
    [
        .. base.TrainingSettings(),
        new(nameof(LabelColumnName), LabelColumnName),
        new(nameof(FeatureColumnName), FeatureColumnName),
        new(nameof(ImageChannels), ImageChannels),
        new(nameof(ImageHeight), ImageHeight),
        new(nameof(ImageWidth), ImageWidth),
        new(nameof(Architecture), Architecture),
        new(nameof(WidthMultiplier), WidthMultiplier),
        new(nameof(AugmentationPadding), AugmentationPadding),
        new(nameof(HorizontalFlip), HorizontalFlip),
        new(nameof(TrainingMode), TrainingMode),
        new(nameof(Blocks), Blocks),
        // Pipelined is left out: it changes where the blocks run, not the weights, so a run may resume either way.
    ];

    internal override void Validate()
    {
        base.Validate();
        void Check(bool ok, string name, object? value, string rule) => OptionCheck.That(ok, nameof(ImageClassificationTrainerOptions), name, value, rule);

        Check(!string.IsNullOrEmpty(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "must name the label column");
        Check(!string.IsNullOrEmpty(FeatureColumnName), nameof(FeatureColumnName), FeatureColumnName, "must name the image column");
        Check(Enum.IsDefined(Architecture), nameof(Architecture), Architecture, "is not a known architecture");
        Check(WidthMultiplier >= 1, nameof(WidthMultiplier), WidthMultiplier, "must be at least 1");
        Check(AugmentationPadding >= 0, nameof(AugmentationPadding), AugmentationPadding, "must be zero or positive");
        Check(ImageChannels is null or >= 1, nameof(ImageChannels), ImageChannels, "must be at least 1");
        Check(ImageHeight is null or >= 1, nameof(ImageHeight), ImageHeight, "must be at least 1");
        Check(Enum.IsDefined(TrainingMode), nameof(TrainingMode), TrainingMode, "is not a known training mode");
        Check(Blocks >= 1, nameof(Blocks), Blocks, "must be at least 1");
        Check(!(Pipelined && TrainingMode == TrainingMode.Overlapping), nameof(Pipelined), Pipelined,
            "is not supported in Overlapping mode (a block waits for the next block's gradient); use Chunked");
        Check(ImageWidth is null or >= 1, nameof(ImageWidth), ImageWidth, "must be at least 1");
    }
}
