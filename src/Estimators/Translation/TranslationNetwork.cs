using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.AutoAssist;

/// <summary>The size of a <see cref="TranslationNetwork"/>: everything needed to rebuild it before loading weights.</summary>
internal sealed record TranslationArchitecture(int VocabularySize, int PadId, int EncoderLayers, int DecoderLayers, int ModelDimension,
    int AttentionHeads, int FeedForwardDimension, double Dropout);

/// <summary>
/// An encoder-decoder Transformer (Vaswani et al. 2017) with pre-norm layers (Xiong et al. 2020),
/// one embedding shared by source, target and output projection (the vocabulary is joint),
/// sinusoidal positions, and dropout drawn from a generator the trainer owns.
/// </summary>
/// <remarks>
/// Token tensors are (batch, length) of Int64, padded with <see cref="TranslationArchitecture.PadId"/>.
/// Attention is written out rather than taken from nn.MultiheadAttention so its dropout, like every
/// other dropout here, draws from <see cref="GeneratorDropout"/>'s generator and not TorchSharp's
/// global one.
/// </remarks>
internal sealed class TranslationNetwork : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly ModuleList<EncoderLayer> encoder;
    private readonly LayerNorm encoder_norm;
    private readonly ModuleList<DecoderLayer> decoder;
    private readonly LayerNorm decoder_norm;
    private readonly GeneratorDropout dropout;

    public TranslationNetwork(TranslationArchitecture architecture, Generator? dropoutGenerator) : base(nameof(TranslationNetwork))
    {
        Architecture = architecture;
        var a = architecture;
        if (a.ModelDimension % a.AttentionHeads != 0)
            throw new ArgumentException($"The model dimension ({a.ModelDimension}) must be a multiple of the attention heads ({a.AttentionHeads}).");
        if (a.ModelDimension % 2 != 0)
            throw new ArgumentException($"The model dimension ({a.ModelDimension}) must be even for sinusoidal positions.");
        embedding = Embedding(a.VocabularySize, a.ModelDimension);
        encoder = new ModuleList<EncoderLayer>(Enumerable.Range(0, a.EncoderLayers).Select(_ => new EncoderLayer(a, dropoutGenerator)).ToArray());
        encoder_norm = LayerNorm(a.ModelDimension);
        decoder = new ModuleList<DecoderLayer>(Enumerable.Range(0, a.DecoderLayers).Select(_ => new DecoderLayer(a, dropoutGenerator)).ToArray());
        decoder_norm = LayerNorm(a.ModelDimension);
        dropout = new GeneratorDropout(a.Dropout, dropoutGenerator);
        RegisterComponents();
    }

    public TranslationArchitecture Architecture { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Draws every weight from <paramref name="generator"/> (CPU): Xavier-uniform projections, N(0, 1/d) embeddings.</summary>
    public void InitializeWeights(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.Contains("norm"))
                continue; // LayerNorm keeps weight 1, bias 0
            if (name == "embedding.weight")
                Fill(parameter, randn(parameter.shape, generator: generator).mul_(Math.Pow(Architecture.ModelDimension, -0.5)));
            else if (name.EndsWith(".bias"))
                parameter.zero_();
            else
            {
                double bound = Math.Sqrt(6.0 / (parameter.shape[0] + parameter.shape[1]));
                Fill(parameter, rand(parameter.shape, generator: generator).mul_(2 * bound).sub_(bound));
            }
        }

        static void Fill(Tensor target, Tensor values)
        {
            using (values)
                target.copy_(values);
        }
    }

    /// <summary>Teacher-forced logits: (batch, target length, vocabulary).</summary>
    public override Tensor forward(Tensor source, Tensor targetInput) => Logits(States(source, targetInput));

    /// <summary>Teacher-forced decoder states, (batch, target length, d): <see cref="forward"/> before the output projection.</summary>
    public Tensor States(Tensor source, Tensor targetInput)
    {
        var sourceMask = SourcePadMask(source);
        return DecoderStates(targetInput, Encode(source, sourceMask), sourceMask);
    }

    /// <summary>True at the source's padding, shaped to broadcast over (batch, heads, queries, keys).</summary>
    public Tensor SourcePadMask(Tensor source) => source.eq(Architecture.PadId).unsqueeze(1).unsqueeze(2);

    /// <summary>The encoder's output, (batch, source length, d).</summary>
    public Tensor Encode(Tensor source, Tensor sourceMask)
    {
        var x = Embed(source);
        foreach (var layer in encoder)
            x = layer.forward(x, sourceMask);
        return encoder_norm.forward(x);
    }

    /// <summary>Logits for every target position, (batch, target length, vocabulary); position t sees targets up to t.</summary>
    public Tensor Decode(Tensor targetInput, Tensor memory, Tensor sourceMask)
        => Logits(DecoderStates(targetInput, memory, sourceMask));

    /// <summary>Logits of decoder states of any shape (..., d): the output projection is the shared embedding.</summary>
    public Tensor Logits(Tensor states) => states.matmul(embedding.weight!.t());

    /// <summary>The decoder's normalised output, (batch, target length, d), before the output projection.</summary>
    public Tensor DecoderStates(Tensor targetInput, Tensor memory, Tensor sourceMask)
    {
        long length = targetInput.shape[1];
        // Only the causal mask: padded target positions come after the real ones, so no real query sees them.
        var causal = ones(length, length, dtype: ScalarType.Bool, device: targetInput.device).triu(1).unsqueeze(0).unsqueeze(0);
        var x = Embed(targetInput);
        foreach (var layer in decoder)
            x = layer.forward(x, memory, causal, sourceMask);
        return decoder_norm.forward(x);
    }

    /// <summary>A cache for <see cref="DecodeStep"/>, one entry per decoder layer.</summary>
    public DecoderCache NewCache() => new(decoder.Count);

    /// <summary>
    /// Logits of the next token, (batch, vocabulary), given the last token (batch, 1) at
    /// <paramref name="position"/>: the same as the last position of <see cref="Decode"/> on the
    /// whole prefix, but each layer reuses the keys and values the cache holds for earlier positions.
    /// </summary>
    public Tensor DecodeStep(Tensor lastToken, long position, Tensor memory, Tensor sourceMask, DecoderCache cache)
    {
        int d = Architecture.ModelDimension;
        var x = embedding.forward(lastToken).mul(Math.Sqrt(d));
        x = dropout.forward(x + Positions(position + 1, d, x.device).narrow(0, position, 1));
        for (int i = 0; i < decoder.Count; i++)
            x = decoder[i].Step(x, memory, sourceMask, cache.Layers[i]);
        return decoder_norm.forward(x).squeeze(1).matmul(embedding.weight!.t());
    }

    private Tensor Embed(Tensor tokens)
    {
        int d = Architecture.ModelDimension;
        var x = embedding.forward(tokens).mul(Math.Sqrt(d));
        return dropout.forward(x + Positions(tokens.shape[1], d, x.device));
    }

    /// <summary>Sinusoidal positions (length, d): sin on even dimensions, cos on odd ones.</summary>
    private static Tensor Positions(long length, int d, Device device)
    {
        var position = arange(length, dtype: ScalarType.Float32, device: device).unsqueeze(1);
        var frequency = exp(arange(0, d, 2, dtype: ScalarType.Float32, device: device).mul(-Math.Log(10000.0) / d));
        var angles = position * frequency;
        return stack([sin(angles), cos(angles)], dim: 2).reshape(length, d);
    }
}

/// <summary>Dropout whose mask is drawn from a given generator (TorchSharp's nn.Dropout always uses the global one).</summary>
internal sealed class GeneratorDropout : Module<Tensor, Tensor>
{
    private readonly double _probability;
    private readonly Generator? _generator;

    public GeneratorDropout(double probability, Generator? generator) : base(nameof(GeneratorDropout))
    {
        _probability = probability;
        _generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _probability <= 0)
            return input.alias();
        if (_generator is null)
            throw new InvalidOperationException("Dropout in training mode needs the trainer's generator.");
        var keep = rand(input.shape, device: input.device, generator: _generator).ge(_probability);
        return input.mul(keep).div(1 - _probability);
    }
}

/// <summary>Multi-head scaled dot-product attention.</summary>
internal sealed class MultiHeadAttention : Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly GeneratorDropout dropout;
    private readonly int _heads;

    public MultiHeadAttention(int dimension, int heads, double dropoutProbability, Generator? dropoutGenerator) : base(nameof(MultiHeadAttention))
    {
        _heads = heads;
        q_proj = Linear(dimension, dimension);
        k_proj = Linear(dimension, dimension);
        v_proj = Linear(dimension, dimension);
        out_proj = Linear(dimension, dimension);
        dropout = new GeneratorDropout(dropoutProbability, dropoutGenerator);
        RegisterComponents();
    }

    /// <param name="query">(batch, queries, d).</param>
    /// <param name="keyValue">(batch, keys, d).</param>
    /// <param name="mask">True where a query may not look; broadcast to (batch, heads, queries, keys).</param>
    public override Tensor forward(Tensor query, Tensor keyValue, Tensor? mask)
    {
        var (keys, values) = KeysAndValues(keyValue);
        return Attend(query, keys, values, mask);
    }

    /// <summary>The keys and values of <paramref name="keyValue"/> (batch, length, d), each (batch, heads, length, d / heads).</summary>
    public (Tensor Keys, Tensor Values) KeysAndValues(Tensor keyValue)
        => (SplitHeads(k_proj.forward(keyValue)), SplitHeads(v_proj.forward(keyValue)));

    /// <summary>Attention of <paramref name="query"/> (batch, queries, d) over keys and values already split into heads.</summary>
    public Tensor Attend(Tensor query, Tensor keys, Tensor values, Tensor? mask)
    {
        long batch = query.shape[0], queries = query.shape[1], d = query.shape[2];
        var q = SplitHeads(q_proj.forward(query));
        var scores = q.matmul(keys.transpose(-2, -1)).div(Math.Sqrt(d / _heads));
        if (mask is not null)
            scores = scores.masked_fill(mask, -1e9); // large but finite: a row with every key masked stays defined
        var weights = dropout.forward(functional.softmax(scores, -1));
        var context = weights.matmul(values).transpose(1, 2).reshape(batch, queries, d);
        return out_proj.forward(context);
    }

    private Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], _heads, x.shape[2] / _heads).transpose(1, 2);
}

/// <summary>Position-wise feed-forward block: linear, ReLU, dropout, linear.</summary>
internal sealed class FeedForward : Module<Tensor, Tensor>
{
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly GeneratorDropout dropout;

    public FeedForward(int dimension, int hidden, double dropoutProbability, Generator? dropoutGenerator) : base(nameof(FeedForward))
    {
        linear1 = Linear(dimension, hidden);
        linear2 = Linear(hidden, dimension);
        dropout = new GeneratorDropout(dropoutProbability, dropoutGenerator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => linear2.forward(dropout.forward(functional.relu(linear1.forward(x))));
}

/// <summary>Pre-norm encoder layer: x + self-attention(norm(x)), then x + feed-forward(norm(x)).</summary>
internal sealed class EncoderLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly MultiHeadAttention self_attn;
    private readonly FeedForward ffn;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly GeneratorDropout dropout;

    public EncoderLayer(TranslationArchitecture a, Generator? dropoutGenerator) : base(nameof(EncoderLayer))
    {
        self_attn = new MultiHeadAttention(a.ModelDimension, a.AttentionHeads, a.Dropout, dropoutGenerator);
        ffn = new FeedForward(a.ModelDimension, a.FeedForwardDimension, a.Dropout, dropoutGenerator);
        norm1 = LayerNorm(a.ModelDimension);
        norm2 = LayerNorm(a.ModelDimension);
        dropout = new GeneratorDropout(a.Dropout, dropoutGenerator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor sourceMask)
    {
        var h = norm1.forward(x);
        x = x + dropout.forward(self_attn.forward(h, h, sourceMask));
        return x + dropout.forward(ffn.forward(norm2.forward(x)));
    }
}

/// <summary>Pre-norm decoder layer: causal self-attention, attention to the encoder's output, feed-forward.</summary>
internal sealed class DecoderLayer : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly MultiHeadAttention self_attn;
    private readonly MultiHeadAttention cross_attn;
    private readonly FeedForward ffn;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly LayerNorm norm3;
    private readonly GeneratorDropout dropout;

    public DecoderLayer(TranslationArchitecture a, Generator? dropoutGenerator) : base(nameof(DecoderLayer))
    {
        self_attn = new MultiHeadAttention(a.ModelDimension, a.AttentionHeads, a.Dropout, dropoutGenerator);
        cross_attn = new MultiHeadAttention(a.ModelDimension, a.AttentionHeads, a.Dropout, dropoutGenerator);
        ffn = new FeedForward(a.ModelDimension, a.FeedForwardDimension, a.Dropout, dropoutGenerator);
        norm1 = LayerNorm(a.ModelDimension);
        norm2 = LayerNorm(a.ModelDimension);
        norm3 = LayerNorm(a.ModelDimension);
        dropout = new GeneratorDropout(a.Dropout, dropoutGenerator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor memory, Tensor causalMask, Tensor sourceMask)
    {
        var h = norm1.forward(x);
        x = x + dropout.forward(self_attn.forward(h, h, causalMask));
        x = x + dropout.forward(cross_attn.forward(norm2.forward(x), memory, sourceMask));
        return x + dropout.forward(ffn.forward(norm3.forward(x)));
    }

    /// <summary>One new position x (batch, 1, d): attends to the cached earlier positions and itself (no mask needed).</summary>
    public Tensor Step(Tensor x, Tensor memory, Tensor sourceMask, DecoderLayerCache cache)
    {
        var h = norm1.forward(x);
        var (keys, values) = self_attn.KeysAndValues(h);
        cache.AppendSelf(keys, values);
        x = x + dropout.forward(self_attn.Attend(h, cache.SelfKeys!, cache.SelfValues!, mask: null));
        if (cache.MemoryKeys is null)
            (cache.MemoryKeys, cache.MemoryValues) = cross_attn.KeysAndValues(memory);
        x = x + dropout.forward(cross_attn.Attend(norm2.forward(x), cache.MemoryKeys, cache.MemoryValues!, sourceMask));
        return x + dropout.forward(ffn.forward(norm3.forward(x)));
    }
}

/// <summary>
/// What incremental decoding keeps between steps: per decoder layer, the self-attention keys and
/// values of the positions decoded so far, and the encoder output's keys and values (computed once).
/// The tensors belong to the dispose scope the decoding runs in.
/// </summary>
internal sealed class DecoderCache
{
    public DecoderCache(int layers) => Layers = Enumerable.Range(0, layers).Select(_ => new DecoderLayerCache()).ToArray();

    public DecoderLayerCache[] Layers { get; }

    /// <summary>Keeps the rows <paramref name="rows"/> (batch order after a beam-search step).</summary>
    public void Reorder(Tensor rows)
    {
        foreach (var layer in Layers)
            layer.Reorder(rows);
    }
}

/// <summary>One decoder layer's part of a <see cref="DecoderCache"/>; tensors are (batch, heads, positions, d / heads).</summary>
internal sealed class DecoderLayerCache
{
    public Tensor? SelfKeys { get; private set; }

    public Tensor? SelfValues { get; private set; }

    public Tensor? MemoryKeys { get; set; }

    public Tensor? MemoryValues { get; set; }

    public void AppendSelf(Tensor keys, Tensor values)
    {
        SelfKeys = SelfKeys is null ? keys : cat([SelfKeys, keys], 2);
        SelfValues = SelfValues is null ? values : cat([SelfValues, values], 2);
    }

    public void Reorder(Tensor rows)
    {
        SelfKeys = SelfKeys?.index_select(0, rows);
        SelfValues = SelfValues?.index_select(0, rows);
        // Beam search reorders within each sentence's beams, and every beam of a sentence has the
        // same encoder output, so the memory's keys and values need no reordering.
    }
}
