using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Estimator of the AutoAssist filter: checks the Assistant's input columns and produces an
/// <see cref="AutoAssistFilterTransformer"/>. Create it with <c>mlContext.Transforms.AutoAssistFilter</c>.
/// </summary>
public sealed class AutoAssistFilterEstimator : IEstimator<AutoAssistFilterTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly AutoAssistFilterOptions _options;

    internal AutoAssistFilterEstimator(IHostEnvironment env, AutoAssistFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _env = env;
        _options = options.Clone();
    }

    /// <inheritdoc/>
    public AutoAssistFilterTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = _options.Clone();
        // Draw the seed here, from the MLContext's seed, so that each Fit of a seeded context is reproducible.
        options.Seed ??= _env.Register(nameof(AutoAssistFilterEstimator)).Rand.Next();
        FilterSchemaCheck.Check(options, name => FilterSchemaCheck.Describe(input.Schema, name));
        return new AutoAssistFilterTransformer(_env, options);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FilterSchemaCheck.Check(_options, name => FilterSchemaCheck.Describe(inputSchema, name));
        return inputSchema;
    }
}
