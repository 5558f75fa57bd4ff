using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Decodes batches of source sentences with a trained <see cref="TranslationNetwork"/>: greedy, or
/// beam search with a length penalty. Each step runs the decoder on the newest token only, with the
/// earlier positions' keys and values cached. One batch at a time per network.
/// </summary>
internal sealed class Translator
{
    public Translator(TranslationNetwork network, SentenceEncoder encoder, Device device)
    {
        Network = network;
        Encoder = encoder;
        Device = device;
    }

    public TranslationNetwork Network { get; }

    public SentenceEncoder Encoder { get; }

    public Device Device { get; }

    private SubwordTokenizer Tokenizer => Encoder.Tokenizer;

    /// <summary>Sentences decoded together at most; longer lists are decoded in batches of this size.</summary>
    public const int MaxBatchSize = 64;

    /// <summary>The translations of <paramref name="sources"/> (token arrays ending with the end mark).</summary>
    /// <remarks>
    /// Sentences are decoded in batches of similar source length (less padding), and returned in
    /// the order given. A sentence's translation does not depend on its batch neighbours.
    /// </remarks>
    public string[] Translate(IReadOnlyList<int[]> sources, TranslationDecoding decoding)
    {
        var translations = new string[sources.Count];
        var byLength = Enumerable.Range(0, sources.Count).OrderBy(i => sources[i].Length).ToArray();
        foreach (var batch in byLength.Chunk(MaxBatchSize))
        {
            var batchSources = batch.Select(i => sources[i]).ToArray();
            var tokens = decoding.BeamSize == 1 ? Greedy(batchSources, decoding.MaxLength) : BeamSearch(batchSources, decoding);
            for (int j = 0; j < batch.Length; j++)
                translations[batch[j]] = Tokenizer.Decode(tokens[j]);
        }
        return translations;
    }

    /// <summary>Greedy decoding: each sentence's tokens up to its end mark.</summary>
    internal int[][] Greedy(IReadOnlyList<int[]> sources, int maxLength)
    {
        lock (Network)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Network.eval();
            int n = sources.Count, pad = Tokenizer.PadId, end = Tokenizer.EndId;
            var source = TokenTensors.Padded(sources.ToArray(), pad, Device);
            var sourceMask = Network.SourcePadMask(source);
            var memory = Network.Encode(source, sourceMask);
            var prefix = full(n, 1, Tokenizer.BeginId, dtype: ScalarType.Int64, device: Device);
            var finished = zeros(n, dtype: ScalarType.Bool, device: Device);
            var blocked = BlockedTokens();
            var cache = Network.NewCache();
            for (int step = 0; step < maxLength; step++)
            {
                var logits = Network.DecodeStep(prefix.narrow(1, step, 1), step, memory, sourceMask, cache).masked_fill(blocked, float.NegativeInfinity);
                var next = logits.argmax(-1).masked_fill(finished, pad);
                prefix = cat([prefix, next.unsqueeze(1)], 1);
                finished = finished.logical_or(next.eq(end));
                if (finished.all().item<bool>())
                    break;
            }
            return Rows(prefix.slice(1, 1, prefix.shape[1], 1));
        }
    }

    /// <summary>Beam search: each sentence's best finished hypothesis by length-penalised log-probability.</summary>
    internal int[][] BeamSearch(IReadOnlyList<int[]> sources, TranslationDecoding decoding)
    {
        lock (Network)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Network.eval();
            int n = sources.Count, k = decoding.BeamSize, pad = Tokenizer.PadId, end = Tokenizer.EndId;
            long vocabulary = Tokenizer.VocabularySize;
            var source = TokenTensors.Padded(sources.ToArray(), pad, Device).repeat_interleave(k, 0);
            var sourceMask = Network.SourcePadMask(source);
            var memory = Network.Encode(source, sourceMask);
            var prefix = full(n * k, 1, Tokenizer.BeginId, dtype: ScalarType.Int64, device: Device);
            // Every beam starts as the same hypothesis: only the first may expand, or the beam would hold k copies.
            var scores = zeros(n, k, device: Device);
            if (k > 1)
                scores.index_put_(float.NegativeInfinity, TensorIndex.Colon, TensorIndex.Slice(1));
            var finished = zeros(n * k, dtype: ScalarType.Bool, device: Device);
            var lengths = zeros(n * k, device: Device);
            var blocked = BlockedTokens();
            // A finished hypothesis may only be extended by padding, at no cost: its score stays as it was.
            var onlyPad = full(vocabulary, float.NegativeInfinity, device: Device).index_put_(0f, TensorIndex.Single(pad));
            var offsets = arange(n, dtype: ScalarType.Int64, device: Device).mul(k).unsqueeze(1);
            var cache = Network.NewCache();
            for (int step = 0; step < decoding.MaxLength; step++)
            {
                var logits = Network.DecodeStep(prefix.narrow(1, step, 1), step, memory, sourceMask, cache);
                var logProbabilities = nn.functional.log_softmax(logits, -1).masked_fill(blocked, float.NegativeInfinity);
                logProbabilities = where(finished.unsqueeze(1), onlyPad.unsqueeze(0), logProbabilities);
                var total = scores.reshape(n * k, 1).add(logProbabilities).reshape(n, k * vocabulary);
                var (best, indices) = total.topk(k, dim: 1);
                var beam = indices.div(vocabulary, rounding_mode: RoundingMode.floor);
                var token = indices.remainder(vocabulary);
                var rows = beam.add(offsets).reshape(n * k);
                var tokenColumn = token.reshape(n * k);
                prefix = cat([prefix.index_select(0, rows), tokenColumn.unsqueeze(1)], 1);
                cache.Reorder(rows);
                var wasFinished = finished.index_select(0, rows);
                lengths = lengths.index_select(0, rows).add(wasFinished.logical_not().to(ScalarType.Float32));
                finished = wasFinished.logical_or(tokenColumn.eq(end));
                scores = best;
                if (finished.all().item<bool>())
                    break;
            }
            // Rank by score / ((5 + length) / 6)^α; the best hypothesis of each sentence wins.
            var penalty = lengths.add(5).div(6).pow(decoding.LengthPenalty).reshape(n, k);
            var winner = scores.div(penalty).argmax(1).add(offsets.squeeze(1));
            return Rows(prefix.index_select(0, winner).slice(1, 1, prefix.shape[1], 1));
        }
    }

    /// <summary>True for the ids a translation never contains: padding and the begin mark.</summary>
    private Tensor BlockedTokens()
    {
        var blocked = zeros(Tokenizer.VocabularySize, dtype: ScalarType.Bool, device: Device);
        blocked[Tokenizer.PadId] = true;
        blocked[Tokenizer.BeginId] = true;
        return blocked;
    }

    /// <summary>Each row's tokens up to (without) the end mark.</summary>
    private int[][] Rows(Tensor generated)
    {
        long width = generated.shape[1];
        var values = generated.cpu().data<long>().ToArray();
        var rows = new int[generated.shape[0]][];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = new List<int>();
            for (long j = 0; j < width; j++)
            {
                int token = (int)values[i * width + j];
                if (token == Tokenizer.EndId || token == Tokenizer.PadId)
                    break;
                row.Add(token);
            }
            rows[i] = row.ToArray();
        }
        return rows;
    }
}
