using AutoAssist.Harness.Configuration;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;

namespace AutoAssist.Harness.Running;

/// <summary>
/// Translation: a Transformer Boss on the English-German corpus (build/build-corpus.sh), behind the
/// AutoAssist filter's text-pair Assistant. The test metric followed during training is BLEU (0 to
/// 1, as the trainer reports it) on the dev split.
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

    /// <summary>Reads the training and dev splits once; every run trains on the same pairs.</summary>
    public TranslationTask(HarnessOptions options)
    {
        _options = options;
        var data = new MLContext(seed: 0);
        string folder = options.DataDirectory ?? DefaultCorpusDirectory;
        _train = Load(data, Path.Combine(folder, "train.tsv"), options.TrainRows);
        _dev = Load(data, Path.Combine(folder, "dev.tsv"), options.TestRows);
        TrainingRowCount = checked((int)(_train.GetRowCount() ?? _train.GetColumn<string>("Source").LongCount()));
        TestRowCount = checked((int)(_dev.GetRowCount() ?? _dev.GetColumn<string>("Source").LongCount()));
    }

    /// <inheritdoc/>
    public string MetricName => "BLEU";

    /// <inheritdoc/>
    public int TrainingRowCount { get; }

    /// <inheritdoc/>
    public int TestRowCount { get; }

    /// <inheritdoc/>
    public void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions)
    {
        filterOptions.SourceColumnName = "Source";
        filterOptions.TargetColumnName = "Target";
    }

    /// <summary>The trainer's options of one run: the Transformer defaults, the command line's budget, then its trainer overrides.</summary>
    public TranslationTrainerOptions CreateTrainerOptions(int seed, IProgress<TrainingProgress> progress)
    {
        var trainerOptions = new TranslationTrainerOptions
        {
            TokenizerModelPath = DefaultTokenizerPath,
            Epochs = _options.Epochs,
            ValidationSet = _dev,
            EvaluationIntervalSteps = _options.EvaluationIntervalSteps,
            Seed = seed,
            TorchThreads = _options.Threads,
            Progress = progress,
        };
        FieldSetter.Apply(trainerOptions, _options.TrainerOverrides, "the trainer");
        return trainerOptions;
    }

    /// <inheritdoc/>
    public TrainingReport Train(AutoAssistFilterOptions filterOptions, int seed, IProgress<TrainingProgress> progress)
    {
        var ml = new MLContext(seed);
        var pipeline = ml.Transforms.AutoAssistFilter(filterOptions)
            .Append(ml.Translation().Trainers.Transformer(CreateTrainerOptions(seed, progress)));
        var model = pipeline.Fit(_train);
        try
        {
            return model.LastTransformer.TrainingReport
                ?? throw new InvalidOperationException("The fitted translation model has no training report.");
        }
        finally
        {
            // The network's tensors are native memory; release them before the next run starts.
            model.LastTransformer.Dispose();
        }
    }

    private static IDataView Load(MLContext ml, string path, int? rows)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: build the corpus with build/build-corpus.sh (or point --data-dir at its folder).", path);
        var view = TranslationCorpus.Load(ml, path);
        return rows is int count ? ml.Data.TakeRows(view, count) : view;
    }
}
