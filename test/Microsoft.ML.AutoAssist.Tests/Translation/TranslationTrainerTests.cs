using Microsoft.ML.Data;
using Microsoft.ML.AutoAssist.Tests.ImageClassification;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Translation;

public class TranslationTrainerTests
{
    private static string[] Translations(IDataView scored) => scored.GetColumn<string>("Translation").ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATinyTransformerLearnsToCopyAndToReverse(bool reverse)
    {
        var ml = new MLContext(1);
        var options = WordSequences.Tiny(steps: 150);
        if (reverse)
        {
            // Reversing needs the positions, which takes a little more of everything.
            options.MaxSteps = 300;
            options.ModelDimension = 64;
            options.FeedForwardDimension = 128;
            options.LearningRate = 5e-3;
        }
        // Up to 4 words: with fewer, no sentence has a 4-gram and corpus BLEU is 0 by definition.
        var train = ml.Data.LoadFromEnumerable(WordSequences.Make(512, reverse, seed: 1, maxWords: 4));
        using var model = ml.Translation().Trainers.Transformer(options).Fit(train);
        var test = ml.Data.LoadFromEnumerable(WordSequences.Make(32, reverse, seed: 2, maxWords: 4));
        var metrics = ml.Translation().Evaluate(model.Transform(test));
        Assert.True(metrics.Bleu > 80, metrics.ToString());
        Assert.True(metrics.Chrf > 90, metrics.ToString());
        Assert.Equal(32, metrics.SentenceCount);
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalTranslationsGreedyAndBeam()
    {
        var ml = new MLContext(1);
        var data = WordSequences.Load(ml, 128, reverse: false, seed: 1);
        // The tokenizer travels inside the saved model: its file is gone before the model is loaded.
        var tokenizer = Path.Combine(Path.GetTempPath(), $"tokenizer-{Guid.NewGuid():N}.model");
        File.Copy(WordSequences.TokenizerPath, tokenizer);
        var options = WordSequences.Tiny(steps: 40);
        options.TokenizerModelPath = tokenizer;
        using var model = ml.Translation().Trainers.Transformer(options).Fit(data);
        File.Delete(tokenizer);
        var test = WordSequences.Load(ml, 12, reverse: false, seed: 3);
        var path = Path.Combine(Path.GetTempPath(), $"translation-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = (TranslationTransformer)new MLContext(2).Model.Load(path, out var schema);
            Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
            Assert.Equal(model.Decoding, loaded.Decoding);
            Assert.Equal(Translations(model.Transform(test)), Translations(loaded.Transform(test)));
            var beam = new TranslationDecoding(BeamSize: 3, LengthPenalty: 0.6, MaxLength: 12);
            Assert.Equal(Translations(model.WithDecoding(beam).Transform(test)), Translations(loaded.WithDecoding(beam).Transform(test)));
            loaded.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BeamOfOneIsGreedyAndAPredictionEngineMatchesTheBatchedView()
    {
        var ml = new MLContext(1);
        using var model = ml.Translation().Trainers.Transformer(WordSequences.Tiny(steps: 40)).Fit(WordSequences.Load(ml, 128, reverse: true, seed: 1));
        var pairs = WordSequences.Make(10, reverse: true, seed: 4);
        var sources = pairs.Select(p => model.Translator.Encoder.Source(p.Source, "Source", "test")).ToArray();
        var translator = model.Translator;
        Assert.Equal(translator.Greedy(sources, 12), translator.BeamSearch(sources, new TranslationDecoding(1, 0.6, 12)));
        // The key/value cache changes the cost of a step, not its result.
        Assert.Equal(UncachedGreedy(translator, sources, 12), translator.Greedy(sources, 12));

        var batched = Translations(model.Transform(ml.Data.LoadFromEnumerable(pairs)));
        var engine = ml.Model.CreatePredictionEngine<WordSequences.Pair, TranslationOutput>(model);
        Assert.Equal(batched, pairs.Select(p => engine.Predict(p).Translation));
        Assert.Equal(batched, model.Translate(pairs.Select(p => p.Source)));
    }

    [Fact]
    public void OverlongTextIsTruncatedOrRefusedNamingTheRow()
    {
        var ml = new MLContext(1);
        var pairs = WordSequences.Make(8, reverse: false, seed: 1, minWords: 2, maxWords: 3);
        pairs[5].Source = "the and to of die der und mit";
        var data = ml.Data.LoadFromEnumerable(pairs);
        var options = WordSequences.Tiny(steps: 2);
        options.MaxSourceLength = 5;

        using (var truncating = ml.Translation().Trainers.Transformer(options).Fit(data))
            Assert.Equal(8, Translations(truncating.Transform(data)).Length);

        options.OverlongText = OverlongTextHandling.Throw;
        var refused = Assert.Throws<InvalidDataException>(() => ml.Translation().Trainers.Transformer(options).Fit(data));
        Assert.Contains("'Source', row 5", refused.Message);
        Assert.Contains("MaxSourceLength = 5", refused.Message);

        // Scoring refuses too, naming the row of the data being scored.
        options.MaxSourceLength = 9;
        using var model = ml.Translation().Trainers.Transformer(options).Fit(data);
        var longer = WordSequences.Make(4, reverse: false, seed: 2, minWords: 2, maxWords: 3);
        longer[2].Source = "the and to of die der und mit the";
        var scoringError = Assert.Throws<InvalidDataException>(() => Translations(model.Transform(ml.Data.LoadFromEnumerable(longer))));
        Assert.Contains("'Source', row 2", scoringError.Message);
    }

    [Fact]
    public void EmptyNullAndUnknownCharactersAreTranslatedWithoutErrors()
    {
        var ml = new MLContext(1);
        WordSequences.Pair[] pairs =
        [
            new() { Source = "", Target = "der" },
            new() { Source = null, Target = null },
            new() { Source = "the", Target = "" },
            new() { Source = "漢字 😀 ☃", Target = "ⅻ ✓ ü" },
            new() { Source = "   ", Target = "und" },
        ];
        var data = ml.Data.LoadFromEnumerable(pairs);
        using var model = ml.Translation().Trainers.Transformer(WordSequences.Tiny(steps: 3)).Fit(data);
        Assert.Equal(5, Translations(model.Transform(data)).Length);
        var engine = ml.Model.CreatePredictionEngine<WordSequences.Pair, TranslationOutput>(model);
        Assert.NotNull(engine.Predict(new WordSequences.Pair { Source = null }).Translation);
        Assert.Equal(3, model.Translate([null, "", "😀😀"]).Count);
    }

    [Fact]
    public void AMissingOrNonTextColumnGivesMLNetsSchemaError()
    {
        var ml = new MLContext(1);
        var trainer = ml.Translation().Trainers.Transformer(WordSequences.Tiny(steps: 2));
        var missing = ml.Data.LoadFromEnumerable(new[] { new { Source = "the", Other = "der" } });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(missing));
        Assert.Contains("Could not find target column 'Target'", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(SchemaShapes.FromSchema(missing.Schema)));
        Assert.Contains("Could not find target column 'Target'", error.Message);

        var numbers = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Source = 1f, Target = "der" } });
        error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(numbers));
        Assert.Contains("Schema mismatch for source column 'Source': expected String, got Single", error.Message);

        using var model = trainer.Fit(WordSequences.Load(ml, 8, reverse: false, seed: 1));
        error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(numbers));
        Assert.Contains("Schema mismatch for source column 'Source': expected String, got Single", error.Message);
    }

    [Fact]
    public void ATokenBudgetMakesSmallerBatches()
    {
        var ml = new MLContext(1);
        var options = WordSequences.Tiny(steps: 1000);
        options.MaxSteps = null;
        options.Epochs = 1;
        options.BatchSize = 64;
        options.MaxTokensPerBatch = 64;
        using var model = ml.Translation().Trainers.Transformer(options).Fit(WordSequences.Load(ml, 64, reverse: false, seed: 1));
        // Pairs of 2 to 5 words pad to at most 6 + 6 tokens: each batch ends by 64 tokens, after at most 11 rows.
        Assert.InRange(model.TrainingReport!.Steps, 64 / 11, 64 / 3);
        Assert.Equal(64, model.TrainingReport.RowsBackpropagated);
    }

    [Theory]
    [InlineData(UniformOptions.MethodName)]
    [InlineData(AutoAssistOptions.MethodName)]
    [InlineData(InfoBatchOptions.MethodName)]
    [InlineData(SelectiveBackpropOptions.MethodName)]
    [InlineData(LossSamplingOptions.MethodName)]
    public void EverySelectionMethodSelectsPairsByTheirSentenceLosses(string method)
    {
        var ml = new MLContext(1);
        var data = WordSequences.Load(ml, 96, reverse: true, seed: 1);
        var options = WordSequences.Tiny(steps: 1);
        options.MaxSteps = null;
        options.Epochs = 3;
        var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions
        {
            Selection = method == AutoAssistOptions.MethodName ? new AutoAssistOptions { BaseKeepProbability = 0.2f } : SelectionMethods.Create(method),
            SourceColumnName = "Source", TargetColumnName = "Target", Seed = 2,
        });
        var model = filter.Append(ml.Translation().Trainers.Transformer(options)).Fit(data);
        var report = model.LastTransformer.TrainingReport!;
        Assert.Equal(method, report.Method);
        Assert.Equal(3, report.SelectionEpochs.Count);
        Assert.Equal(report.SelectionEpochs.Sum(e => e.RowsReported), report.SelectionEpochs.Sum(e => e.RowsKept));
        if (method == UniformOptions.MethodName)
            Assert.Equal(3 * 96, report.RowsBackpropagated);
        else
            Assert.True(report.RowsBackpropagated < 3 * 96, $"backpropagated {report.RowsBackpropagated}");
        model.LastTransformer.Dispose();
    }

    [Fact]
    public void ResumingFromACheckpointReproducesTheUninterruptedRun()
    {
        var ml = new MLContext(1);
        var data = WordSequences.Load(ml, 64, reverse: false, seed: 1);
        var test = WordSequences.Load(ml, 8, reverse: false, seed: 2);
        var uninterruptedFolder = Directory.CreateTempSubdirectory("translation-ckpt-a").FullName;
        var resumedFolder = Directory.CreateTempSubdirectory("translation-ckpt-b").FullName;
        try
        {
            TranslationTrainerOptions Options(string folder)
            {
                var o = WordSequences.Tiny(steps: 1);
                o.MaxSteps = null;
                o.Epochs = 3;
                o.Dropout = 0.1; // the dropout generator's state must be checkpointed too
                o.CheckpointFolder = folder;
                return o;
            }
            using var uninterrupted = ml.Translation().Trainers.Transformer(Options(uninterruptedFolder)).Fit(data);

            using var cancel = new CancellationTokenSource();
            var killed = Options(resumedFolder);
            killed.CancellationToken = cancel.Token;
            killed.Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.EndOfEpoch && p.Epoch == 1) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => ml.Translation().Trainers.Transformer(killed).Fit(data));

            using var resumed = ml.Translation().Trainers.Transformer(Options(resumedFolder)).Fit(data);
            Assert.True(resumed.TrainingReport!.Resumed);
            Assert.Equal(uninterrupted.TrainingReport!.Steps, resumed.TrainingReport.Steps);
            Assert.Equal(Translations(uninterrupted.Transform(test)), Translations(resumed.Transform(test)));
            var probe = WordSequences.Make(4, reverse: false, seed: 9);
            Assert.Equal(LossesOf(uninterrupted, probe), LossesOf(resumed, probe));
        }
        finally
        {
            Directory.Delete(uninterruptedFolder, recursive: true);
            Directory.Delete(resumedFolder, recursive: true);
        }
    }

    [Fact]
    public void DecodingLeavesNoTensorsBehind()
    {
        var ml = new MLContext(1);
        using var model = ml.Translation().Trainers.Transformer(WordSequences.Tiny(steps: 5)).Fit(WordSequences.Load(ml, 32, reverse: false, seed: 1));
        var sources = WordSequences.Make(6, reverse: false, seed: 2).Select(p => p.Source).ToArray();
        model.Translate(sources); // warm-up
        long before = LiveTensors.Count;
        model.Translate(sources);
        model.WithDecoding(new TranslationDecoding(3, 0.6, 12)).Translate(sources);
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>Greedy decoding that runs the decoder over the whole prefix at every step (no cache), one sentence at a time.</summary>
    private static int[][] UncachedGreedy(Translator translator, int[][] sources, int maxLength)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var network = translator.Network;
        var tokenizer = translator.Encoder.Tokenizer;
        return sources.Select(source =>
        {
            var input = TokenTensors.Padded([source], tokenizer.PadId, translator.Device);
            var mask = network.SourcePadMask(input);
            var memory = network.Encode(input, mask);
            var output = new List<int>();
            for (int step = 0; step < maxLength; step++)
            {
                var prefix = TokenTensors.Padded([output.ToArray()], tokenizer.PadId, translator.Device, prefix: tokenizer.BeginId);
                var logits = network.Decode(prefix, memory, mask).select(1, -1).squeeze(0);
                logits[tokenizer.PadId] = float.NegativeInfinity;
                logits[tokenizer.BeginId] = float.NegativeInfinity;
                int next = (int)logits.argmax().item<long>();
                if (next == tokenizer.EndId)
                    break;
                output.Add(next);
            }
            return output.ToArray();
        }).ToArray();
    }

    /// <summary>The teacher-forced sentence losses of <paramref name="pairs"/> (weights compared through what they compute).</summary>
    private static float[] LossesOf(TranslationTransformer model, WordSequences.Pair[] pairs)
    {
        var translator = model.Translator;
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var pad = translator.Encoder.Tokenizer.PadId;
        var sources = pairs.Select(p => translator.Encoder.Source(p.Source, "Source", "probe")).ToArray();
        var targets = pairs.Select(p => translator.Encoder.Target(p.Target, "Target", "probe")).ToArray();
        var states = translator.Network.States(TokenTensors.Padded(sources, pad, translator.Device),
            TokenTensors.Padded(targets, pad, translator.Device, prefix: translator.Encoder.Tokenizer.BeginId));
        var expected = TokenTensors.Padded(targets, pad, translator.Device, suffix: translator.Encoder.Tokenizer.EndId);
        return TranslationBoss.SentenceLosses(states, translator.Network.Logits, expected, pad, 0).data<float>().ToArray();
    }

    private sealed class NumberRow
    {
        public float Source { get; set; }
        public string Target { get; set; } = "";
    }

    private sealed class TranslationOutput
    {
        public string Translation { get; set; } = "";
    }
}
