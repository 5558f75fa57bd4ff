using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A batch of training rows in plain arrays, filled from an epoch cursor: each Boss model defines
/// the values it needs; the shared loop handles ids, weights and copying rows between batches.
/// </summary>
internal abstract class RowBatch
{
    private ValueGetter<DataViewRowId>? _idGetter;

    protected RowBatch(int capacity)
    {
        Capacity = capacity;
        Ids = new DataViewRowId[capacity];
        Weights = new float[capacity];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public DataViewRowId[] Ids { get; }

    public float[] Weights { get; }

    /// <summary>
    /// Whether the loop should train on the batch now. At capacity always; a Boss may end batches
    /// earlier (the translation Boss does at a token budget, so long sentences make smaller batches).
    /// </summary>
    public virtual bool IsFull => Count == Capacity;

    /// <summary>Binds the getters of a new epoch's cursor.</summary>
    public void Bind(SelectionEpoch epoch)
    {
        _idGetter = epoch.GetIdGetter();
        BindValues(epoch);
    }

    /// <summary>Appends the cursor's current row.</summary>
    public void AppendCurrent(SelectionEpoch epoch)
    {
        if (IsFull)
            throw new InvalidOperationException("The batch is full.");
        _idGetter!(ref Ids[Count]);
        Weights[Count] = epoch.Weight;
        ReadValues(Count);
        Count++;
    }

    /// <summary>Appends row <paramref name="index"/> of <paramref name="source"/>.</summary>
    public void AppendFrom(RowBatch source, int index)
    {
        if (IsFull)
            throw new InvalidOperationException("The batch is full.");
        Ids[Count] = source.Ids[index];
        Weights[Count] = source.Weights[index];
        CopyValues(source, index, Count);
        Count++;
    }

    /// <summary>Empties the batch.</summary>
    public void Clear()
    {
        Count = 0;
        OnCleared();
    }

    /// <summary>Called when the batch is emptied, for a Boss that keeps running totals.</summary>
    protected virtual void OnCleared()
    {
    }

    protected abstract void BindValues(DataViewRowCursor cursor);

    protected abstract void ReadValues(int slot);

    protected abstract void CopyValues(RowBatch source, int from, int to);
}
