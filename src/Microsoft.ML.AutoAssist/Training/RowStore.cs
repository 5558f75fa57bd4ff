using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The training rows cached in memory, in row-id order, so that every epoch can visit them in a
/// fresh random order and feedback keyed by <see cref="DataViewRowId"/> finds its row in O(1).
/// </summary>
/// <remarks>
/// The rows are read with the cursor set the input offers (in parallel where it offers several),
/// then sorted by row id, so the cache, and every decision derived from it, does not depend on how
/// the input split its rows among cursors.
/// </remarks>
internal sealed class RowStore
{
    // Null when the ids count 0, 1, 2, ... (ML.NET's loaders and in-memory views number rows so):
    // then an id is its own index and needs no lookup.
    private readonly Dictionary<DataViewRowId, int>? _indexById;
    private readonly StoredColumn[] _columns;

    private RowStore(DataViewSchema schema, StoredColumn[] columns, DataViewRowId[] ids)
    {
        Schema = schema;
        _columns = columns;
        Ids = ids;
        IdsCountFromZero = true;
        for (int i = 0; i < ids.Length && IdsCountFromZero; i++)
            IdsCountFromZero = ids[i].High == 0 && ids[i].Low == (ulong)i;
        if (IdsCountFromZero)
            return;
        _indexById = new Dictionary<DataViewRowId, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            if (!_indexById.TryAdd(ids[i], i))
                throw new InvalidDataException($"The training data yields row id {Describe(ids[i])} twice; AutoAssist needs a unique id per row to match the Boss's feedback.");
        }
    }

    /// <summary>A row id as people read it: its low word, and the high word where one is set.</summary>
    public static string Describe(DataViewRowId id) => id.High == 0 ? id.Low.ToString() : $"{id.High}:{id.Low}";

    /// <summary>The cached columns, with the input's names, types and annotations.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>Row ids in cache order.</summary>
    public DataViewRowId[] Ids { get; }

    /// <summary>True when the row at index i has id i, so ids and indices convert without reading memory.</summary>
    public bool IdsCountFromZero { get; }

    public int Count => Ids.Length;

    public StoredColumn GetColumn(int index) => _columns[index];

    /// <summary>The id of the cached row <paramref name="index"/>.</summary>
    public DataViewRowId GetId(int index) => IdsCountFromZero ? new DataViewRowId((ulong)index, 0) : Ids[index];

    public bool TryGetIndex(DataViewRowId id, out int index)
    {
        if (_indexById is not null)
            return _indexById.TryGetValue(id, out index);
        bool known = id.High == 0 && id.Low < (ulong)Ids.Length;
        index = known ? (int)id.Low : -1;
        return known;
    }

    /// <summary>Reads the named columns of <paramref name="data"/> into memory.</summary>
    public static RowStore Load(IDataView data, IReadOnlyList<string> columnNames, CancellationToken cancellation)
    {
        var inputColumns = columnNames.Distinct().Select(name => data.Schema[name]).ToArray();
        int parallelism = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var cursors = data.GetRowCursorSet(inputColumns, parallelism);
        var parts = new (List<DataViewRowId> Ids, StoredColumnBuilder[] Builders)[cursors.Length];
        try
        {
            Parallel.For(0, cursors.Length, new ParallelOptions { CancellationToken = cancellation }, p =>
            {
                var cursor = cursors[p];
                var idGetter = cursor.GetIdGetter();
                var builders = inputColumns.Select(c => StoredColumn.CreateBuilder(cursor, c)).ToArray();
                var ids = new List<DataViewRowId>();
                DataViewRowId id = default;
                while (cursor.MoveNext())
                {
                    if ((ids.Count & 4095) == 0)
                        cancellation.ThrowIfCancellationRequested();
                    idGetter(ref id);
                    foreach (var builder in builders)
                    {
                        try
                        {
                            builder.Append(id);
                        }
                        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
                        {
                            throw new InvalidDataException(
                                $"Reading column '{builder.Column.Name}' of row {Describe(id)} of the training data failed: {e.Message}{DescribeTextValues(data, id)}", e);
                        }
                    }
                    ids.Add(id);
                }
                parts[p] = (ids, builders);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            throw;
        }
        finally
        {
            foreach (var cursor in cursors)
                cursor.Dispose();
        }

        var order = parts.SelectMany((part, p) => part.Ids.Select((id, i) => (Id: id, Part: p, Index: i)))
            .OrderBy(r => r.Id)
            .ToArray();
        var orderPairs = order.Select(r => (r.Part, r.Index)).ToArray();
        var columns = new StoredColumn[inputColumns.Length];
        var builder = new DataViewSchema.Builder();
        for (int c = 0; c < inputColumns.Length; c++)
        {
            var columnParts = parts.Select(p => p.Builders[c]).ToArray();
            columns[c] = columnParts[0].Merge(columnParts, orderPairs);
            builder.AddColumn(inputColumns[c].Name, inputColumns[c].Type, inputColumns[c].Annotations);
        }
        return new RowStore(builder.ToSchema(), columns, order.Select(r => r.Id).ToArray());
    }

    /// <summary>
    /// The text values of the row with id <paramref name="id"/> (file paths, names), to help find a
    /// row that failed to load. Only runs on the error path; never throws.
    /// </summary>
    private static string DescribeTextValues(IDataView data, DataViewRowId id)
    {
        try
        {
            var texts = data.Schema.Where(c => !c.IsHidden && c.Type is TextDataViewType).ToArray();
            if (texts.Length == 0)
                return "";
            using var cursor = data.GetRowCursor(texts);
            var idGetter = cursor.GetIdGetter();
            var getters = texts.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(c)).ToArray();
            DataViewRowId current = default;
            while (cursor.MoveNext())
            {
                idGetter(ref current);
                if (!current.Equals(id))
                    continue;
                var values = texts.Select((c, i) =>
                {
                    ReadOnlyMemory<char> value = default;
                    getters[i](ref value);
                    return $"{c.Name}='{value}'";
                });
                return $" (the row's text values: {string.Join(", ", values)})";
            }
        }
        catch (Exception)
        {
            // The row cannot be re-read either; the original error says enough.
        }
        return "";
    }

    public ReadOnlyMemory<float> GetDenseFloatVectors(string columnName, out int dimension)
    {
        if (Find(columnName) is not DenseFloatVectorColumn column)
            throw new ArgumentException($"Column '{columnName}' is not a cached known-size vector of Single.", nameof(columnName));
        dimension = column.Dimension;
        return column.Values;
    }

    public ReadOnlyMemory<uint> GetKeys(string columnName, out int keyCount)
    {
        if (Find(columnName) is not KeyColumn column)
            throw new ArgumentException($"Column '{columnName}' is not a cached key column with UInt32 values.", nameof(columnName));
        keyCount = column.KeyCount;
        return column.Values;
    }

    public IReadOnlyList<string> GetTexts(string columnName)
    {
        if (Find(columnName) is not TextColumn column)
            throw new ArgumentException($"Column '{columnName}' is not a cached text column.", nameof(columnName));
        return column.Values;
    }

    private StoredColumn? Find(string name)
    {
        var column = Schema.GetColumnOrNull(name);
        return column is null ? null : _columns[column.Value.Index];
    }
}
