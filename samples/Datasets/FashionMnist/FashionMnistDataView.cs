using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// An in-memory <see cref="IDataView"/> over <see cref="FashionMnistData"/>: "Label" is a key over the
/// ten classes (with their names as KeyValues annotations) and "Pixels" a vector of 1 × 28 × 28 floats
/// in [0, 1]. The row id of a row is its index, the same in every cursor and cursor set.
/// </summary>
internal sealed class FashionMnistDataView : IDataView
{
    // Parallel cursors take blocks of rows in turn, and each block is one Batch, so the serial
    // order can be rebuilt by consolidating on Batch (see DataViewRow.Batch).
    internal const int RowsPerBatch = 64;

    private readonly FashionMnistData _data;

    public FashionMnistDataView(FashionMnistData data)
    {
        _data = data;
        Schema = BuildSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _data.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, ActiveColumns(columnsNeeded), cursorIndex: 0, cursorCount: 1);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool[] active = ActiveColumns(columnsNeeded);
        int batchCount = (_data.Count + RowsPerBatch - 1) / RowsPerBatch;
        int cursorCount = Math.Clamp(n, 1, Math.Max(1, batchCount));
        var cursors = new DataViewRowCursor[cursorCount];
        for (int i = 0; i < cursorCount; i++)
            cursors[i] = new Cursor(this, active, i, cursorCount);
        return cursors;
    }

    private bool[] ActiveColumns(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' does not belong to the Fashion-MNIST data view's schema.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        return active;
    }

    private static DataViewSchema BuildSchema()
    {
        var classNames = FashionMnist.ClassNames.Select(name => name.AsMemory()).ToArray();
        var keyValues = new DataViewSchema.Annotations.Builder();
        // "KeyValues" is the annotation kind that MapKeyToValue and PredictedLabel read; ML.NET's
        // helper that adds it (AddKeyValues) is internal.
        keyValues.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, classNames.Length),
            (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(classNames.Length, classNames));

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FashionMnist.LabelColumnName, new KeyDataViewType(typeof(uint), FashionMnist.ClassCount), keyValues.ToAnnotations());
        // Dimensions (channels, height, width) are those ExtractPixels gives a one-channel image,
        // so consumers can treat this column and an ImageAnalytics pipeline's output alike.
        builder.AddColumn(FashionMnist.PixelsColumnName,
            new VectorDataViewType(NumberDataViewType.Single, 1, FashionMnist.ImageHeight, FashionMnist.ImageWidth));
        return builder.ToSchema();
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private const int LabelIndex = 0;
        private const int PixelsIndex = 1;

        private readonly FashionMnistDataView _parent;
        private readonly bool[] _active;
        private readonly int _cursorIndex;
        private readonly int _cursorCount;
        private long _position = -1;
        private int _row = -1;
        private bool _done;

        public Cursor(FashionMnistDataView parent, bool[] active, int cursorIndex, int cursorCount)
        {
            _parent = parent;
            _active = active;
            _cursorIndex = cursorIndex;
            _cursorCount = cursorCount;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _position;

        public override long Batch => _row < 0 ? 0 : _row / RowsPerBatch;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[CheckColumn(column)];

        public override bool MoveNext()
        {
            if (_done)
                return false;

            int next;
            if (_row < 0)
                next = _cursorIndex * RowsPerBatch;
            else if ((_row + 1) % RowsPerBatch != 0)
                next = _row + 1;
            else
                next = _row + 1 + (_cursorCount - 1) * RowsPerBatch; // skip the blocks of the other cursors

            if (next >= _parent._data.Count)
            {
                _done = true;
                _row = -1;
                _position = -1;
                return false;
            }
            _row = next;
            _position++;
            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int index = CheckColumn(column);
            if (!_active[index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");

            Delegate getter = index switch
            {
                LabelIndex when typeof(TValue) == typeof(uint) => (ValueGetter<uint>)GetLabel,
                PixelsIndex when typeof(TValue) == typeof(VBuffer<float>) => (ValueGetter<VBuffer<float>>)GetPixels,
                _ => throw new InvalidOperationException(
                    $"Column '{column.Name}' has type {column.Type}, whose values are {column.Type.RawType.Name}, not {typeof(TValue).Name}."),
            };
            return (ValueGetter<TValue>)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)CurrentRow(), 0);

        private void GetLabel(ref uint key)
            // Keys count from 1; 0 means missing.
            => key = (uint)_parent._data.GetLabel(CurrentRow()) + 1;

        private void GetPixels(ref VBuffer<float> pixels)
        {
            var editor = VBufferEditor.Create(ref pixels, FashionMnist.PixelCount);
            FashionMnistData.ScalePixels(_parent._data.GetImage(CurrentRow()), editor.Values);
            pixels = editor.Commit();
        }

        private int CurrentRow()
        {
            if (_row < 0)
                throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and stop when it returns false.");
            return _row;
        }

        private int CheckColumn(DataViewSchema.Column column)
        {
            if (column.Index < 0 || column.Index >= _active.Length || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not in the Fashion-MNIST data view's schema.");
            return column.Index;
        }
    }
}
