using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Group testing's part of the shared scoring machinery: a scoring batch holds whole groups of
/// consecutive rows, runs the algorithm on them, and serves each row's Score (the logit of
/// "positive", less the group threshold where a group test decided the row) and PredictedLabel
/// (Score above zero).
/// </summary>
internal sealed class GroupTestingScoring : IBossScoring
{
    /// <summary>Groups per scoring batch: the tests of one round run together in one call.</summary>
    public const int GroupsPerBatch = 16;

    private readonly IGroupTester _tester;
    private readonly string _featureColumnName;
    private readonly GroupTestingInferenceOptions _options;
    private readonly GroupTestingStatistics _statistics;

    public GroupTestingScoring(IGroupTester tester, string featureColumnName, GroupTestingInferenceOptions options, GroupTestingStatistics statistics)
    {
        _tester = tester;
        _featureColumnName = featureColumnName;
        _options = options;
        _statistics = statistics;
        InputColumnNames = [featureColumnName];
    }

    public IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>A multiple of the group size, so that groups never straddle two batches.</summary>
    public int BatchSize => _options.GroupSize * GroupsPerBatch;

    public ScoringBatch CreateBatch(int capacity) => new Batch(this, capacity);

    private sealed class Batch : ScoringBatch
    {
        private readonly GroupTestingScoring _scoring;
        private readonly float[] _rows;
        private float[] _scores = [];
        private ValueGetter<VBuffer<float>>? _features;
        private VBuffer<float> _buffer;

        public Batch(GroupTestingScoring scoring, int capacity) : base(capacity)
        {
            _scoring = scoring;
            _rows = new float[capacity * scoring._tester.RowLength];
        }

        private int RowLength => _scoring._tester.RowLength;

        public override void Bind(DataViewRow row)
            => _features = row.GetGetter<VBuffer<float>>(row.Schema[_scoring._featureColumnName]);

        protected override void ReadInputs(int slot)
        {
            _features!(ref _buffer);
            if (_buffer.Length != RowLength)
                throw new InvalidDataException($"Column '{_scoring._featureColumnName}' holds {_buffer.Length} values in a row; the model needs {RowLength}.");
            _buffer.CopyTo(_rows.AsSpan(slot * RowLength, RowLength));
        }

        public override void Score()
        {
            var s = _scoring;
            using (var session = s._tester.Begin(_rows, Count, s._statistics))
                _scores = GroupTestingAlgorithms.Run(s._options.Algorithm, session, Count, s._options.GroupSize, s._options.Seed, s._options.GroupThreshold);
            s._statistics.AddRows(Count, s._tester.IndividualMultiplyAccumulates);
        }

        protected override Delegate CreateOutputGetter(int output) => output switch
        {
            0 => (ValueGetter<float>)((ref float dst) => dst = _scores[Current]),
            1 => (ValueGetter<bool>)((ref bool dst) => dst = _scores[Current] > 0),
            _ => throw new ArgumentOutOfRangeException(nameof(output), output, "Group testing has two output columns: Score and PredictedLabel."),
        };
    }
}
