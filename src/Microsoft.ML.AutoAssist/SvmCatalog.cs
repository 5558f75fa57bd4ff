using Microsoft.ML.AutoAssist;

namespace Microsoft.ML;

/// <summary>Catalog entry points of the AutoAssist linear SVM.</summary>
public static class SvmCatalog
{
    /// <summary>
    /// A linear SVM (hinge loss, L2-regularised, with a bias feature) trained by Pegasos with AutoAssist
    /// instance shrinking: rows the model already classifies with a margin mostly skip their update.
    /// It produces ML.NET's linear binary model (Score, PredictedLabel); append
    /// <c>mlContext.BinaryClassification.Calibrators.Platt()</c> for a Probability.
    /// </summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column.</param>
    /// <param name="featureColumnName">Known-size vector of Single feature column, dense or sparse.</param>
    /// <param name="cost">LIBLINEAR's cost C; λ = 1/(C·n). Positive.</param>
    /// <param name="numberOfEpochs">Passes over the data. At least 1.</param>
    public static ShrinkingSvmTrainer ShrinkingSvm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", double cost = 1.0, int numberOfEpochs = 20)
        => ShrinkingSvm(catalog, new ShrinkingSvmTrainerOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Cost = cost,
            NumberOfEpochs = numberOfEpochs,
        });

    /// <summary>
    /// The linear SVM with full options: squared hinge, the instance selection (uniform,
    /// importance sampling by loss or gradient norm, AutoAssist shrinking), the step offset and the seed.
    /// </summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="options">The trainer's options.</param>
    public static ShrinkingSvmTrainer ShrinkingSvm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        ShrinkingSvmTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ShrinkingSvmTrainer(CatalogEnvironment.Get(catalog), options);
    }
}
