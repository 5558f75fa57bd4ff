using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Trains a binary ResNet to answer "is any member of this group positive?" for groups merged as
/// <see cref="GroupTestingTrainerOptions.Design"/> says, and returns a <see cref="GroupTestingTransformer"/>
/// that screens rows in groups. Create it with <c>mlContext.BinaryClassification.Trainers.GroupTestingResNet</c>.
/// </summary>
/// <remarks>
/// It has a loop of its own rather than the shared Boss loop: that loop draws batches of rows and
/// reports a loss per row for row selection, while here every example is a group assembled from
/// several rows (positives planted on purpose, since they are rare) and the loss belongs to the group.
/// </remarks>
public sealed class GroupTestingTrainer : IEstimator<GroupTestingTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly GroupTestingTrainerOptions _options;

    internal GroupTestingTrainer(IHostEnvironment env, GroupTestingTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate();
        _env = env;
    }

    /// <inheritdoc/>
    public GroupTestingTransformer Fit(IDataView input) => Fit(input, initialModel: null);

    /// <summary>
    /// Trains starting from <paramref name="initialModel"/>'s weights rather than random ones, as
    /// ML.NET's trainers continue from given model parameters. Start the group networks from the
    /// individual network (a model trained with <c>GroupSize = 1</c>): it already tells a positive
    /// row from a negative one, and the group network then learns to find it in a group.
    /// </summary>
    /// <param name="input">The training rows.</param>
    /// <param name="initialModel">A group-testing model with the same architecture, width and image size; null starts from random weights.</param>
    /// <exception cref="ArgumentException">The initial model's network has another architecture, width or image size.</exception>
    public GroupTestingTransformer Fit(IDataView input, GroupTestingTransformer? initialModel)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var shape = ImageShape.Resolve(input.Schema, o.FeatureColumnName, null, null, null);
        var initial = initialModel is null ? null : InitialNetwork(initialModel, shape);
        var (pixels, labels) = GroupTestingRows.Read(input, o.FeatureColumnName, o.LabelColumnName, shape.PixelCount);
        var positives = Enumerable.Range(0, labels.Length).Where(i => labels[i]).ToArray();
        var negatives = Enumerable.Range(0, labels.Length).Where(i => !labels[i]).ToArray();
        if (positives.Length == 0 || negatives.Length < o.GroupSize)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"Group testing: training needs at least one positive row and GroupSize ({o.GroupSize}) negative rows; the data has {positives.Length} positive and {negatives.Length} negative.");

        int seed = o.Seed ?? _env.Register(nameof(GroupTestingTrainer)).Rand.Next();
        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(_env);
        using var channel = _env.Register("GroupTesting").Start("Fit");
        var device = TorchDeviceSelector.Select(gpu, fallback, message => channel.Warning(MessageSensitivity.None, message));
        GroupTestingNetwork network;
        using (var initialization = new Generator(unchecked((ulong)seed), CPU))
            network = new GroupTestingNetwork(ResNet.Create(o.Architecture, 2, shape.Channels, o.WidthMultiplier, initialization), o.Design);
        if (initial is not null)
            CopyWeights(initial, network);
        network.to(device);

        var random = new Random(seed);
        int stepsPerEpoch = Math.Max(1, labels.Length / (o.GroupSize * o.GroupsPerBatch));
        using (var optimizer = optim.Adam(network.parameters(), o.LearningRate))
        {
            network.train();
            for (int epoch = 0; epoch < o.Epochs; epoch++)
            {
                double lossSum = 0;
                for (int step = 0; step < stepsPerEpoch; step++)
                {
                    using var scope = NewDisposeScope();
                    var (members, targets) = DrawGroups(random, positives, negatives);
                    var images = GatherImages(pixels, members, shape).to(device);
                    var groups = GroupTestingAlgorithms.ConsecutiveGroups(members.Length, o.GroupSize);
                    var logits = network.GroupLogits(network.Encode(images), groups);
                    var loss = nn.functional.cross_entropy(logits, tensor(targets, device: device));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                }
                channel.Info(MessageSensitivity.None, $"Epoch {epoch + 1}/{o.Epochs}: group loss {lossSum / stepsPerEpoch:F4}.");
            }
        }
        network.eval();
        var inference = new GroupTestingInferenceOptions { Algorithm = o.Algorithm, GroupSize = o.GroupSize, Seed = seed };
        return new GroupTestingTransformer(_env, new ResNetGroupTester(network, o.Architecture, o.WidthMultiplier, shape, device), o.FeatureColumnName, inference, o.Architecture, o.WidthMultiplier);
    }

    /// <summary>
    /// One batch of groups of M rows: a share of them with positives planted (exactly one in a share
    /// of those, 1 to M in the rest), the others all negative. Returns the rows, group after group,
    /// and each group's label (1 when any member is positive).
    /// </summary>
    private (int[] Members, long[] Targets) DrawGroups(Random random, int[] positives, int[] negatives)
    {
        var o = _options;
        var members = new int[o.GroupsPerBatch * o.GroupSize];
        var targets = new long[o.GroupsPerBatch];
        for (int g = 0; g < o.GroupsPerBatch; g++)
        {
            int planted = 0;
            if (random.NextDouble() < o.PositiveGroupShare)
                planted = random.NextDouble() < o.SinglePositiveShare ? 1 : random.Next(1, o.GroupSize + 1);
            var group = members.AsSpan(g * o.GroupSize, o.GroupSize);
            for (int m = 0; m < group.Length; m++)
                group[m] = m < planted ? positives[random.Next(positives.Length)] : negatives[random.Next(negatives.Length)];
            // The position of a positive must not give it away.
            random.Shuffle(group);
            targets[g] = planted > 0 ? 1 : 0;
        }
        return (members, targets);
    }

    private static Tensor GatherImages(float[] pixels, int[] rows, ImageShape shape)
        => tensor(GroupTestingRows.Gather(pixels, rows, shape.PixelCount), [rows.Length, shape.Channels, shape.Height, shape.Width]);

    private GroupTestingNetwork InitialNetwork(GroupTestingTransformer model, ImageShape shape)
    {
        var o = _options;
        if (model.GroupTester is not ResNetGroupTester tester)
            throw new ArgumentException("Group testing: the initial model must hold a trained network.", nameof(model));
        if (tester.Architecture != o.Architecture || tester.WidthMultiplier != o.WidthMultiplier || tester.Shape != shape)
            throw new ArgumentException(
                $"Group testing: the initial model is a {tester.Architecture} of width {tester.WidthMultiplier} on {tester.Shape} images; " +
                $"the trainer builds a {o.Architecture} of width {o.WidthMultiplier} on {shape} images. They must match.", nameof(model));
        return tester.Network;
    }

    // Parameters and batch-norm statistics, by name (the two networks are built alike, so the names match).
    private static void CopyWeights(GroupTestingNetwork from, GroupTestingNetwork to)
    {
        using var noGrad = no_grad();
        var parameters = from.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (name, target) in to.named_parameters())
            target.copy_(parameters[name]);
        var buffers = from.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, target) in to.named_buffers())
            target.copy_(buffers[name]);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var feature = inputSchema.FirstOrDefault(c => c.Name == _options.FeatureColumnName);
        if (feature.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Group testing: feature column '{_options.FeatureColumnName}' was not found in the input.");
        var added = new DataViewSchema.Builder();
        added.AddColumn(GroupTestingTransformer.ScoreColumnName, NumberDataViewType.Single);
        added.AddColumn(GroupTestingTransformer.PredictedLabelColumnName, BooleanDataViewType.Instance);
        return SchemaShapes.Append(inputSchema, added.ToSchema());
    }
}
