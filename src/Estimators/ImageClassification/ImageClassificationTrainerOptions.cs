
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
        Check(ImageWidth is null or >= 1, nameof(ImageWidth), ImageWidth, "must be at least 1");
    }
}
