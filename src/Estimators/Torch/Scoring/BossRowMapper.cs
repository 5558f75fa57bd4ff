using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Row-by-row scoring (a PredictionEngine) for a fitted Boss: the network runs once per input row,
/// however many output columns are read, because the row remembers which input position it scored.
/// </summary>
internal sealed class BossRowMapper : IRowToRowMapper
{
    private readonly IBossScoring _scoring;

    /// <param name="scoring">The Boss's scoring.</param>
    /// <param name="inputSchema">The rows' schema.</param>
    /// <param name="outputSchema">The input's columns, then the Boss's output columns.</param>
    public BossRowMapper(IBossScoring scoring, DataViewSchema inputSchema, DataViewSchema outputSchema)
    {
        _scoring = scoring;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = dependingColumns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= InputSchema.Count))
            needed.AddRange(_scoring.InputColumnNames.Select(name => InputSchema[name]));
        return needed.Distinct();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => new Row(this, input);

    private sealed class Row : DataViewRow
    {
        private readonly BossRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly ScoringBatch _batch;
        private long _scoredPosition = -1;

        public Row(BossRowMapper mapper, DataViewRow input)
        {
            _mapper = mapper;
            _input = input;
            _batch = mapper._scoring.CreateBatch(capacity: 1);
            _batch.Bind(input);
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        /// <summary>Scores the input's current row unless it was scored already (another output column asked first).</summary>
        private void EnsureScored()
        {
            if (_scoredPosition == _input.Position && _scoredPosition >= 0)
                return;
            _batch.Clear();
            _batch.Append();
            _batch.Score();
            _scoredPosition = _input.Position;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _mapper.InputSchema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            var read = _batch.GetOutputGetter<TValue>(column.Index - inputCount, column);
            return (ref TValue value) =>
            {
                EnsureScored();
                read(ref value);
            };
        }
    }
}
