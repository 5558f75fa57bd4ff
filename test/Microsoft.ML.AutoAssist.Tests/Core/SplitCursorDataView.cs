using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>A view whose cursor set deals its source's rows out among several cursors, round robin.</summary>
internal sealed class SplitCursorDataView(IDataView source, int cursors) : IDataView
{
    public bool CanShuffle => false;
    public DataViewSchema Schema => source.Schema;
    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => source.GetRowCursor(columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => Enumerable.Range(0, cursors).Select(k => (DataViewRowCursor)new Dealt(source.GetRowCursor(columnsNeeded), k, cursors)).ToArray();

    private sealed class Dealt(DataViewRowCursor inner, int part, int parts) : DataViewRowCursor
    {
        private long _position = -1;
        public override DataViewSchema Schema => inner.Schema;
        public override long Position => _position;
        public override long Batch => part;
        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);
        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool MoveNext()
        {
            while (inner.MoveNext())
            {
                if (inner.Position % parts == part)
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
