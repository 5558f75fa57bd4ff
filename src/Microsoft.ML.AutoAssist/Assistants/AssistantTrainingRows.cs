namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Read access to the cached training rows for an <see cref="IAssistant"/>, by row index.
/// Row indices are the ones passed to <see cref="IAssistant.Score"/> and <see cref="IAssistant.Update"/>.
/// </summary>
public sealed class AssistantTrainingRows
{
    private readonly RowStore _store;

    internal AssistantTrainingRows(RowStore store) => _store = store;

    /// <summary>Number of cached rows.</summary>
    public int Count => _store.Count;

    /// <summary>
    /// A fixed-size float vector column as one row-major array of <c>Count × dimension</c> values.
    /// </summary>
    public ReadOnlyMemory<float> GetDenseVectors(string columnName, out int dimension)
        => _store.GetDenseFloatVectors(columnName, out dimension);

    /// <summary>A key column as its raw values (1-based, 0 = missing) and the key count.</summary>
    public ReadOnlyMemory<uint> GetKeys(string columnName, out int keyCount)
        => _store.GetKeys(columnName, out keyCount);

    /// <summary>A text column as strings.</summary>
    public IReadOnlyList<string> GetTexts(string columnName) => _store.GetTexts(columnName);
}
