namespace Microsoft.ML.AutoAssist;

/// <summary>What the translation trainer and transformer do with a sentence longer than the length limit.</summary>
public enum OverlongTextHandling
{
    /// <summary>Keep the first tokens that fit.</summary>
    Truncate,

    /// <summary>Refuse the sentence: Fit or scoring throws an <see cref="InvalidDataException"/> that names the row.</summary>
    Throw,
}

/// <summary>
/// Options of the encoder-decoder Transformer translation trainer. The defaults are a small model
/// (3 + 3 layers, d 256) trained the usual way for Transformers: AdamW, inverse-square-root
/// schedule after a warm-up, label smoothing, gradient clipping.
/// </summary>
public sealed class TranslationTrainerOptions : BossTrainerOptions
{
    /// <summary>Creates options with the Transformer's usual training settings.</summary>
    public TranslationTrainerOptions()
    {
        BatchSize = 64;
        Optimizer = OptimizerAlgorithm.AdamW;
        LearningRate = 7e-4;
        WeightDecay = 0;
        LearningRateSchedule = LearningRateSchedule.InverseSquareRoot;
        WarmupFraction = 0.05;
        MaxGradientNorm = 1.0;
    }

    /// <summary>Source-sentence text column.</summary>
    public string SourceColumnName = "Source";

    /// <summary>Target-sentence (reference translation) text column; only training reads it.</summary>
    public string TargetColumnName = "Target";

    /// <summary>The text column the fitted transformer adds with each source sentence's translation.</summary>
    public string OutputColumnName = "Translation";

    /// <summary>
    /// The SentencePiece model (BPE or unigram) of the joint source/target vocabulary, as
    /// build/build-tokenizer.sh trains it. It is saved inside the fitted model.
    /// </summary>
    public string? TokenizerModelPath;

    /// <summary>Encoder layers.</summary>
    public int EncoderLayers = 3;

    /// <summary>Decoder layers.</summary>
    public int DecoderLayers = 3;

    /// <summary>Width of the embeddings and of every layer (d_model), even and a multiple of <see cref="AttentionHeads"/>.</summary>
    public int ModelDimension = 256;

    /// <summary>Attention heads per attention block.</summary>
    public int AttentionHeads = 4;

    /// <summary>Hidden width of the feed-forward blocks.</summary>
    public int FeedForwardDimension = 1024;

    /// <summary>Dropout probability on embeddings, attention weights, feed-forward activations and residual branches, in [0, 1).</summary>
    public double Dropout = 0.1;

    /// <summary>Label smoothing: share of each target's probability spread over the vocabulary, in [0, 1).</summary>
    public double LabelSmoothing = 0.1;

    /// <summary>Longest source in subword tokens, end mark included.</summary>
    public int MaxSourceLength = 128;

    /// <summary>Longest training target in subword tokens, end mark included.</summary>
    public int MaxTargetLength = 128;

    /// <summary>What happens to a source or target longer than its limit, in training and in scoring.</summary>
    public OverlongTextHandling OverlongText = OverlongTextHandling.Truncate;

    /// <summary>
    /// Token budget of a training batch: a batch ends when its padded size (rows × longest source
    /// plus longest target) reaches it, or at <see cref="BossTrainerOptions.BatchSize"/> rows.
    /// Null: batches of BatchSize rows.
    /// </summary>
    public int? MaxTokensPerBatch;

    /// <summary>Beam width of the fitted transformer's decoding; 1 is greedy decoding.</summary>
    public int BeamSize = 4;

    /// <summary>Beam search's length penalty α (Wu et al. 2016): scores are divided by ((5 + length) / 6)^α; 0 ranks by total log-probability.</summary>
    public double LengthPenalty = 0.6;

    /// <summary>Longest translation in subword tokens.</summary>
    public int MaxTranslationLength = 128;

    /// <summary>A copy the trainer keeps (see <see cref="BossTrainerOptions.Clone"/>).</summary>
    internal new TranslationTrainerOptions Clone() => (TranslationTrainerOptions)base.Clone();

    /// <summary>The decoding the fitted transformer starts with.</summary>
    internal TranslationDecoding Decoding => new(BeamSize, LengthPenalty, MaxTranslationLength);

    internal override IEnumerable<KeyValuePair<string, object?>> TrainingSettings() =>
    [
        .. base.TrainingSettings(),
        new(nameof(SourceColumnName), SourceColumnName),
        new(nameof(TargetColumnName), TargetColumnName),
        new(nameof(EncoderLayers), EncoderLayers),
        new(nameof(DecoderLayers), DecoderLayers),
        new(nameof(ModelDimension), ModelDimension),
        new(nameof(AttentionHeads), AttentionHeads),
        new(nameof(FeedForwardDimension), FeedForwardDimension),
        new(nameof(Dropout), Dropout),
        new(nameof(LabelSmoothing), LabelSmoothing),
        new(nameof(MaxSourceLength), MaxSourceLength),
        new(nameof(MaxTargetLength), MaxTargetLength),
        new(nameof(OverlongText), OverlongText),
        new(nameof(MaxTokensPerBatch), MaxTokensPerBatch),
    ];

    internal override void Validate()
    {
        base.Validate();
        void Check(bool ok, string name, object? value, string rule) => OptionCheck.That(ok, nameof(TranslationTrainerOptions), name, value, rule);

        Check(!string.IsNullOrEmpty(SourceColumnName), nameof(SourceColumnName), SourceColumnName, "must name the source text column");
        Check(!string.IsNullOrEmpty(TargetColumnName), nameof(TargetColumnName), TargetColumnName, "must name the target text column");
        Check(!string.IsNullOrEmpty(OutputColumnName), nameof(OutputColumnName), OutputColumnName, "must name the translation column");
        Check(!string.IsNullOrEmpty(TokenizerModelPath), nameof(TokenizerModelPath), TokenizerModelPath, "must name a SentencePiece model file (build/build-tokenizer.sh makes one)");
        Check(EncoderLayers >= 1, nameof(EncoderLayers), EncoderLayers, "must be at least 1");
        Check(DecoderLayers >= 1, nameof(DecoderLayers), DecoderLayers, "must be at least 1");
        Check(AttentionHeads >= 1, nameof(AttentionHeads), AttentionHeads, "must be at least 1");
        Check(ModelDimension >= 2 && ModelDimension % 2 == 0 && ModelDimension % Math.Max(1, AttentionHeads) == 0, nameof(ModelDimension), ModelDimension,
            $"must be even and a multiple of AttentionHeads = {AttentionHeads}");
        Check(FeedForwardDimension >= 1, nameof(FeedForwardDimension), FeedForwardDimension, "must be at least 1");
        Check(Dropout >= 0 && Dropout < 1, nameof(Dropout), Dropout, "must be in [0, 1)");
        Check(LabelSmoothing >= 0 && LabelSmoothing < 1, nameof(LabelSmoothing), LabelSmoothing, "must be in [0, 1)");
        Check(MaxSourceLength >= 1, nameof(MaxSourceLength), MaxSourceLength, "must be at least 1");
        Check(MaxTargetLength >= 1, nameof(MaxTargetLength), MaxTargetLength, "must be at least 1");
        Check(Enum.IsDefined(OverlongText), nameof(OverlongText), OverlongText, "is not a known handling");
        Check(MaxTokensPerBatch is null or >= 1, nameof(MaxTokensPerBatch), MaxTokensPerBatch, "must be at least 1");
        Check(BeamSize >= 1, nameof(BeamSize), BeamSize, "must be at least 1");
        Check(LengthPenalty >= 0 && double.IsFinite(LengthPenalty), nameof(LengthPenalty), LengthPenalty, "must be finite and zero or positive");
        Check(MaxTranslationLength >= 1, nameof(MaxTranslationLength), MaxTranslationLength, "must be at least 1");
    }
}
