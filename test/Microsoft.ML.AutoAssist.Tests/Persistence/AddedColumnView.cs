using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>Computes one float-vector value from another.</summary>
internal delegate void VectorMap(in VBuffer<float> source, ref VBuffer<float> destination);

/// <summary>A minimal IDataView that passes its source through and appends one column computed from a source column.</summary>
internal sealed class AddedColumnView : IDataView
{
    private readonly IDataView _source;
    private readonly DataViewSchema.Column _sourceColumn;
    private readonly VectorMap _map;

    /// <param name="source">The input view.</param>
    /// <param name="schema">The source schema plus the added column as its last column.</param>
    /// <param name="sourceColumnName">The column the added one is computed from.</param>
    /// <param name="map">Computes the added value.</param>
    public AddedColumnView(IDataView source, DataViewSchema schema, string sourceColumnName, VectorMap map)
    {
        _source = source;
        _sourceColumn = source.Schema[sourceColumnName];
        _map = map;
        Schema = schema;
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _source.CanShuffle;

    private int AddedIndex => Schema.Count - 1;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        bool addedNeeded = needed.Any(c => c.Index == AddedIndex);
        var sourceNeeded = needed.Where(c => c.Index != AddedIndex).Select(c => _source.Schema[c.Index]).ToList();
        if (addedNeeded)
            sourceNeeded.Add(_sourceColumn);
        return new Cursor(this, _source.GetRowCursor(sourceNeeded.Distinct(), rand), addedNeeded);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(AddedColumnView view, DataViewRowCursor input, bool addedActive) : DataViewRowCursor
    {
        public override DataViewSchema Schema => view.Schema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index == view.AddedIndex ? addedActive : input.IsColumnActive(input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != view.AddedIndex)
                return input.GetGetter<TValue>(input.Schema[column.Index]);
            var getSource = input.GetGetter<VBuffer<float>>(view._sourceColumn);
            VBuffer<float> buffer = default;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                getSource(ref buffer);
                view._map(buffer, ref value);
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override bool MoveNext() => input.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                input.Dispose();
            base.Dispose(disposing);
        }
    }
}
