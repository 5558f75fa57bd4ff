using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A fitted Boss's Transform: the input plus the Boss's output columns, computed in batches. A
/// second cursor over the same input reads the network's inputs ahead (ML.NET cursors over one view
/// visit rows in the same order), so the passthrough cursor and the outputs stay aligned without
/// buffering other columns.
/// </summary>
internal sealed class BossScoredDataView : IDataView
{
    private const int DefaultBatchSize = 256;
    private readonly IDataView _input;
    private readonly int _batchSize;
    private readonly IBossScoring _scoring;

    /// <param name="input">The data to score.</param>
    /// <param name="scoring">The Boss's scoring.</param>
    /// <param name="schema">The input's columns, then the Boss's output columns.</param>
    /// <param name="batchSize">Rows per scoring batch; batches start at row 0, so a multiple of a group size keeps groups of consecutive rows whole.</param>
    public BossScoredDataView(IDataView input, IBossScoring scoring, DataViewSchema schema, int batchSize = DefaultBatchSize)
    {
        _batchSize = batchSize;
        _input = input;
        _scoring = scoring;
        Schema = schema;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var inputColumns = needed.Where(c => c.Index < _input.Schema.Count).Select(c => _input.Schema[c.Index]).ToArray();
        bool outputs = needed.Any(c => c.Index >= _input.Schema.Count);
        var lookahead = outputs ? _input.GetRowCursor(_scoring.InputColumnNames.Select(name => _input.Schema[name])) : null;
        return new Cursor(this, _input.GetRowCursor(inputColumns), lookahead);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BossScoredDataView _view;
        private readonly DataViewRowCursor _input;
        private readonly DataViewRowCursor? _lookahead;
        private readonly ScoringBatch? _batch;

        public Cursor(BossScoredDataView view, DataViewRowCursor input, DataViewRowCursor? lookahead)
        {
            _view = view;
            _input = input;
            _lookahead = lookahead;
            if (lookahead is not null)
            {
                _batch = view._scoring.CreateBatch(view._batchSize);
                _batch.Bind(lookahead);
            }
        }

        public override DataViewSchema Schema => _view.Schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index >= _view._input.Schema.Count ? _batch is not null : _input.IsColumnActive(_view._input.Schema[column.Index]);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool MoveNext()
        {
            if (!_input.MoveNext())
                return false;
            if (_batch is not null && ++_batch.Current >= _batch.Count)
                FillBatch();
            return true;
        }

        private void FillBatch()
        {
            var batch = _batch!;
            batch.Clear();
            batch.Current = 0;
            while (!batch.IsFull && _lookahead!.MoveNext())
                batch.Append();
            if (batch.Count == 0)
                throw new InvalidOperationException("The scoring cursors fell out of step: the input gave a different number of rows to two cursors.");
            batch.Score();
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _view._input.Schema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_view._input.Schema[column.Index]);
            if (_batch is null)
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            return _batch.GetOutputGetter<TValue>(column.Index - inputCount, column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _lookahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
