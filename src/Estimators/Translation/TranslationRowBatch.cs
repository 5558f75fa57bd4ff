using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A batch of sentence pairs as token arrays. With a token budget the batch counts as full once its
/// padded size (rows × (longest source + longest target)) reaches the budget, so batches of long
/// sentences hold fewer rows and every step costs about the same.
/// </summary>
internal sealed class TranslationRowBatch : RowBatch
{
    private readonly SentenceEncoder _encoder;
    private readonly string _sourceColumnName;
    private readonly string _targetColumnName;
    private readonly int? _maxTokens;
    private ValueGetter<ReadOnlyMemory<char>>? _source;
    private ValueGetter<ReadOnlyMemory<char>>? _target;
    private ReadOnlyMemory<char> _text;
    private int _longestSource;
    private int _longestTarget;

    public TranslationRowBatch(int capacity, SentenceEncoder encoder, string sourceColumnName, string targetColumnName, int? maxTokens) : base(capacity)
    {
        _encoder = encoder;
        _sourceColumnName = sourceColumnName;
        _targetColumnName = targetColumnName;
        _maxTokens = maxTokens;
        Sources = new int[capacity][];
        Targets = new int[capacity][];
    }

    /// <summary>Source tokens ending with the end mark.</summary>
    public int[][] Sources { get; }

    /// <summary>Target tokens without marks.</summary>
    public int[][] Targets { get; }

    /// <summary>Padded tokens the batch holds: rows × (longest source + longest target with its mark).</summary>
    public int PaddedTokens => Count * (_longestSource + _longestTarget + 1);

    public override bool IsFull => base.IsFull || (_maxTokens is int budget && PaddedTokens >= budget);

    protected override void BindValues(DataViewRowCursor cursor)
    {
        _source = cursor.GetGetter<ReadOnlyMemory<char>>(cursor.Schema[_sourceColumnName]);
        _target = cursor.GetGetter<ReadOnlyMemory<char>>(cursor.Schema[_targetColumnName]);
    }

    protected override void ReadValues(int slot)
    {
        string row = SentenceEncoder.DescribeRow(Ids[slot]);
        _source!(ref _text);
        Sources[slot] = _encoder.Source(_text.Span, _sourceColumnName, row);
        _target!(ref _text);
        Targets[slot] = _encoder.Target(_text.Span, _targetColumnName, row);
        Track(slot);
    }

    protected override void CopyValues(RowBatch source, int from, int to)
    {
        var other = (TranslationRowBatch)source;
        Sources[to] = other.Sources[from];
        Targets[to] = other.Targets[from];
        Track(to);
    }

    protected override void OnCleared()
    {
        _longestSource = 0;
        _longestTarget = 0;
    }

    private void Track(int slot)
    {
        _longestSource = Math.Max(_longestSource, Sources[slot].Length);
        _longestTarget = Math.Max(_longestTarget, Targets[slot].Length);
    }
}
