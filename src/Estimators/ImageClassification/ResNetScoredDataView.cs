using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The input plus Score and PredictedLabel. Scores are computed in batches: a second cursor over the
/// same input reads the images ahead (ML.NET cursors over one view visit rows in the same order),
/// so the passthrough cursor and the scores stay aligned without buffering other columns.
/// </summary>
internal sealed class ResNetScoredDataView : IDataView
{
    private const int ScoringBatch = 256;
    private readonly IDataView _input;
    private readonly ImageClassificationTransformer _parent;

    public ResNetScoredDataView(IDataView input, ImageClassificationTransformer parent)
    {
        _input = input;
        _parent = parent;
        Schema = parent.GetOutputSchema(input.Schema);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var inputColumns = needed.Where(c => c.Index < _input.Schema.Count).Select(c => _input.Schema[c.Index]).ToArray();
        bool scores = needed.Any(c => c.Index >= _input.Schema.Count);
        return new Cursor(this, _input.GetRowCursor(inputColumns), scores ? _input.GetRowCursor([_input.Schema[_parent.FeatureColumnName]]) : null);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ResNetScoredDataView _view;
        private readonly DataViewRowCursor _input;
        private readonly DataViewRowCursor? _lookahead;
        private readonly ValueGetter<VBuffer<float>>? _lookaheadFeatures;
        private readonly ResNetScorer _scorer;
        private readonly float[] _pixels;
        private readonly float[] _probabilities;
        private VBuffer<float> _buffer;
        private int _buffered;
        private int _inBuffer;

        public Cursor(ResNetScoredDataView view, DataViewRowCursor input, DataViewRowCursor? lookahead)
        {
            _view = view;
            _input = input;
            _lookahead = lookahead;
            _scorer = view._parent.Scorer;
            _lookaheadFeatures = lookahead?.GetGetter<VBuffer<float>>(lookahead.Schema[view._parent.FeatureColumnName]);
            _pixels = new float[ScoringBatch * _scorer.Shape.PixelCount];
            _probabilities = new float[ScoringBatch * _scorer.ClassCount];
        }

        public override DataViewSchema Schema => _view.Schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index >= _view._input.Schema.Count ? _lookahead is not null : _input.IsColumnActive(_view._input.Schema[column.Index]);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool MoveNext()
        {
            if (!_input.MoveNext())
                return false;
            if (_lookahead is not null && ++_inBuffer >= _buffered)
                FillScores();
            return true;
        }

        private void FillScores()
        {
            int pixelCount = _scorer.Shape.PixelCount;
            _buffered = 0;
            _inBuffer = 0;
            while (_buffered < ScoringBatch && _lookahead!.MoveNext())
            {
                _lookaheadFeatures!(ref _buffer);
                if (_buffer.Length != pixelCount)
                    throw new InvalidDataException($"Column '{_view._parent.FeatureColumnName}' holds {_buffer.Length} values in a row; the model needs {pixelCount}.");
                _buffer.CopyTo(_pixels.AsSpan(_buffered * pixelCount, pixelCount));
                _buffered++;
            }
            if (_buffered == 0)
                throw new InvalidOperationException("The scoring cursors fell out of step: the input gave a different number of rows to two cursors.");
            _scorer.Score(_pixels, _buffered, _probabilities);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _view._input.Schema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_view._input.Schema[column.Index]);
            int classes = _scorer.ClassCount;
            if (column.Index == inputCount)
            {
                ValueGetter<VBuffer<float>> score = (ref VBuffer<float> dst) =>
                {
                    var editor = VBufferEditor.Create(ref dst, classes);
                    _probabilities.AsSpan(_inBuffer * classes, classes).CopyTo(editor.Values);
                    dst = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)score;
            }
            ValueGetter<uint> predicted = (ref uint dst) => dst = (uint)ResNetScorer.ArgMax(_probabilities.AsSpan(_inBuffer * classes, classes)) + 1;
            return (ValueGetter<TValue>)(Delegate)predicted;
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
