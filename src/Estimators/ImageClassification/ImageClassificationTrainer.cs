using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Trains a TorchSharp ResNet image classifier (the Boss). When its input is the AutoAssist filter's
/// view it trains on the rows the selection keeps and reports every row's loss back; otherwise it
/// trains on every row through the same loop. Create it with
/// <c>mlContext.MulticlassClassification.Trainers.ResNet</c>.
/// </summary>
public sealed class ImageClassificationTrainer : IEstimator<ImageClassificationTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly ImageClassificationTrainerOptions _options;

    internal ImageClassificationTrainer(IHostEnvironment env, ImageClassificationTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Train from a copy, validated now: edits to the caller's object after this cannot skip the checks.
        _options = options.Clone();
        _options.Validate();
        _env = env;
    }

    /// <inheritdoc/>
    public ImageClassificationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var shape = ImageShape.Resolve(input.Schema, o.FeatureColumnName, o.ImageChannels, o.ImageHeight, o.ImageWidth);
        int classes = ImageShape.ResolveClassCount(input.Schema, o.LabelColumnName);
        var classNames = ClassNames(input.Schema[o.LabelColumnName], classes);
        int seed = o.Seed ?? _env.Register(nameof(ImageClassificationTrainer)).Rand.Next();

        // Process-global, so only when asked (documented on the option). The random streams below
        // are this trainer's own: TorchSharp's global generator is neither seeded nor read.
        if (o.TorchThreads is int threads)
            torch.set_num_threads(threads);
        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(_env);
        using var channel = _env.Register("ResNet").Start("Fit");
        var device = TorchDeviceSelector.Select(gpu, fallback, message => channel.Warning(MessageSensitivity.None, message));
        ResNet model;
        LocalBlock[]? blocks = null;
        using (var initialization = new torch.Generator(unchecked((ulong)seed), torch.CPU))
        {
            model = ResNet.Create(o.Architecture, classes, shape.Channels, o.WidthMultiplier, initialization);
            // The auxiliary heads are drawn after the ResNet, so a single block starts from backprop's weights.
            if (o.TrainingMode != TrainingMode.Backprop)
                blocks = LocalLearningStep.Split(model, o.TrainingMode, o.Blocks, initialization);
        }
        model.to(device);
        foreach (var block in blocks ?? [])
            block.to(device);
        channel.Info(MessageSensitivity.None, $"{o.Architecture} (width x{o.WidthMultiplier}, {model.ParameterCount:N0} parameters) on {device.type} for {classes} classes of {shape.Channels}x{shape.Height}x{shape.Width} images.");

        var scorer = new ResNetScorer(model, shape, device);
        Func<double>? evaluate = null;
        if (o.ValidationSet is not null)
        {
            var (pixels, labels) = ReadValidation(o.ValidationSet, shape, classes);
            evaluate = () => scorer.Accuracy(pixels, labels);
        }

        TrainingReport report;
        using (var augmenter = new BatchAugmenter(o.AugmentationPadding, o.HorizontalFlip, seed))
        using (var boss = new ResNetBoss(model, shape, device, augmenter, o.FeatureColumnName, o.LabelColumnName))
        using (IBossStep step = blocks is null
            ? new BossStep(boss, OptimizerFactory.Create(o.Optimizer, model.parameters(), o.LearningRate, o.WeightDecay, o.Momentum), o.MaxGradientNorm)
            : new LocalLearningStep(boss, blocks, parameters => OptimizerFactory.Create(o.Optimizer, parameters, o.LearningRate, o.WeightDecay, o.Momentum),
                o.TrainingMode == TrainingMode.Overlapping, o.Pipelined, o.MaxGradientNorm, o.BeforeBlockUpdate))
        {
            var settings = o.TrainingSettings().Append(new("Seed", seed));
            report = new BossTrainingLoop(_env, o, boss, step, seed, evaluate,
                session => TrainingFingerprint.Of(session, input, boss.InputColumns, settings)).Run(input);
        }
        model.eval();
        return new ImageClassificationTransformer(_env, scorer, o.Architecture, o.WidthMultiplier, o.FeatureColumnName, classNames, report);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var feature = inputSchema.FirstOrDefault(c => c.Name == _options.FeatureColumnName);
        if (feature.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"ResNet: feature column '{_options.FeatureColumnName}' was not found in the input.");
        if (feature.Kind != SchemaShape.Column.VectorKind.Vector || feature.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"ResNet: schema mismatch for feature column '{_options.FeatureColumnName}': expected a known-size vector of Single, got {feature.Kind} of {feature.ItemType}.");
        var label = inputSchema.FirstOrDefault(c => c.Name == _options.LabelColumnName);
        if (label.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"ResNet: label column '{_options.LabelColumnName}' was not found in the input.");
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"ResNet: schema mismatch for label column '{_options.LabelColumnName}': expected a key of UInt32 (use MapValueToKey), got {label.Kind} of {label.ItemType}.");
        var added = new DataViewSchema.Builder();
        // The class count is known only at Fit; the shape says "vector of Single" and "key", as ML.NET's trainers do.
        added.AddColumn(ImageClassificationTransformer.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, 1));
        added.AddColumn(ImageClassificationTransformer.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), 1));
        return SchemaShapes.Append(inputSchema, added.ToSchema());
    }

    private static ReadOnlyMemory<char>[] ClassNames(DataViewSchema.Column label, int classes)
    {
        var annotation = label.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation?.Type is not VectorDataViewType { ItemType: TextDataViewType } type || type.Size != classes)
            return [];
        VBuffer<ReadOnlyMemory<char>> names = default;
        label.Annotations.GetValue("KeyValues", ref names);
        return names.DenseValues().ToArray();
    }

    private (float[] Pixels, long[] Labels) ReadValidation(IDataView data, ImageShape shape, int classes)
    {
        var o = _options;
        var validationShape = ImageShape.Resolve(data.Schema, o.FeatureColumnName, shape.Channels, shape.Height, shape.Width);
        if (validationShape != shape)
            throw new ArgumentOutOfRangeException(nameof(o.ValidationSet), $"ResNet: the validation images are {validationShape}, the training images {shape}.");
        int validationClasses = ImageShape.ResolveClassCount(data.Schema, o.LabelColumnName);
        if (validationClasses != classes)
            throw new ArgumentOutOfRangeException(nameof(o.ValidationSet),
                $"ResNet: the validation label '{o.LabelColumnName}' has {validationClasses} classes, the training label {classes}; map both with the same MapValueToKey.");
        var pixels = new List<float>();
        var labels = new List<long>();
        using var cursor = data.GetRowCursor([data.Schema[o.FeatureColumnName], data.Schema[o.LabelColumnName]]);
        var features = cursor.GetGetter<VBuffer<float>>(data.Schema[o.FeatureColumnName]);
        var label = cursor.GetGetter<uint>(data.Schema[o.LabelColumnName]);
        VBuffer<float> buffer = default;
        uint key = 0;
        while (cursor.MoveNext())
        {
            label(ref key);
            if (key == 0)
                continue; // a missing label cannot be scored
            features(ref buffer);
            pixels.AddRange(buffer.DenseValues());
            labels.Add(key - 1);
        }
        return (pixels.ToArray(), labels.ToArray());
    }
}
