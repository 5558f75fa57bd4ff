using System.Diagnostics.CodeAnalysis;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Where an epoch's cursor stands: the current row's cache index. The column getters read it on
/// every value, so it is a plain field and one check.
/// </summary>
internal sealed class EpochPosition
{
    /// <summary>Cache index of the current row; -1 before the first row, after the last and once closed.</summary>
    public int Row = -1;

    /// <summary>Set when the epoch is disposed.</summary>
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

    [DoesNotReturn]
    private void ThrowNotOnRow()
    {
        if (Closed)
            throw new ObjectDisposedException(nameof(SelectionEpoch), "The epoch is closed; read its rows before disposing it.");
        throw new InvalidOperationException("The epoch cursor is not on a row: call MoveNext first.");
    }
}
