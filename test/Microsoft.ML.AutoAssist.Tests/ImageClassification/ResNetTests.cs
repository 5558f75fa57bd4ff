using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

public class ResNetTests
{
    public static TheoryData<ResNetArchitecture, int, int> ArchitecturesAndInputs()
    {
        var data = new TheoryData<ResNetArchitecture, int, int>();
        foreach (var architecture in Enum.GetValues<ResNetArchitecture>())
        {
            data.Add(architecture, 1, 28);   // Fashion-MNIST shape
            data.Add(architecture, 3, 32);   // CIFAR shape
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ArchitecturesAndInputs))]
    public void OutputIsOneLogitPerClass(ResNetArchitecture architecture, int channels, int size)
    {
        torch.manual_seed(1);
        using var model = ResNet.Create(architecture, numClasses: 10, inChannels: channels);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var logits = model.forward(torch.randn(2, channels, size, size));
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void SmallestSupportedImageIsEightPixels()
    {
        using var model = ResNet.ResNet18(numClasses: 3, inChannels: 1);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new long[] { 4, 3 }, model.forward(torch.randn(4, 1, 8, 8)).shape);
    }

    [Fact]
    public void ResNet20HasTheParameterCountOfThePaperWithProjectionShortcuts()
    {
        using var model = ResNet.Create(ResNetArchitecture.ResNet20, numClasses: 10, inChannels: 3);
        // 0.27M as in He et al.; option B adds 2,752 for the two 1x1 projection shortcuts and their batch norms.
        Assert.Equal(272_474, model.ParameterCount);
        Assert.Equal(model.ParameterCount, model.CountParameters());
    }

    [Theory]
    [InlineData(ResNetArchitecture.ResNet8, 78_042)]
    [InlineData(ResNetArchitecture.ResNet56, 855_770)]
    public void CifarParameterCountsGrowWithDepth(ResNetArchitecture architecture, long expected)
    {
        using var model = ResNet.Create(architecture, numClasses: 10, inChannels: 3);
        Assert.Equal(expected, model.ParameterCount);
    }

    [Fact]
    public void WidthMultiplierWidensEveryStage()
    {
        using var narrow = ResNet.Cifar(8, numClasses: 10, inChannels: 3, widthMultiplier: 1);
        using var wide = ResNet.Cifar(8, numClasses: 10, inChannels: 3, widthMultiplier: 2);
        var shapes = wide.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new long[] { 32, 3, 3, 3 }, shapes["conv1.weight"]);
        Assert.Equal(new long[] { 10, 128 }, shapes["fc.weight"]);
        Assert.True(wide.ParameterCount > 3 * narrow.ParameterCount);
    }

    [Fact]
    public void StateDictKeysFollowTorchvisionNames()
    {
        using var cifar = ResNet.Cifar(20, numClasses: 10);
        var keys = cifar.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", keys);
        Assert.Contains("bn1.running_mean", keys);
        Assert.Contains("layer1.2.conv2.weight", keys);
        Assert.Contains("layer2.0.downsample.0.weight", keys);
        Assert.Contains("layer3.0.downsample.1.running_var", keys);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", keys);
        Assert.Contains("fc.bias", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("layer4", StringComparison.Ordinal));

        using var resnet18 = ResNet.ResNet18(numClasses: 10);
        Assert.Contains("layer4.1.bn2.weight", resnet18.state_dict().Keys);
    }

    [Fact]
    public void ConvolutionsGetKaimingInitialization()
    {
        torch.manual_seed(3);
        using var model = ResNet.Create(ResNetArchitecture.ResNet56, numClasses: 10);
        // Kaiming normal, fan-out, ReLU: std = sqrt(2 / (out_channels * 3 * 3)).
        var weight = model.state_dict()["layer3.5.conv1.weight"];
        double expectedStd = Math.Sqrt(2.0 / (64 * 9));
        double std = weight.std().item<float>();
        Assert.InRange(std, 0.95 * expectedStd, 1.05 * expectedStd);
        Assert.True(model.state_dict()["layer3.5.bn1.weight"].eq(1).all().item<bool>());
    }

    [Fact]
    public void ResNet8LearnsWhichQuadrantIsBright()
    {
        torch.manual_seed(7);
        var (images, labels) = QuadrantImages.Make(count: 64, channels: 1, size: 16, seed: 7);
        using var _i = images;
        using var _l = labels;
        using var model = ResNet.Create(ResNetArchitecture.ResNet8, QuadrantImages.Classes, inChannels: 1);
        using var optimizer = OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, model.parameters(), learningRate: 0.05, weightDecay: 0);

        model.train();
        float firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < 25; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(images), labels);
            loss.backward();
            optimizer.step();
            if (step == 0) firstLoss = loss.item<float>();
            lastLoss = loss.item<float>();
        }
        Assert.True(lastLoss < 0.05f * firstLoss, $"loss went from {firstLoss} to {lastLoss}");

        using var noGrad = torch.no_grad();
        // Train accuracy with batch statistics, as during training.
        Assert.True(Accuracy(model, images, labels) >= 0.98, "train accuracy in training mode");

        // Batch norm's running averages lag 25 fast steps behind; a few gradient-free passes in
        // training mode let them catch up, after which inference mode classifies as well.
        for (int pass = 0; pass < 10; pass++)
        {
            using var scope = torch.NewDisposeScope();
            model.forward(images);
        }
        model.eval();
        Assert.True(Accuracy(model, images, labels) >= 0.98, "train accuracy in inference mode");
    }

    private static double Accuracy(ResNet model, Tensor images, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        return model.forward(images).argmax(1).eq(labels).to_type(ScalarType.Float32).mean().item<float>();
    }

    [Fact]
    public void PerSampleLossesAverageToTheBatchLoss()
    {
        torch.manual_seed(2);
        var (images, labels) = QuadrantImages.Make(count: 8, channels: 3, size: 8, seed: 2);
        using var _i = images;
        using var _l = labels;
        using var model = ResNet.Cifar(8, QuadrantImages.Classes);
        using var scope = torch.NewDisposeScope();
        var logits = model.forward(images);
        var perSample = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        var mean = nn.functional.cross_entropy(logits, labels);
        Assert.Equal(new long[] { 8 }, perSample.shape);
        Assert.Equal(mean.item<float>(), perSample.mean().item<float>(), 5);
    }

    [Fact]
    public void WrongChannelCountIsReportedWithTheShapes()
    {
        using var model = ResNet.Cifar(8, numClasses: 10, inChannels: 3);
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => model.forward(torch.zeros(2, 1, 28, 28)));
        Assert.Contains("(N, 3, H, W)", error.Message);
        Assert.Contains("(2, 1, 28, 28)", error.Message);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(18)]
    [InlineData(2)]
    public void CifarDepthMustBeSixNPlusTwo(int depth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet.Cifar(depth, numClasses: 10));
    }

    [Fact]
    public void FewerThanTwoClassesIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet.Create(ResNetArchitecture.ResNet20, numClasses: 1));
    }
}
