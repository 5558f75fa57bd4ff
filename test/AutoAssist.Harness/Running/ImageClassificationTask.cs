using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;

namespace AutoAssist.Harness.Running;

/// <summary>Image classification: a ResNet Boss on Fashion-MNIST, behind the AutoAssist filter.</summary>
public sealed class ImageClassificationTask : IBenchmarkTask
{
    /// <summary>
    /// Seed of the draw of the validation rows. Fixed, not the run's seed: every method and every
    /// seed must train on the same rows and be validated on the same others.
    /// </summary>
    public const int ValidationSplitSeed = 20_240_601;

    private readonly HarnessOptions _options;
    private readonly IDataView _train;
    private readonly IDataView _test;
    private readonly IDataView? _validation;

    /// <summary>Reads the training and test subsets once, and carves the validation rows; every run trains on the same rows.</summary>
    public ImageClassificationTask(HarnessOptions options)
    {
        _options = options;
        var train = FashionMnist.LoadData(FashionMnistSplit.Train, options.DataDirectory, options.TrainRows);
        if (options.ValidationRows > 0)
        {
            if (options.ValidationRows >= train.Count)
                throw new ArgumentException($"--validation-rows {options.ValidationRows} leaves no training rows out of {train.Count}.");
            var (kept, validation) = SplitOff(train, options.ValidationRows, ValidationSplitSeed);
            train = kept;
            _validation = validation.ToDataView();
            ValidationRowCount = validation.Count;
        }
        var test = FashionMnist.LoadData(FashionMnistSplit.Test, options.DataDirectory, options.TestRows);
        _train = train.ToDataView();
        _test = test.ToDataView();
        TrainingRowCount = train.Count;
        TestRowCount = test.Count;
    }

    /// <inheritdoc/>
    public string MetricName => "accuracy";

    /// <inheritdoc/>
    public string ModelName => _options.ModelName;

    /// <inheritdoc/>
    public string CurveSplit => _options.SelectOn.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public int TrainingRowCount { get; }

    /// <inheritdoc/>
    public int ValidationRowCount { get; }

    /// <inheritdoc/>
    public int TestRowCount { get; }

    /// <summary>
    /// Splits <paramref name="count"/> rows, drawn without replacement with <paramref name="seed"/>, off
    /// <paramref name="data"/>. Both parts keep the file order of their rows.
    /// </summary>
    public static (FashionMnistData Remaining, FashionMnistData Drawn) SplitOff(FashionMnistData data, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, data.Count);
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(order);
        var drawn = order.Take(count).Order().ToArray();
        var rest = order.Skip(count).Order().ToArray();
        return (Subset(data, rest), Subset(data, drawn));
    }

    private static FashionMnistData Subset(FashionMnistData data, int[] rows)
    {
        var pixels = new byte[rows.Length * FashionMnist.PixelCount];
        var labels = new byte[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            data.GetImage(rows[i]).CopyTo(pixels.AsSpan(i * FashionMnist.PixelCount, FashionMnist.PixelCount));
            labels[i] = (byte)data.GetLabel(rows[i]);
        }
        return new FashionMnistData(pixels, labels);
    }

    /// <inheritdoc/>
    public void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions)
    {
        filterOptions.FeatureColumnName = FashionMnist.PixelsColumnName;
        filterOptions.LabelColumnName = FashionMnist.LabelColumnName;
    }

    /// <inheritdoc/>
    public JsonObject DescribeData() => new()
    {
        ["dataset"] = _options.Dataset,
        ["training_rows"] = TrainingRowCount,
        ["validation_rows"] = ValidationRowCount,
        ["validation_split_seed"] = ValidationRowCount > 0 ? ValidationSplitSeed : null,
        ["test_rows"] = TestRowCount,
        ["curve_split"] = CurveSplit,
    };

    /// <inheritdoc/>
    public object TrainerOptionsFor(BenchmarkMethod method, int seed, long? maxSteps) => CreateTrainerOptions(seed, maxSteps, progress: null, method.TrainerOverrides);

    /// <summary>
    /// The trainer's options of one run: the command line's settings, then its trainer overrides, then
    /// the run's step budget (a frontier's budget wins over a <c>--set trainer.MaxSteps</c>).
    /// </summary>
    public ImageClassificationTrainerOptions CreateTrainerOptions(int seed, long? maxSteps, IProgress<TrainingProgress>? progress, IReadOnlyDictionary<string, string>? methodOverrides = null)
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
            ValidationSet = CurveSet,
            EvaluationIntervalSteps = _options.EvaluationIntervalSteps,
            // The frontier measures every method at the same steps (the interval and the last step);
            // epochs end at different steps for methods that keep different shares of the rows.
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

    // The trainer measures the curve on the split the benchmark selects on; the other is measured once, on the final model.
    private IDataView CurveSet => _options.SelectOn == MetricSplit.Validation ? _validation! : _test;

    /// <inheritdoc/>
    public RunResult Train(BenchmarkMethod method, AutoAssistFilterOptions filterOptions, int seed, long? maxSteps, IProgress<TrainingProgress> progress)
    {
        var ml = new MLContext(seed);
        var pipeline = ml.Transforms.AutoAssistFilter(filterOptions)
            .Append(ml.MulticlassClassification.Trainers.ResNet(CreateTrainerOptions(seed, maxSteps, progress, method.TrainerOverrides)));
        var model = pipeline.Fit(_train);
        try
        {
            // Null only for a model loaded from disk; a model fitted here always has one.
            var report = model.LastTransformer.TrainingReport
                ?? throw new InvalidOperationException("The fitted ResNet model has no training report.");
            var result = BenchmarkRunner.ToRunResult(method.Name, seed, report);
            double? curveFinal = report.Evaluations.Count == 0 ? null : report.Evaluations[^1].Metric;
            return _options.SelectOn == MetricSplit.Validation
                ? result with { FinalValidationMetric = curveFinal, FinalTestMetric = Accuracy(model.LastTransformer, _test) }
                : result with { FinalTestMetric = curveFinal, FinalValidationMetric = _validation is null ? null : Accuracy(model.LastTransformer, _validation) };
        }
        finally
        {
            // The network's tensors are native memory; release them before the next run starts.
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>Share of <paramref name="data"/>'s rows whose predicted class is the label (after training, off the training clock).</summary>
    private static double Accuracy(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var label = scored.Schema[FashionMnist.LabelColumnName];
        var predicted = scored.Schema[ImageClassificationTransformer.PredictedLabelColumnName];
        using var cursor = scored.GetRowCursor([label, predicted]);
        var getLabel = cursor.GetGetter<uint>(label);
        var getPredicted = cursor.GetGetter<uint>(predicted);
        uint labelKey = 0, predictedKey = 0;
        long rows = 0, correct = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref labelKey);
            getPredicted(ref predictedKey);
            rows++;
            if (labelKey == predictedKey)
                correct++;
        }
        return rows == 0 ? double.NaN : (double)correct / rows;
    }
}
