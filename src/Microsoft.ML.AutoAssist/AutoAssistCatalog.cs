using Microsoft.ML.AutoAssist;

namespace Microsoft.ML;

/// <summary>Catalog entry points of AutoAssist.</summary>
public static class AutoAssistCatalog
{
    /// <summary>
    /// Adds the AutoAssist filter: a lightweight Assistant learns from the Boss trainer's losses
    /// which rows it already handles and drops most of them from later epochs. Put it just before an
    /// AutoAssist-aware trainer. Rows are never dropped for evaluation or prediction.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="featureColumnName">Known-size vector of Single column the Assistant reads (for images, the pixels).</param>
    /// <param name="labelColumnName">Key column of the class, which gets a learned bias; null for none.</param>
    /// <param name="baseKeepProbability">Every row is kept with at least this probability, in (0, 1].</param>
    public static AutoAssistFilterEstimator AutoAssistFilter(this TransformsCatalog catalog,
        string featureColumnName = "Features", string? labelColumnName = "Label", float baseKeepProbability = 0.3f)
        => AutoAssistFilter(catalog, new AutoAssistFilterOptions
        {
            FeatureColumnName = featureColumnName,
            LabelColumnName = labelColumnName,
            Selection = new AutoAssistOptions { BaseKeepProbability = baseKeepProbability },
        });

    /// <summary>
    /// Adds the AutoAssist filter with full options, including the peer selection methods
    /// (uniform, InfoBatch, Selective Backprop, loss sampling) and custom Assistants.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The filter's options.</param>
    public static AutoAssistFilterEstimator AutoAssistFilter(this TransformsCatalog catalog, AutoAssistFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoAssistFilterEstimator(CatalogEnvironment.Get(catalog), options);
    }
}
