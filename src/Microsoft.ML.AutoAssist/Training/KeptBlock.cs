using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Training;

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
        Vectors = new float[store.Schema.Count][];
        Keys = new uint[store.Schema.Count][];
        for (int c = 0; c < store.Schema.Count; c++)
        {
            if (store.GetColumn(c) is DenseFloatVectorColumn dense)
                Vectors[c] = new float[(long)capacity * dense.Dimension];
            else if (store.GetColumn(c) is KeyColumn)
                Keys[c] = new uint[capacity];
        }
    }

    private KeptBlock()
    {
        Rows = [];
        Weights = [];
        Ids = [];
        Vectors = [];
        Keys = [];
    }

    /// <summary>A block with no rows: the cursor's state before its first block.</summary>
    public static KeptBlock Empty { get; } = new();

    /// <summary>Cache indices of the kept rows (the first <see cref="Count"/>).</summary>
    public int[] Rows { get; }

    /// <summary>The kept rows' loss weights.</summary>
    public float[] Weights { get; }

    /// <summary>The kept rows' ids.</summary>
    public DataViewRowId[] Ids { get; }

    /// <summary>Per column index: the kept rows' values, row after row, for dense float vector columns; null for other columns.</summary>
    public float[]?[] Vectors { get; }

    /// <summary>Per column index: the kept rows' keys for key columns; null for other columns.</summary>
    public uint[]?[] Keys { get; }

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
            Ids[k] = store.Ids[Rows[k]];
        for (int c = 0; c < Vectors.Length; c++)
        {
            if (Vectors[c] is { } destination)
            {
                var column = (DenseFloatVectorColumn)store.GetColumn(c);
                int dimension = column.Dimension;
                for (int k = 0; k < kept; k++)
                    column.Values.AsSpan(Rows[k] * dimension, dimension).CopyTo(destination.AsSpan(k * dimension, dimension));
            }
            else if (Keys[c] is { } keys)
            {
                var values = ((KeyColumn)store.GetColumn(c)).Values;
                for (int k = 0; k < kept; k++)
                    keys[k] = values[Rows[k]];
            }
        }
        return kept;
    }
}
