using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The two-convolution residual block of He et al. (2016): conv3x3-BN-ReLU-conv3x3-BN, plus the
/// shortcut, then ReLU. Field names follow torchvision so that state-dict keys read the same.
/// </summary>
/// <remarks>
/// Where the block changes resolution or width, the shortcut is a 1x1 convolution with stride
/// followed by batch norm (the paper's option B). Option A (zero-padded identity) has slightly
/// fewer parameters but needs custom slicing; B is a plain module and trains at least as well.
/// </remarks>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(string name, long inChannels, long outChannels, long stride) : base(name)
    {
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = Sequential(
                ("0", Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false)),
                ("1", BatchNorm2d(outChannels)));
        }

        OutChannels = outChannels;
        RegisterComponents();
    }

    /// <summary>Channels of the block's output.</summary>
    public long OutChannels { get; }

    public override Tensor forward(Tensor input)
    {
        // A local scope frees the intermediates as soon as the block is done, so that inference
        // outside any caller scope does not pile up tensors for the finalizer.
        using var scope = torch.NewDisposeScope();
        // In-place ReLU after batch norm is safe: batch norm's backward needs its input, not its output.
        var x = bn1.forward(conv1.forward(input)).relu_();
        x = bn2.forward(conv2.forward(x));
        var shortcut = downsample is null ? input : downsample.forward(input);
        return x.add_(shortcut).relu_().MoveToOuterDisposeScope();
    }
}
