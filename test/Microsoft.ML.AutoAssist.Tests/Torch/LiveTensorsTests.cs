using Microsoft.ML.AutoAssist.Tests.ImageClassification;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

public class LiveTensorsTests
{
    [Fact]
    public void CounterSeesATensorUntilItIsDisposed()
    {
        long before = LiveTensors.Count;
        var tensor = torch.zeros(3);
        Assert.Equal(before + 1, LiveTensors.Count);
        tensor.Dispose();
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void CounterSeesATensorDetachedFromItsScope()
    {
        long before = LiveTensors.Count;
        Tensor kept;
        using (var scope = torch.NewDisposeScope())
        {
            torch.ones(2).add(1);
            kept = torch.ones(2).DetachFromDisposeScope();
        }
        Assert.Equal(before + 1, LiveTensors.Count);
        kept.Dispose();
        Assert.Equal(before, LiveTensors.Count);
    }

    [Theory]
    [InlineData(OptimizerAlgorithm.SgdNesterov)]
    [InlineData(OptimizerAlgorithm.AdamW)]
    public void TrainingStepsInsideDisposeScopesLeakNoTensors(OptimizerAlgorithm algorithm)
    {
        torch.manual_seed(4);
        var (images, labels) = QuadrantImages.Make(count: 8, channels: 1, size: 8, seed: 4);
        using var _i = images;
        using var _l = labels;
        using var model = ResNet.Cifar(8, QuadrantImages.Classes, inChannels: 1);
        using var optimizer = OptimizerFactory.Create(algorithm, model.parameters(), learningRate: 0.01, weightDecay: 1e-4);
        using var augmenter = new BatchAugmenter(padding: 1, horizontalFlip: true, seed: 4);
        var scheduler = new LearningRateScheduler(0.01, LearningRateSchedule.Cosine, warmupFraction: 0.2);

        void Step(int step)
        {
            using var scope = torch.NewDisposeScope();
            scheduler.Apply(optimizer, step / 4.0);
            optimizer.zero_grad();
            var perSample = nn.functional.cross_entropy(model.forward(augmenter.Apply(images)), labels, reduction: nn.Reduction.None);
            perSample.mean().backward();
            optimizer.step();
            _ = perSample.data<float>().ToArray();   // what a feedback channel would read
        }

        model.train();
        Step(0);   // the first step creates the optimizer's state (momentum buffers), which lives on
        long before = LiveTensors.Count;
        for (int step = 1; step < 4; step++) Step(step);
        Assert.Equal(before, LiveTensors.Count);

        model.eval();
        using (var noGrad = torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            model.forward(images).argmax(1);
        }
        Assert.Equal(before, LiveTensors.Count);
    }
}
