using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;

namespace AutoAssist.Harness.Running;

/// <summary>
/// Translation: a Transformer Boss on the English-German corpus (build/build-corpus.sh), behind the
/// AutoAssist filter's text-pair Assistant. The metric followed during training is BLEU (0 to 1, as
/// the trainer reports it) on the dev split (the run's validation metric); the final model's BLEU on
/// the test split is the run's test metric.
/// </summary>
/// <remarks>
/// The command line's ResNet settings (--model, --lr, --schedule, --batch-size) do not apply: the
/// trainer keeps its Transformer defaults unless <c>--set trainer.Field=value</c> changes them
/// (e.g. <c>trainer.TokenizerModelPath</c>, <c>trainer.LearningRate</c>, <c>trainer.MaxTokensPerBatch</c>).
/// </remarks>
public sealed class TranslationTask : IBenchmarkTask
{
    /// <summary>Where build/build-corpus.sh writes the corpus.</summary>
    public const string DefaultCorpusDirectory = "data/corpus/en-de";

    /// <summary>Where build/build-tokenizer.sh writes its default tokenizer.</summary>
    public const string DefaultTokenizerPath = "data/tokenizer/en-de-bpe-8000.model";

    private readonly HarnessOptions _options;
    private readonly IDataView _train;
    private readonly IDataView _dev;
    private readonly IDataView _test;
    private readonly IReadOnlyList<TranslationPair> _examples;

    /// <summary>Reads the training and dev splits once; every run trains on the same pairs.</summary>
    public TranslationTask(HarnessOptions options)
    {
        _options = options;
        var data = new MLContext(seed: 0);
        string folder = options.DataDirectory ?? DefaultCorpusDirectory;
        _train = LoadSample(data, Path.Combine(folder, "train.tsv"), options.TrainRows);
        _dev = Load(data, Path.Combine(folder, "dev.tsv"), options.ValidationRows > 0 ? options.ValidationRows : options.TestRows);
        _test = Load(data, Path.Combine(folder, "test.tsv"), options.TestRows);
        _examples = ExamplePairs(_test);
        TrainingRowCount = RowCount(_train);
        ValidationRowCount = RowCount(_dev);
        TestRowCount = RowCount(_test);
        var trainerOptions = CreateTrainerOptions(seed: 0, maxSteps: null, progress: null);
        ModelName = $"transformer d{trainerOptions.ModelDimension} {trainerOptions.EncoderLayers}+{trainerOptions.DecoderLayers}";
    }

    /// <inheritdoc/>
    public string MetricName => "BLEU";

    /// <inheritdoc/>
    public string ModelName { get; }

    /// <inheritdoc/>
    /// <remarks>Curves are dev BLEU; the test split gives only the final number.</remarks>
    public string CurveSplit => "validation";

    /// <inheritdoc/>
    public int TrainingRowCount { get; }

    /// <inheritdoc/>
    public int ValidationRowCount { get; }

    /// <inheritdoc/>
    public int TestRowCount { get; }

    /// <inheritdoc/>
    public JsonObject DescribeData() => new()
    {
        ["dataset"] = _options.Dataset,
        ["training_rows"] = TrainingRowCount,
        ["validation_rows"] = ValidationRowCount,
        ["validation_split"] = "dev",
        ["test_rows"] = TestRowCount,
        ["curve_split"] = CurveSplit,
    };

    /// <inheritdoc/>
    public object TrainerOptionsFor(BenchmarkMethod method, int seed, long? maxSteps) => CreateTrainerOptions(seed, maxSteps, progress: null, method.TrainerOverrides);

    /// <inheritdoc/>
    public void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions)
    {
        filterOptions.SourceColumnName = "Source";
        filterOptions.TargetColumnName = "Target";
    }

    /// <summary>
    /// The trainer's options of one run: the Transformer defaults, the command line's budget, its
    /// trainer overrides, then the run's step budget (a frontier's budget wins over a <c>--set trainer.MaxSteps</c>).
    /// </summary>
    public TranslationTrainerOptions CreateTrainerOptions(int seed, long? maxSteps, IProgress<TrainingProgress>? progress, IReadOnlyDictionary<string, string>? methodOverrides = null)
    {
        var trainerOptions = new TranslationTrainerOptions
        {
            TokenizerModelPath = DefaultTokenizerPath,
            Epochs = _options.Epochs,
            ValidationSet = _dev,
            EvaluationIntervalSteps = _options.EvaluationIntervalSteps,
            // A frontier measures every method at the same steps; a filtered epoch ends elsewhere.
            EvaluateAtEpochEnd = !_options.IsFrontier,
            Seed = seed,
            TorchThreads = _options.Threads,
            Progress = progress,
        };
        FieldSetter.Apply(trainerOptions, _options.TrainerOverrides, "the trainer");
        if (methodOverrides is { Count: > 0 })
            FieldSetter.Apply(trainerOptions, methodOverrides, "the trainer");
        if (maxSteps is not null)
            trainerOptions.MaxSteps = maxSteps;
        return trainerOptions;
    }

    /// <inheritdoc/>
    public RunResult Train(BenchmarkMethod method, AutoAssistFilterOptions filterOptions, int seed, long? maxSteps, IProgress<TrainingProgress> progress)
    {
        var ml = new MLContext(seed);
        var trainerOptions = CreateTrainerOptions(seed, maxSteps, progress, method.TrainerOverrides);
        var pipeline = ml.Transforms.AutoAssistFilter(filterOptions).Append(ml.Translation().Trainers.Transformer(trainerOptions));
        var model = pipeline.Fit(_train);
        try
        {
            var report = model.LastTransformer.TrainingReport
                ?? throw new InvalidOperationException("The fitted translation model has no training report.");
            var result = BenchmarkRunner.ToRunResult(method.Name, seed, report);
            double? devBleu = report.Evaluations.Count == 0 ? null : report.Evaluations[^1].Metric;
            // The final number: the test split's corpus BLEU (0 to 1, as the curve), off the training clock.
            double testBleu = ml.Translation().Evaluate(model.Transform(_test)).Bleu / 100;
            return result with { FinalValidationMetric = devBleu, FinalTestMetric = testBleu, Examples = Translate(ml, model, trainerOptions.OutputColumnName) };
        }
        finally
        {
            // The network's tensors are native memory; release them before the next run starts.
            model.LastTransformer.Dispose();
        }
    }

    /// <summary>Test sentences whose translations every run records: this many, spread evenly over the split (it is grouped by origin).</summary>
    public const int ExampleCount = 6;

    private static IReadOnlyList<TranslationPair> ExamplePairs(IDataView test)
    {
        var origins = test.GetColumn<string>(TranslationCorpus.OriginColumnName).ToArray();
        var sources = test.GetColumn<string>(TranslationCorpus.SourceColumnName).ToArray();
        var targets = test.GetColumn<string>(TranslationCorpus.TargetColumnName).ToArray();
        int count = Math.Min(ExampleCount, sources.Length);
        return Enumerable.Range(0, count).Select(i => (int)((long)i * sources.Length / count))
            .Select(i => new TranslationPair(sources[i], targets[i], origins[i])).ToArray();
    }

    private IReadOnlyList<TranslationExample> Translate(MLContext ml, ITransformer model, string outputColumnName)
    {
        var translated = model.Transform(TranslationCorpus.FromPairs(ml, _examples));
        var outputs = translated.GetColumn<string>(outputColumnName).ToArray();
        return _examples.Select((pair, i) => new TranslationExample(pair.Origin, pair.Source, pair.Target, outputs[i])).ToArray();
    }

    private static int RowCount(IDataView view) => checked((int)(view.GetRowCount() ?? view.GetColumn<string>("Source").LongCount()));

    /// <summary>Seed of the training sample that <c>--train-rows</c> draws.</summary>
    public const int TrainingSampleSeed = 1;

    /// <summary>
    /// The training split, or with <paramref name="rows"/> a fixed-seed random sample of that many
    /// pairs, in file order. The corpus file is grouped by origin (LibreOffice help first), so its
    /// first rows would be one origin alone.
    /// </summary>
    private static IDataView LoadSample(MLContext ml, string path, int? rows)
    {
        if (rows is not int count)
            return Load(ml, path, null);
        RequireFile(path);
        return TranslationCorpus.FromPairs(ml, Sample(TranslationCorpus.ReadPairs(path), count, TrainingSampleSeed));
    }

    /// <summary><paramref name="count"/> of <paramref name="pairs"/> drawn without replacement with <paramref name="seed"/>, in their original order (all of them when there are no more).</summary>
    public static IReadOnlyList<T> Sample<T>(IReadOnlyList<T> pairs, int count, int seed)
    {
        if (count >= pairs.Count)
            return pairs;
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        new Random(seed).Shuffle(order);
        return order.Take(count).Order().Select(i => pairs[i]).ToArray();
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: build the corpus with build/build-corpus.sh (or point --data-dir at its folder).", path);
    }

    private static IDataView Load(MLContext ml, string path, int? rows)
    {
        RequireFile(path);
        var view = TranslationCorpus.Load(ml, path);
        return rows is int count ? ml.Data.TakeRows(view, count) : view;
    }
}
