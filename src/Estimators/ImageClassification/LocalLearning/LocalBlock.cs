using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One block of a network trained with local losses: a run of consecutive layers (the body) and a
/// small head (global average pool, flatten, linear) that turns the body's output into logits for
/// the block's own loss. The body's modules are the ResNet's own, so training a block trains the
/// ResNet; the last block's head is the ResNet's pool and classifier.
/// </summary>
internal sealed class LocalBlock : Module<Tensor, (Tensor Features, Tensor Logits)>
{
    private readonly Sequential body;
    private readonly Sequential head;

    public LocalBlock(string name, Sequential body, Sequential head) : base(name)
    {
        this.body = body;
        this.head = head;
        RegisterComponents();
    }

    /// <summary>A head of its own: global average pool and a linear layer, initialised as PyTorch's Linear but from <paramref name="generator"/>.</summary>
    public static Sequential AuxiliaryHead(long channels, int classes, Generator generator)
    {
        var fc = Linear(channels, classes);
        using (no_grad())
        {
            double bound = 1 / Math.Sqrt(channels);
            using var weight = rand(fc.weight.shape, generator: generator);
            fc.weight.copy_(weight.mul_(2 * bound).sub_(bound));
            using var bias = rand(fc.bias!.shape, generator: generator);
            fc.bias.copy_(bias.mul_(2 * bound).sub_(bound));
        }
        return Sequential(("avgpool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("fc", fc));
    }

    public override (Tensor Features, Tensor Logits) forward(Tensor input)
    {
        var features = body.forward(input);
        return (features, head.forward(features));
    }
}
