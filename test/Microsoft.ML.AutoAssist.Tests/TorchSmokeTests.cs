using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests;

/// <summary>Proves TorchSharp's native library loads and trains in this build output.</summary>
public class TorchSmokeTests
{
    [Fact]
    public void SmallNetworkLossGoesDown()
    {
        torch.manual_seed(1);
        var x = torch.randn(256, 8);
        var w = torch.randn(8, 1);
        var y = (x.matmul(w) > 0).to_type(ScalarType.Float32);
        var net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1));
        var opt = optim.SGD(net.parameters(), 0.5);
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(net.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.5f, $"loss went from {first} to {last}");
    }
}
