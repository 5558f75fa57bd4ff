using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The translation Boss: teacher-forced encoder-decoder Transformer with a label-smoothed
/// cross-entropy, averaged over each sentence's target tokens, so every selection method gets one
/// loss per sentence pair.
/// </summary>
internal sealed class TranslationBoss : IBossModel
{
    private const string DropoutState = "dropout";
    private readonly TranslationNetwork _network;
    private readonly SentenceEncoder _encoder;
    private readonly Generator _dropoutGenerator;
    private readonly Device _device;
    private readonly double _labelSmoothing;
    private readonly string _sourceColumnName;
    private readonly string _targetColumnName;
    private readonly int? _maxTokensPerBatch;

    public TranslationBoss(TranslationNetwork network, SentenceEncoder encoder, Generator dropoutGenerator, Device device, double labelSmoothing,
        string sourceColumnName, string targetColumnName, int? maxTokensPerBatch)
    {
        _network = network;
        _encoder = encoder;
        _dropoutGenerator = dropoutGenerator;
        _device = device;
        _labelSmoothing = labelSmoothing;
        _sourceColumnName = sourceColumnName;
        _targetColumnName = targetColumnName;
        _maxTokensPerBatch = maxTokensPerBatch;
        InputColumns = [sourceColumnName, targetColumnName];
    }

    public nn.Module Module => _network;

    public IReadOnlyList<string> InputColumns { get; }

    public RowBatch CreateBatch(int capacity) => new TranslationRowBatch(capacity, _encoder, _sourceColumnName, _targetColumnName, _maxTokensPerBatch);

    public Tensor PerRowLoss(RowBatch batch, bool training)
    {
        var pairs = (TranslationRowBatch)batch;
        int n = pairs.Count;
        int pad = _encoder.Tokenizer.PadId;
        var source = TokenTensors.Padded(pairs.Sources.AsSpan(0, n), pad, _device);
        // Decoder input: begin mark + target; expected output: target + end mark (same length).
        var targetInput = TokenTensors.Padded(pairs.Targets.AsSpan(0, n), pad, _device, prefix: _encoder.Tokenizer.BeginId);
        var targetOutput = TokenTensors.Padded(pairs.Targets.AsSpan(0, n), pad, _device, suffix: _encoder.Tokenizer.EndId);
        return SentenceLosses(_network.States(source, targetInput), _network.Logits, targetOutput, pad, _labelSmoothing);
    }

    /// <summary>
    /// Each sentence's mean token loss: (1 - ε) × cross-entropy + ε × the mean over the vocabulary
    /// of -log p (label smoothing spread uniformly), padding excluded. Shape (batch).
    /// </summary>
    /// <remarks>
    /// Only the real (non-padding) target positions are projected onto the vocabulary: the
    /// projection and the softmax over it are most of a small Transformer's work, and a batch of
    /// sentences of mixed length is mostly padding at its longest sentence's width.
    /// </remarks>
    /// <param name="states">Decoder states, (batch, target length, d).</param>
    /// <param name="logits">The output projection of states (n, d) to logits (n, vocabulary).</param>
    /// <param name="targets">Expected tokens, (batch, target length), padded with <paramref name="padId"/>.</param>
    /// <param name="padId">The padding token.</param>
    /// <param name="labelSmoothing">ε, in [0, 1).</param>
    public static Tensor SentenceLosses(Tensor states, Func<Tensor, Tensor> logits, Tensor targets, int padId, double labelSmoothing)
    {
        long rows = targets.shape[0], width = targets.shape[1];
        var real = targets.ne(padId);
        var positions = real.flatten().nonzero().squeeze(1);
        var logProbabilities = nn.functional.log_softmax(logits(states.reshape(rows * width, -1).index_select(0, positions)), -1);
        var tokenLoss = logProbabilities.gather(-1, targets.flatten().index_select(0, positions).unsqueeze(-1)).squeeze(-1).neg();
        if (labelSmoothing > 0)
            tokenLoss = tokenLoss.mul(1 - labelSmoothing).add(logProbabilities.mean([-1L]).neg().mul(labelSmoothing));
        var sentenceOf = positions.div(width, rounding_mode: RoundingMode.floor);
        var sums = zeros(rows, dtype: tokenLoss.dtype, device: tokenLoss.device).index_add(0, sentenceOf, tokenLoss, 1);
        // Every target has at least its end mark, so no sentence divides by zero.
        return sums.div(real.sum(1).to(tokenLoss.dtype));
    }

    public Dictionary<string, byte[]> GetRandomStates()
    {
        using var state = _dropoutGenerator.get_state();
        return new() { [DropoutState] = state.data<byte>().ToArray() };
    }

    public void SetRandomStates(IReadOnlyDictionary<string, byte[]> states)
    {
        if (states.TryGetValue(DropoutState, out var bytes))
        {
            using var state = tensor(bytes, dtype: ScalarType.Byte);
            _dropoutGenerator.set_state(state);
        }
    }
}

/// <summary>Padded token tensors from token arrays.</summary>
internal static class TokenTensors
{
    /// <summary>(rows, longest + marks) Int64 on <paramref name="device"/>, padded at the end with <paramref name="pad"/>.</summary>
    public static Tensor Padded(ReadOnlySpan<int[]> rows, int pad, Device device, int? prefix = null, int? suffix = null)
    {
        int extra = (prefix.HasValue ? 1 : 0) + (suffix.HasValue ? 1 : 0);
        int width = 0;
        foreach (var row in rows)
            width = Math.Max(width, row.Length + extra);
        width = Math.Max(width, 1);
        var values = new long[rows.Length * width];
        Array.Fill(values, pad);
        for (int i = 0; i < rows.Length; i++)
        {
            int at = i * width;
            if (prefix is int first)
                values[at++] = first;
            foreach (var token in rows[i])
                values[at++] = token;
            if (suffix is int last)
                values[at] = last;
        }
        return tensor(values, [rows.Length, width]).to(device);
    }
}
