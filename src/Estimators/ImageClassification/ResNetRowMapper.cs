using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>Row-by-row scoring (PredictionEngine): a forward pass of one image per getter call.</summary>
internal sealed class ResNetRowMapper : IRowToRowMapper
{
    private readonly ImageClassificationTransformer _parent;

    public ResNetRowMapper(ImageClassificationTransformer parent, DataViewSchema inputSchema)
    {
        _parent = parent;
        InputSchema = inputSchema;
        OutputSchema = parent.GetOutputSchema(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = dependingColumns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= InputSchema.Count))
            needed.Add(InputSchema[_parent.FeatureColumnName]);
        return needed.Distinct();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => new Row(this, input);

    private sealed class Row : DataViewRow
    {
        private readonly ResNetRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly float[] _pixels;
        private readonly float[] _probabilities;
        private VBuffer<float> _buffer;

        public Row(ResNetRowMapper mapper, DataViewRow input)
        {
            _mapper = mapper;
            _input = input;
            var scorer = mapper._parent.Scorer;
            _features = input.GetGetter<VBuffer<float>>(input.Schema[mapper._parent.FeatureColumnName]);
            _pixels = new float[scorer.Shape.PixelCount];
            _probabilities = new float[scorer.ClassCount];
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        private void Score()
        {
            _features(ref _buffer);
            if (_buffer.Length != _pixels.Length)
                throw new InvalidDataException($"Column '{_mapper._parent.FeatureColumnName}' holds {_buffer.Length} values; the model needs {_pixels.Length}.");
            _buffer.CopyTo(_pixels);
            _mapper._parent.Scorer.Score(_pixels, 1, _probabilities);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _mapper.InputSchema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (column.Index == inputCount)
            {
                ValueGetter<VBuffer<float>> score = (ref VBuffer<float> dst) =>
                {
                    Score();
                    var editor = VBufferEditor.Create(ref dst, _probabilities.Length);
                    _probabilities.CopyTo(editor.Values);
                    dst = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)score;
            }
            ValueGetter<uint> predicted = (ref uint dst) =>
            {
                Score();
                dst = (uint)ResNetScorer.ArgMax(_probabilities) + 1;
            };
            return (ValueGetter<TValue>)(Delegate)predicted;
        }
    }
}
