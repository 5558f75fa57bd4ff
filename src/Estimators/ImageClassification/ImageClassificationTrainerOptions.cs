
namespace Microsoft.ML.AutoAssist;

/// <summary>Options of the ResNet image-classification trainer.</summary>
public sealed class ImageClassificationTrainerOptions : BossTrainerOptions
{
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

    internal override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(FeatureColumnName))
            throw new ArgumentOutOfRangeException(nameof(FeatureColumnName), FeatureColumnName, "FeatureColumnName must name the image column.");
        if (WidthMultiplier < 1)
            throw new ArgumentOutOfRangeException(nameof(WidthMultiplier), WidthMultiplier, "WidthMultiplier must be at least 1.");
        if (AugmentationPadding < 0)
            throw new ArgumentOutOfRangeException(nameof(AugmentationPadding), AugmentationPadding, "AugmentationPadding must be zero or positive.");
        foreach (var (name, value) in new[] { (nameof(ImageChannels), ImageChannels), (nameof(ImageHeight), ImageHeight), (nameof(ImageWidth), ImageWidth) })
        {
            if (value is < 1)
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
        }
    }
}
