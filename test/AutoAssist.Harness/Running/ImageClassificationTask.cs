using AutoAssist.Harness.Configuration;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>Image classification: a ResNet Boss on Fashion-MNIST, behind the AutoAssist filter.</summary>
public sealed class ImageClassificationTask : IBenchmarkTask
{
    private readonly HarnessOptions _options;
    private readonly IDataView _train;
    private readonly IDataView _test;

    /// <summary>Reads the training and test subsets once; every run trains on the same rows.</summary>
    public ImageClassificationTask(HarnessOptions options)
    {
        _options = options;
        var data = new MLContext(seed: 0);
        _train = FashionMnist.Load(data, FashionMnistSplit.Train, options.DataDirectory, options.TrainRows);
        _test = FashionMnist.Load(data, FashionMnistSplit.Test, options.DataDirectory, options.TestRows);
        TrainingRowCount = checked((int)(_train.GetRowCount() ?? throw new InvalidOperationException("The Fashion-MNIST view has no row count.")));
        TestRowCount = checked((int)(_test.GetRowCount() ?? throw new InvalidOperationException("The Fashion-MNIST view has no row count.")));
    }

    /// <inheritdoc/>
    public string MetricName => "accuracy";

    /// <inheritdoc/>
    public int TrainingRowCount { get; }

    /// <inheritdoc/>
    public int TestRowCount { get; }

    /// <inheritdoc/>
    public void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions)
    {
        filterOptions.FeatureColumnName = FashionMnist.PixelsColumnName;
        filterOptions.LabelColumnName = FashionMnist.LabelColumnName;
    }

    /// <summary>The trainer's options of one run: the command line's settings, then its trainer overrides.</summary>
    public ImageClassificationTrainerOptions CreateTrainerOptions(int seed, IProgress<TrainingProgress> progress)
    {
        var trainerOptions = new ImageClassificationTrainerOptions
        {
            FeatureColumnName = FashionMnist.PixelsColumnName,
            LabelColumnName = FashionMnist.LabelColumnName,
            Architecture = _options.Architecture,
            Epochs = _options.Epochs,
            BatchSize = _options.BatchSize,
            LearningRate = _options.LearningRate,
            LearningRateSchedule = _options.Schedule,
            ValidationSet = _test,
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
            .Append(ml.MulticlassClassification.Trainers.ResNet(CreateTrainerOptions(seed, progress)));
        var model = pipeline.Fit(_train);
        try
        {
            // Null only for a model loaded from disk; a model fitted here always has one.
            return model.LastTransformer.TrainingReport
                ?? throw new InvalidOperationException("The fitted ResNet model has no training report.");
        }
        finally
        {
            // The network's tensors are native memory; release them before the next run starts.
            (model as IDisposable)?.Dispose();
        }
    }
}
