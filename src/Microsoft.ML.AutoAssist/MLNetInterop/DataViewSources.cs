using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The view a data view reads its rows from, where ML.NET knows it: a transform's source
/// (<c>IDataTransform.Source</c>) and the input of the cache an <c>AppendCacheCheckpoint</c> puts
/// before a trainer. Both are internal to ML.NET, so they are read by reflection; should a future
/// ML.NET rename them, views simply hide their source, as any unknown view does.
/// </summary>
internal static class DataViewSources
{
    private static readonly PropertyInfo? TransformSource =
        typeof(TextLoader).Assembly.GetType("Microsoft.ML.Data.IDataTransform")?.GetProperty("Source");

    private static readonly Type? CacheType = typeof(TextLoader).Assembly.GetType("Microsoft.ML.Data.CacheDataView");

    private static readonly FieldInfo? CacheInput = CacheType?.GetField("_subsetInput", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The view <paramref name="view"/> reads its rows from, or null when it is a source or does not say.</summary>
    public static IDataView? SourceOf(IDataView view)
    {
        if (TransformSource is not null && TransformSource.DeclaringType!.IsInstanceOfType(view))
            return TransformSource.GetValue(view) as IDataView;
        if (CacheInput is not null && CacheType!.IsInstanceOfType(view))
            return CacheInput.GetValue(view) as IDataView;
        return null;
    }
}
