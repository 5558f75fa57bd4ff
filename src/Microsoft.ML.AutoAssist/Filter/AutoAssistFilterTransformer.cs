using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The fitted AutoAssist filter. <see cref="Transform"/> returns an <see cref="AutoAssistDataView"/>:
/// every row passes through for ordinary consumers, so evaluation, prediction and saved models
/// never drop rows; an AutoAssist-aware trainer trains on the rows its selection keeps.
/// </summary>
public sealed partial class AutoAssistFilterTransformer : ITransformer
{
    private readonly IHostEnvironment _env;
    private readonly AutoAssistFilterOptions _options;

    internal AutoAssistFilterTransformer(IHostEnvironment env, AutoAssistFilterOptions options)
    {
        _env = env;
        _options = options;
    }

    /// <summary>The filter's settings (a copy).</summary>
    public AutoAssistFilterOptions Options => _options.Clone();

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <remarks>The Assistant's columns are checked when a trainer trains on the output, not here: prediction needs no label.</remarks>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new AutoAssistDataView(_env, input, _options);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new PassThroughRowMapper(inputSchema);
    }

    /// <summary>Row-by-row use (PredictionEngine) sees the input row unchanged.</summary>
    private sealed class PassThroughRowMapper(DataViewSchema schema) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => schema;

        public DataViewSchema OutputSchema => schema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => dependingColumns;

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => input;
    }
}
