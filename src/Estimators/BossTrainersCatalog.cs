using Microsoft.ML.AutoAssist;

namespace Microsoft.ML;

/// <summary>Catalog entry points of the TorchSharp Boss trainers.</summary>
public static class BossTrainersCatalog
{
    /// <summary>
    /// A TorchSharp ResNet image classifier. Put <c>AutoAssistFilter</c> just before it to train on
    /// the rows the Boss still finds hard.
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The label column, a key.</param>
    /// <param name="featureColumnName">The images: a known-size vector of Single with dimensions (C, H, W) or (H, W).</param>
    /// <param name="architecture">The network.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Rows per step.</param>
    public static ImageClassificationTrainer ResNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        ResNetArchitecture architecture = ResNetArchitecture.ResNet20, int epochs = 10, int batchSize = 128)
        => ResNet(catalog, new ImageClassificationTrainerOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Architecture = architecture,
            Epochs = epochs,
            BatchSize = batchSize,
        });

    /// <summary>A TorchSharp ResNet image classifier with full options.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static ImageClassificationTrainer ResNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ImageClassificationTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageClassificationTrainer(CatalogEnvironment.Get(catalog), options);
    }

    /// <summary>Translation: the Transformer trainer and BLEU/chrF evaluation (ML.NET has no translation catalog of its own).</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    public static TranslationCatalog Translation(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new TranslationCatalog(mlContext);
    }
}
