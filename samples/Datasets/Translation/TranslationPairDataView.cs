using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// An in-memory <see cref="IDataView"/> over translation pairs. Kept in memory because a corpus
/// of ~100k sentence pairs takes a few tens of megabytes and a trainer passes over it many times,
/// often shuffled, which a text-file loader can only approximate.
/// </summary>
internal sealed class TranslationPairDataView : IDataView
{
    private readonly IReadOnlyList<TranslationPair> _pairs;

    public TranslationPairDataView(IReadOnlyList<TranslationPair> pairs)
    {
        _pairs = pairs;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(TranslationCorpus.SourceColumnName, TextDataViewType.Instance);
        builder.AddColumn(TranslationCorpus.TargetColumnName, TextDataViewType.Instance);
        builder.AddColumn(TranslationCorpus.OriginColumnName, TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _pairs.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            CheckColumn(column);
            active[column.Index] = true;
        }
        return new Cursor(this, active, rand is null ? null : Permutation(_pairs.Count, rand));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private void CheckColumn(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not a column of this translation corpus.");
        }
    }

    private static int[] Permutation(int count, Random rand)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--)
        {
            int j = rand.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TranslationPairDataView _view;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;
        private bool _done;

        public Cursor(TranslationPairDataView view, bool[] active, int[]? order)
        {
            _view = view;
            _active = active;
            _order = order;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_done)
            {
                return false;
            }
            _position++;
            if (_position >= _view._pairs.Count)
            {
                _done = true;
                _row = -1;
                return false;
            }
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            _view.CheckColumn(column);
            return _active[column.Index];
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            _view.CheckColumn(column);
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was made.");
            }
            if (typeof(TValue) != typeof(ReadOnlyMemory<char>))
            {
                throw new InvalidOperationException($"Column '{column.Name}' is text (ReadOnlyMemory<char>), not {typeof(TValue).Name}.");
            }
            Func<TranslationPair, string> field = column.Name switch
            {
                TranslationCorpus.SourceColumnName => p => p.Source,
                TranslationCorpus.TargetColumnName => p => p.Target,
                _ => p => p.Origin,
            };
            ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) => value = field(Current()).AsMemory();
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        // The row id is the pair's position in the file, whatever order the cursor visits it in.
        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) =>
            {
                Current();
                value = new DataViewRowId((ulong)_row, 0);
            };

        private TranslationPair Current() =>
            _row >= 0 ? _view._pairs[_row] : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and not after it returned false.");
    }
}
