using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The view the AutoAssist filter returns. Any ordinary consumer (evaluation, prediction, caching,
/// a trainer that knows nothing of AutoAssist) sees every input row unchanged. An AutoAssist-aware
/// trainer recognises it in <c>Fit</c> and opens a <see cref="SelectiveTrainingSession"/> on it,
/// whose epochs carry only the rows the selection method keeps.
/// </summary>
public sealed class AutoAssistDataView : IDataView
{
    internal AutoAssistDataView(IHostEnvironment environment, IDataView source, AutoAssistFilterOptions options)
    {
        Environment = environment;
        Source = source;
        Settings = options;
    }

    /// <summary>The filter's input.</summary>
    public IDataView Source { get; }

    /// <summary>The filter's settings (a copy; changing it does not change the view).</summary>
    public AutoAssistFilterOptions Options => Settings.Clone();

    internal AutoAssistFilterOptions Settings { get; }

    internal IHostEnvironment Environment { get; }

    /// <inheritdoc/>
    public bool CanShuffle => Source.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema => Source.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => Source.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => Source.GetRowCursor(columnsNeeded, rand);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => Source.GetRowCursorSet(columnsNeeded, n, rand);
}
