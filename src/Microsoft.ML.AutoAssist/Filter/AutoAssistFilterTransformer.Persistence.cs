using Microsoft.ML;

namespace Microsoft.ML.AutoAssist.Filter;

public sealed partial class AutoAssistFilterTransformer
{
    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new InvalidOperationException("Saving the AutoAssist filter is wired in with the model persistence bridge.");
}
