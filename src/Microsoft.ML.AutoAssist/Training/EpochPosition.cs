using System.Diagnostics.CodeAnalysis;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Where an epoch's cursor stands: the current row's cache index and, for a prefetched epoch, its
/// block and slot. The column getters read it on every value, so it is plain fields and one
/// check, and a getter costs what a plain cursor's does: one delegate call and the copy.
/// </summary>
internal sealed class EpochPosition
{
    /// <summary>Cache index of the current row; -1 before the first row, after the last and once closed.</summary>
    public int Row = -1;

    /// <summary>The current row's slot in <see cref="Block"/> (prefetched epochs).</summary>
    public int Slot = -1;

    /// <summary>The block the current row came in (prefetched epochs); <see cref="KeptBlock.Empty"/> otherwise.</summary>
    public KeptBlock Block = KeptBlock.Empty;

    /// <summary>Set when the epoch is disposed: its blocks may already hold the next epoch's rows.</summary>
    public bool Closed;

    /// <summary>The current row's cache index; throws when the cursor is not on a row.</summary>
    public int CurrentRow
    {
        get
        {
            int row = Row;
            if (row < 0)
                ThrowNotOnRow();
            return row;
        }
    }

    /// <summary>The current row's slot in its block; throws when the cursor is not on a row.</summary>
    public int CurrentSlot
    {
        get
        {
            if (Row < 0)
                ThrowNotOnRow();
            return Slot;
        }
    }

    [DoesNotReturn]
    private void ThrowNotOnRow()
    {
        if (Closed)
            throw new ObjectDisposedException(nameof(SelectionEpoch), "The epoch is closed; read its rows before disposing it.");
        throw new InvalidOperationException("The epoch cursor is not on a row: call MoveNext first.");
    }
}
