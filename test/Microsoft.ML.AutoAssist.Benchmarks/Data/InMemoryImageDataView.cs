using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Benchmarks.Data;

/// <summary>
/// The cheapest honest <see cref="IDataView"/> over <see cref="SyntheticImageRows"/>: "Features"
/// (vector of 784 Single) and "Label" (key of 10) read straight from flat arrays, row id = row index.
/// It is the baseline the protocol is compared with, so it does no work a cursor could avoid.
/// Given a <see cref="Random"/>, a cursor visits the rows in a random order (as ML.NET's shuffling
/// trainers ask for), which separates the cost of a random order from the cost of the protocol.
/// </summary>
internal sealed class InMemoryImageDataView : IDataView
{
    public const string FeaturesColumnName = "Features";
    public const string LabelColumnName = "Label";

    private readonly SyntheticImageRows _rows;

    public InMemoryImageDataView(SyntheticImageRows rows)
    {
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FeaturesColumnName, new VectorDataViewType(NumberDataViewType.Single, SyntheticImageRows.Dimension));
        builder.AddColumn(LabelColumnName, new KeyDataViewType(typeof(uint), SyntheticImageRows.ClassCount));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, rand is null ? null : Permutation(rand));

    // One cursor is a valid cursor set; the session's cache then reads the rows on one thread.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private int[] Permutation(Random random)
    {
        var order = new int[_rows.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        random.Shuffle(order);
        return order;
    }

    private sealed class Cursor(InMemoryImageDataView parent, int[]? order) : DataViewRowCursor
    {
        private readonly SyntheticImageRows _rows = parent._rows;
        private long _position = -1;
        private int _row = -1;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext()
        {
            if (++_position >= _rows.Count)
                return false;
            _row = order is null ? (int)_position : order[_position];
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Name switch
            {
                FeaturesColumnName => (ValueGetter<VBuffer<float>>)GetFeatures,
                LabelColumnName => (ValueGetter<uint>)((ref uint label) => label = _rows.Labels[_row]),
                _ => throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not in the benchmark data view."),
            };
            return (ValueGetter<TValue>)getter;
        }

        private void GetFeatures(ref VBuffer<float> features)
        {
            var editor = VBufferEditor.Create(ref features, SyntheticImageRows.Dimension);
            _rows.Features.AsSpan(_row * SyntheticImageRows.Dimension, SyntheticImageRows.Dimension).CopyTo(editor.Values);
            features = editor.Commit();
        }
    }
}
