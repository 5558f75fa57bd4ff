namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Finds the AutoAssist filter in a trainer's training data when transforms or a cache checkpoint
/// sit between the two, and says when its selection cannot run there.
/// </summary>
internal static class FilterUpstream
{
    /// <summary>The filter's view, following the views' sources up from <paramref name="view"/>; null when there is none.</summary>
    public static AutoAssistDataView? Find(IDataView view)
    {
        for (IDataView? current = view; current is not null; current = DataViewSources.SourceOf(current))
        {
            if (current is AutoAssistDataView filter)
                return filter;
        }
        return null;
    }

    /// <summary>
    /// Null when the trainer's view still has every column the filter's Assistant reads, with the type
    /// it needs; otherwise what is wrong.
    /// </summary>
    public static string? DescribeMissingAssistantColumns(AutoAssistFilterOptions options, DataViewSchema schema)
    {
        try
        {
            FilterSchemaCheck.Check(options, name => FilterSchemaCheck.Describe(schema, name));
            return null;
        }
        catch (ArgumentOutOfRangeException e)
        {
            return e.Message;
        }
    }

    public static string NotAppliedWarning(string problem)
        => "AutoAssistFilter is in the pipeline but its selection cannot run: the transforms after it change what its Assistant reads " +
           $"({problem}). This training used every row (uniform). Put AutoAssistFilter directly before the trainer, " +
           "or append it after the other transforms (for example with TransformerScope.Training).";
}
