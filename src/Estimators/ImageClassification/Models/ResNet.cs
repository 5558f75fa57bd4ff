using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A residual network of <see cref="BasicBlock"/>s for small images: a 3x3 stem (no max-pool), stages
/// of blocks where every stage after the first halves the resolution, a global average pool and a
/// linear classifier. Input (N, C, H, W) with H, W &gt;= 8; output (N, numClasses) logits.
/// </summary>
/// <remarks>
/// Field names follow torchvision (conv1, bn1, layer1.., fc) so that state-dict keys look familiar.
/// Convolutions get Kaiming-normal initialization (fan-out, ReLU), batch norms weight 1 and bias 0,
/// the classifier PyTorch's default (uniform in ±1/sqrt(fan-in)). With a generator every random
/// weight is drawn from it, so two trainers building networks at the same time on different threads
/// do not share (or disturb) TorchSharp's global random stream.
/// </remarks>
internal sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential? layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    private readonly Sequential[] stages;
    private readonly IReadOnlyList<int> blocksPerStage;
    private readonly IReadOnlyList<long> stageWidths;

    private ResNet(string name, int inChannels, int numClasses, IReadOnlyList<int> blocksPerStage, IReadOnlyList<long> stageWidths, Generator? generator)
        : base(name)
    {
        InChannels = inChannels;
        NumClasses = numClasses;
        this.blocksPerStage = blocksPerStage;
        this.stageWidths = stageWidths;

        conv1 = Conv2d(inChannels, stageWidths[0], kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(stageWidths[0]);

        var built = new Sequential[blocksPerStage.Count];
        long width = stageWidths[0];
        for (int s = 0; s < built.Length; s++)
        {
            long stride = s == 0 ? 1 : 2;
            var blocks = new List<(string, Module<Tensor, Tensor>)>();
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                blocks.Add((b.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    new BasicBlock("BasicBlock", width, stageWidths[s], b == 0 ? stride : 1)));
                width = stageWidths[s];
            }
            built[s] = Sequential(blocks);
        }

        layer1 = built[0];
        layer2 = built[1];
        layer3 = built[2];
        layer4 = built.Length > 3 ? built[3] : null;
        stages = built;

        avgpool = AdaptiveAvgPool2d(1);
        fc = Linear(width, numClasses);

        RegisterComponents();
        InitializeWeights(generator);
    }

    /// <summary>Number of input channels the network expects (1 for grayscale, 3 for RGB).</summary>
    public int InChannels { get; }

    /// <summary>Number of output logits.</summary>
    public int NumClasses { get; }

    /// <summary>The stem's convolution (for training the network in local blocks).</summary>
    internal Conv2d Conv1 => conv1;

    /// <summary>The stem's batch norm.</summary>
    internal BatchNorm2d Bn1 => bn1;

    /// <summary>Every residual block in order, across the stages.</summary>
    internal IReadOnlyList<BasicBlock> ResidualBlocks => stages.SelectMany(stage => stage.children().Cast<BasicBlock>()).ToArray();

    /// <summary>The global average pool before the classifier.</summary>
    internal AdaptiveAvgPool2d AvgPool => avgpool;

    /// <summary>The linear classifier.</summary>
    internal Linear Fc => fc;

    /// <summary>Total number of trainable and frozen parameter elements.</summary>
    public long ParameterCount => this.CountParameters();

    /// <summary>Builds the network named by <paramref name="architecture"/>.</summary>
    /// <param name="architecture">Which network.</param>
    /// <param name="numClasses">Number of classes (logits), at least 2.</param>
    /// <param name="inChannels">Image channels, at least 1.</param>
    /// <param name="widthMultiplier">Multiplies every stage's channel count (1 = the paper's widths).</param>
    /// <param name="generator">A CPU generator the initial weights are drawn from; null: TorchSharp's global one (e.g. when loaded weights replace them).</param>
    public static ResNet Create(ResNetArchitecture architecture, int numClasses, int inChannels = 3, int widthMultiplier = 1, Generator? generator = null)
        => architecture switch
        {
            ResNetArchitecture.ResNet8 => Cifar(8, numClasses, inChannels, widthMultiplier, generator),
            ResNetArchitecture.ResNet20 => Cifar(20, numClasses, inChannels, widthMultiplier, generator),
            ResNetArchitecture.ResNet32 => Cifar(32, numClasses, inChannels, widthMultiplier, generator),
            ResNetArchitecture.ResNet56 => Cifar(56, numClasses, inChannels, widthMultiplier, generator),
            ResNetArchitecture.ResNet18 => ResNet18(numClasses, inChannels, widthMultiplier, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown ResNet architecture."),
        };

    /// <summary>
    /// The CIFAR ResNet of He et al. (2016), section 4.2: depth 6n+2, three stages of n basic blocks
    /// with 16, 32 and 64 channels (times <paramref name="widthMultiplier"/>).
    /// </summary>
    /// <param name="depth">Total number of weighted layers: 6n+2, e.g. 8, 20, 32, 56, 110.</param>
    /// <param name="numClasses">Number of classes (logits), at least 2.</param>
    /// <param name="inChannels">Image channels, at least 1.</param>
    /// <param name="widthMultiplier">Multiplies every stage's channel count, at least 1.</param>
    /// <param name="generator">A CPU generator the initial weights are drawn from; null: TorchSharp's global one.</param>
    public static ResNet Cifar(int depth, int numClasses, int inChannels = 3, int widthMultiplier = 1, Generator? generator = null)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A CIFAR ResNet's depth must be 6n+2 with n >= 1 (8, 20, 32, 56, ...).");
        }
        CheckShape(numClasses, inChannels, widthMultiplier);
        int n = (depth - 2) / 6;
        long w = widthMultiplier;
        return new ResNet($"ResNet{depth}", inChannels, numClasses, [n, n, n], [16 * w, 32 * w, 64 * w], generator);
    }

    /// <summary>
    /// ResNet-18 (basic blocks [2, 2, 2, 2], 64/128/256/512 channels times <paramref name="widthMultiplier"/>)
    /// with a 3x3 stride-1 stem and no max-pool, so that 32x32 inputs keep a 4x4 map in the last stage.
    /// </summary>
    /// <param name="numClasses">Number of classes (logits), at least 2.</param>
    /// <param name="inChannels">Image channels, at least 1.</param>
    /// <param name="widthMultiplier">Multiplies every stage's channel count, at least 1.</param>
    /// <param name="generator">A CPU generator the initial weights are drawn from; null: TorchSharp's global one.</param>
    public static ResNet ResNet18(int numClasses, int inChannels = 3, int widthMultiplier = 1, Generator? generator = null)
    {
        CheckShape(numClasses, inChannels, widthMultiplier);
        long w = widthMultiplier;
        return new ResNet("ResNet18", inChannels, numClasses, [2, 2, 2, 2], [64 * w, 128 * w, 256 * w, 512 * w], generator);
    }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != InChannels)
        {
            throw new ArgumentException(
                $"{GetName()} expects images shaped (N, {InChannels}, H, W) but got ({string.Join(", ", input.shape)}).",
                nameof(input));
        }

        using var scope = torch.NewDisposeScope();
        var x = bn1.forward(conv1.forward(input)).relu_();
        foreach (var stage in stages)
        {
            x = stage.forward(x);
        }
        x = avgpool.forward(x).flatten(1);
        return fc.forward(x).MoveToOuterDisposeScope();
    }

    // The three parts below split forward for neural group testing, which merges the features of
    // several samples between parts: forward(x) == ForwardRest(ForwardMiddle(ForwardEarly(x))).

    /// <summary>The stem and the first stage: the per-sample features that group testing merges.</summary>
    internal Tensor ForwardEarly(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = bn1.forward(conv1.forward(input)).relu_();
        return layer1.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>The second stage, where tree merge runs once per sub-group.</summary>
    internal Tensor ForwardMiddle(Tensor early) => layer2.forward(early);

    /// <summary>The remaining stages, the pool and the classifier: logits.</summary>
    internal Tensor ForwardRest(Tensor middle)
    {
        using var scope = torch.NewDisposeScope();
        var x = middle;
        for (int s = 2; s < stages.Length; s++)
            x = stages[s].forward(x);
        x = avgpool.forward(x).flatten(1);
        return fc.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Multiply-accumulates of one sample through <see cref="ForwardEarly"/>, <see cref="ForwardMiddle"/>
    /// and <see cref="ForwardRest"/>, counting convolutions and the classifier (batch norms, ReLUs
    /// and the pool add well under 1% and are left out).
    /// </summary>
    internal (long Early, long Middle, long Late) MultiplyAccumulates(int height, int width)
    {
        long h = height, w = width;
        long early = stageWidths[0] * InChannels * 9 * h * w;
        long middle = 0, rest = 0;
        long channels = stageWidths[0];
        for (int s = 0; s < stages.Length; s++)
        {
            long stageMacs = 0;
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                long outH = (h + stride - 1) / stride, outW = (w + stride - 1) / stride;
                long outChannels = stageWidths[s];
                stageMacs += outChannels * channels * 9 * outH * outW + outChannels * outChannels * 9 * outH * outW;
                if (stride != 1 || channels != outChannels)
                    stageMacs += outChannels * channels * outH * outW;
                channels = outChannels;
                h = outH;
                w = outW;
            }
            if (s == 0) early += stageMacs;
            else if (s == 1) middle += stageMacs;
            else rest += stageMacs;
        }
        rest += channels * NumClasses;
        return (early, middle, rest);
    }

    private void InitializeWeights(Generator? generator)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    // Kaiming normal, fan-out, ReLU gain: std = sqrt(2 / fan-out).
                    long fanOut = conv.weight.shape.Skip(2).Aggregate(conv.weight.shape[0], (product, size) => product * size);
                    FillNormal(conv.weight, Math.Sqrt(2.0 / fanOut), generator);
                    break;
                case BatchNorm2d bn:
                    init.ones_(bn.weight);
                    init.zeros_(bn.bias);
                    break;
                case Linear linear:
                    // PyTorch's default for Linear, drawn again so that it comes from the generator too.
                    double bound = 1 / Math.Sqrt(linear.in_features);
                    FillUniform(linear.weight, bound, generator);
                    if (linear.bias is not null)
                        FillUniform(linear.bias, bound, generator);
                    break;
            }
        }
    }

    // Drawn with torch.randn / torch.rand, which honour a generator: TorchSharp 0.107's nn.init
    // functions gave different weights for the same seeded generator (kaiming_normal_ takes none).
    private static void FillNormal(Tensor weight, double std, Generator? generator)
    {
        using var values = torch.randn(weight.shape, generator: generator);
        weight.copy_(values.mul_(std));
    }

    private static void FillUniform(Tensor weight, double bound, Generator? generator)
    {
        using var values = torch.rand(weight.shape, generator: generator);
        weight.copy_(values.mul_(2 * bound).sub_(bound));
    }

    private static void CheckShape(int numClasses, int inChannels, int widthMultiplier)
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "A classifier needs at least 2 classes.");
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "Images need at least 1 channel.");
        if (widthMultiplier < 1) throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "The width multiplier must be at least 1.");
    }
}
