using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

public class OptimizerFactoryTests
{
    [Fact]
    public void SgdUsesNesterovMomentumAndWeightDecay()
    {
        using var layer = torch.nn.Linear(4, 2);
        using var optimizer = OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, layer.parameters(), learningRate: 0.1, weightDecay: 5e-4, momentum: 0.8);

        var sgd = Assert.IsType<SGD>(optimizer);
        var options = Assert.IsType<SGD.Options>(Assert.Single(sgd.state_dict().Options));
        Assert.True(options.nesterov);
        Assert.Equal(0.8, options.momentum);
        Assert.Equal(5e-4, options.weight_decay);
        Assert.Equal(0.1, options.LearningRate);
    }

    [Fact]
    public void AdamWUsesDecoupledWeightDecay()
    {
        using var layer = torch.nn.Linear(4, 2);
        using var optimizer = OptimizerFactory.Create(OptimizerAlgorithm.AdamW, layer.parameters(), learningRate: 1e-3, weightDecay: 0.01);

        var adamw = Assert.IsType<AdamW>(optimizer);
        var options = Assert.IsType<AdamW.Options>(Assert.Single(adamw.state_dict().Options));
        Assert.Equal(0.01, options.weight_decay);
        Assert.Equal(1e-3, options.LearningRate);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        using var layer = torch.nn.Linear(4, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, layer.parameters(), 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, layer.parameters(), 0.1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, layer.parameters(), 0.1, 0, momentum: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerAlgorithm)9, layer.parameters(), 0.1, 0));
    }
}
