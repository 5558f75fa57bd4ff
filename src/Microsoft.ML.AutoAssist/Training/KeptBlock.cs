using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A block of kept rows handed from an epoch's prefetch thread to the trainer: their cache indices,
/// their loss weights, their ids and, for every known-size float vector column and every key
/// column, their values copied next to each other in the epoch's order. The copy is why the block
/// exists: reading rows scattered over a large cache in a random order waits on memory, so the
/// prefetch thread pays for it while the trainer works, and the trainer reads the block front to back.
/// </summary>
/// <remarks>Blocks are reused from epoch to epoch (<see cref="KeptBlockPool"/>); a block belongs to one thread at a time.</remarks>
internal sealed class KeptBlock
{
    public KeptBlock(int capacity, RowStore store)
    {
        Rows = new int[capacity];
        Weights = new float[capacity];
        Ids = new DataViewRowId[capacity];
        Gathered = new Array?[store.Schema.Count];
        for (int c = 0; c < store.Schema.Count; c++)
        {
            if (store.GetColumn(c).GathersIntoBlocks)
                Gathered[c] = store.GetColumn(c).CreateGatherBuffer(capacity);
        }
    }

    private KeptBlock()
    {
        Rows = [];
        Weights = [];
        Ids = [];
        Gathered = [];
    }

    /// <summary>A block with no rows: the cursor's state before its first block.</summary>
    public static KeptBlock Empty { get; } = new();

    /// <summary>Cache indices of the kept rows (the first <see cref="Count"/>).</summary>
    public int[] Rows { get; }

    /// <summary>The kept rows' loss weights.</summary>
    public float[] Weights { get; }

    /// <summary>The kept rows' ids.</summary>
    public DataViewRowId[] Ids { get; }

    /// <summary>Per column index: the kept rows' values, row after row, for columns that gather into blocks; null for the others.</summary>
    public Array?[] Gathered { get; }

    public int Count { get; private set; }

    /// <summary>Position in the epoch's order just past the block's last considered row.</summary>
    public int End { get; private set; }

    /// <summary>Fills the block with the rows whose weight is positive and copies their ids, vectors and keys.</summary>
    /// <returns>The number of rows kept.</returns>
    public int Fill(ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, int end, RowStore store)
    {
        int kept = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (weights[i] > 0)
            {
                Rows[kept] = rows[i];
                Weights[kept++] = weights[i];
            }
        }
        Count = kept;
        End = end;
        for (int k = 0; k < kept; k++)
            Ids[k] = store.GetId(Rows[k]);
        for (int c = 0; c < Gathered.Length; c++)
        {
            if (Gathered[c] is { } buffer)
                store.GetColumn(c).Gather(Rows.AsSpan(0, kept), buffer);
        }
        return kept;
    }
}
