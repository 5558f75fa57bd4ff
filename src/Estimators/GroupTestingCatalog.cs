using Microsoft.ML.AutoAssist;

namespace Microsoft.ML;

/// <summary>Catalog entry points of neural group testing (screening many rows in one forward pass).</summary>
public static class GroupTestingCatalog
{
    /// <summary>
    /// A binary ResNet trained on groups ("is any member positive?"); its model screens rows in
    /// groups of <paramref name="groupSize"/> consecutive rows. Worth it when positives are rare and
    /// inference cost dominates.
    /// </summary>
    /// <param name="catalog">The binary-classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column, Boolean.</param>
    /// <param name="featureColumnName">The images: a known-size vector of Single with dimensions (C, H, W) or (H, W).</param>
    /// <param name="design">How a group is merged into one forward pass.</param>
    /// <param name="groupSize">Rows per group, 1 to 16.</param>
    /// <param name="algorithm">How the returned model decides each row.</param>
    /// <param name="epochs">Training epochs.</param>
    public static GroupTestingTrainer GroupTestingResNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        GroupTestingDesign design = GroupTestingDesign.TreeMerge, int groupSize = 16,
        GroupTestingAlgorithm algorithm = GroupTestingAlgorithm.TwoRound, int epochs = 5)
        => GroupTestingResNet(catalog, new GroupTestingTrainerOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Design = design,
            GroupSize = groupSize,
            Algorithm = algorithm,
            Epochs = epochs,
        });

    /// <summary>The group-testing ResNet trainer with full options.</summary>
    /// <param name="catalog">The binary-classification trainers catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static GroupTestingTrainer GroupTestingResNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, GroupTestingTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GroupTestingTrainer(CatalogEnvironment.Get(catalog), options);
    }

    /// <summary>
    /// A trained group-testing model with other inference settings: the screening transformer for
    /// an algorithm and group size (shares the network with <paramref name="model"/>, and keeps its
    /// seed and group threshold).
    /// </summary>
    /// <param name="catalog">The binary-classification catalog.</param>
    /// <param name="model">A trained (or loaded) group-testing model.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="groupSize">Rows per group, 1 to 16.</param>
    public static GroupTestingTransformer GroupTesting(this BinaryClassificationCatalog catalog, GroupTestingTransformer model,
        GroupTestingAlgorithm algorithm = GroupTestingAlgorithm.TwoRound, int groupSize = 16)
        => GroupTesting(catalog, model, new GroupTestingInferenceOptions
        {
            Algorithm = algorithm,
            GroupSize = groupSize,
            Seed = model?.Seed ?? 0,
            GroupThreshold = model?.GroupThreshold ?? 0,
        });

    /// <summary>A trained group-testing model with other inference settings, full options.</summary>
    /// <param name="catalog">The binary-classification catalog.</param>
    /// <param name="model">A trained (or loaded) group-testing model.</param>
    /// <param name="options">The inference settings.</param>
    public static GroupTestingTransformer GroupTesting(this BinaryClassificationCatalog catalog, GroupTestingTransformer model, GroupTestingInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        return model.WithInference(options);
    }
}
