using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The translation model's part of the shared scoring machinery: reads the source column, decodes
/// a batch of sentences at once and serves the translation column.
/// </summary>
internal sealed class TranslationScoring : IBossScoring
{
    private readonly Translator _translator;
    private readonly string _sourceColumnName;
    private readonly TranslationDecoding _decoding;

    public TranslationScoring(Translator translator, string sourceColumnName, TranslationDecoding decoding)
    {
        _translator = translator;
        _sourceColumnName = sourceColumnName;
        _decoding = decoding;
        InputColumnNames = [sourceColumnName];
    }

    public IReadOnlyList<string> InputColumnNames { get; }

    public ScoringBatch CreateBatch(int capacity) => new Batch(this, capacity);

    private sealed class Batch : ScoringBatch
    {
        private readonly TranslationScoring _scoring;
        private readonly int[][] _sources;
        private string[] _translations = [];
        private DataViewRow? _row;
        private ValueGetter<ReadOnlyMemory<char>>? _source;
        private ReadOnlyMemory<char> _text;

        public Batch(TranslationScoring scoring, int capacity) : base(capacity)
        {
            _scoring = scoring;
            _sources = new int[capacity][];
        }

        public override void Bind(DataViewRow row)
        {
            _row = row;
            _source = row.GetGetter<ReadOnlyMemory<char>>(row.Schema[_scoring._sourceColumnName]);
        }

        protected override void ReadInputs(int slot)
        {
            _source!(ref _text);
            _sources[slot] = _scoring._translator.Encoder.Source(_text.Span, _scoring._sourceColumnName, $"row {_row!.Position}");
        }

        public override void Score() => _translations = _scoring._translator.Translate(_sources[..Count], _scoring._decoding);

        protected override Delegate CreateOutputGetter(int output) => output switch
        {
            0 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> dst) => dst = _translations[Current].AsMemory()),
            _ => throw new ArgumentOutOfRangeException(nameof(output), output, "The translation model has one output column."),
        };
    }
}
