using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Trains an encoder-decoder Transformer that translates a source text column (the Boss). When its
/// input is the AutoAssist filter's view it trains on the sentence pairs the selection keeps and
/// reports each pair's loss (its mean token loss) back; otherwise it trains on every pair through
/// the same loop. Create it with <c>mlContext.Translation().Trainers.Transformer</c>.
/// </summary>
public sealed class TranslationTrainer : IEstimator<TranslationTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly TranslationTrainerOptions _options;

    internal TranslationTrainer(IHostEnvironment env, TranslationTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Train from a copy, validated now: edits to the caller's object after this cannot skip the checks.
        _options = options.Clone();
        _options.Validate();
        _env = env;
    }

    /// <inheritdoc/>
    public TranslationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        TextColumns.Require(input.Schema, o.SourceColumnName, "source");
        TextColumns.Require(input.Schema, o.TargetColumnName, "target");
        var tokenizer = SubwordTokenizer.Load(o.TokenizerModelPath!);
        var encoder = new SentenceEncoder(tokenizer, o.MaxSourceLength, o.MaxTargetLength, o.OverlongText);
        int seed = o.Seed ?? _env.Register(nameof(TranslationTrainer)).Rand.Next();

        // Process-global, so only when asked (documented on the option). The random streams below
        // are this trainer's own: TorchSharp's global generator is neither seeded nor read for them.
        if (o.TorchThreads is int threads)
            torch.set_num_threads(threads);
        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(_env);
        using var channel = _env.Register("Translation").Start("Fit");
        var device = TorchDeviceSelector.Select(gpu, fallback, message => channel.Warning(MessageSensitivity.None, message));
        var architecture = new TranslationArchitecture(tokenizer.VocabularySize, tokenizer.PadId, o.EncoderLayers, o.DecoderLayers,
            o.ModelDimension, o.AttentionHeads, o.FeedForwardDimension, o.Dropout);

        // Dropout masks are drawn on the network's device, so the generator lives there too; its state is checkpointed.
        using var dropoutGenerator = new torch.Generator(unchecked((ulong)seed + 1), device);
        var network = new TranslationNetwork(architecture, dropoutGenerator);
        using (var initialization = new torch.Generator(unchecked((ulong)seed), torch.CPU))
            network.InitializeWeights(initialization);
        network.to(device);
        channel.Info(MessageSensitivity.None, $"Transformer {o.EncoderLayers}+{o.DecoderLayers} layers, d {o.ModelDimension}, {o.AttentionHeads} heads, " +
            $"ffn {o.FeedForwardDimension} ({network.ParameterCount:N0} parameters) on {device.type}, vocabulary {tokenizer.VocabularySize}.");

        var translator = new Translator(network, encoder, device);
        Func<double>? evaluate = null;
        if (o.ValidationSet is not null)
        {
            var (sources, references) = ReadValidation(o.ValidationSet, encoder);
            // Greedy: the cheap decoding is enough to follow progress. Reported as BLEU / 100, a fraction like accuracy.
            var decoding = TranslationDecoding.Greedy(o.MaxTranslationLength);
            evaluate = () => SacreBleu.Corpus(translator.Translate(sources, decoding), [references]).Score / 100;
        }

        var boss = new TranslationBoss(network, encoder, dropoutGenerator, device, o.LabelSmoothing, o.SourceColumnName, o.TargetColumnName, o.MaxTokensPerBatch);
        TrainingReport report;
        using (var step = new BossStep(boss, OptimizerFactory.Create(o.Optimizer, network.parameters(), o.LearningRate, o.WeightDecay, o.Momentum), o.MaxGradientNorm))
        {
            var settings = o.TrainingSettings().Append(new("Seed", seed)).Append(new("Tokenizer", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(tokenizer.ModelBytes))));
            report = new BossTrainingLoop(_env, o, boss, step, seed, evaluate,
                session => TrainingFingerprint.Of(session, input, boss.InputColumns, settings)).Run(input);
        }
        network.eval();
        return new TranslationTransformer(_env, translator, o.SourceColumnName, o.OutputColumnName, o.Decoding, report);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumns.Require(inputSchema, _options.SourceColumnName, "source");
        TextColumns.Require(inputSchema, _options.TargetColumnName, "target");
        var added = new DataViewSchema.Builder();
        added.AddColumn(_options.OutputColumnName, TextDataViewType.Instance);
        return SchemaShapes.Append(inputSchema, added.ToSchema());
    }

    private (List<int[]> Sources, List<string> References) ReadValidation(IDataView data, SentenceEncoder encoder)
    {
        var o = _options;
        TextColumns.Require(data.Schema, o.SourceColumnName, "source");
        TextColumns.Require(data.Schema, o.TargetColumnName, "target");
        var sources = new List<int[]>();
        var references = new List<string>();
        var sourceColumn = data.Schema[o.SourceColumnName];
        var targetColumn = data.Schema[o.TargetColumnName];
        using var cursor = data.GetRowCursor([sourceColumn, targetColumn]);
        var source = cursor.GetGetter<ReadOnlyMemory<char>>(sourceColumn);
        var target = cursor.GetGetter<ReadOnlyMemory<char>>(targetColumn);
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            source(ref text);
            sources.Add(encoder.Source(text.Span, o.SourceColumnName, $"validation row {cursor.Position}"));
            target(ref text);
            references.Add(text.ToString());
        }
        return (sources, references);
    }
}
