using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

/// <summary>The manifest's checksums catch damaged checkpoint files; checkpoints saved before them still load.</summary>
public sealed class CheckpointChecksumTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autoassist-checkpoint-checksums").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Sequential SmallModule(int seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(("hidden", nn.Linear(4, 8)), ("out", nn.Linear(8, 3)));
    }

    private string SaveOne(Sequential module)
    {
        using var optimizer = torch.optim.SGD(module.parameters(), learningRate: 0.1, momentum: 0.9);
        TrainingCheckpoint.Save(_directory, module, optimizer, new TrainingLoopState { Step = 7 });
        return Directory.GetDirectories(_directory).Single();
    }

    [Theory]
    [InlineData(BossStep.ModuleName + ".weights.bin")]
    [InlineData(BossStep.OptimizerName + ".optimizer.bin")]
    public void AFlippedByteIsCaughtBeforeTorchSharpReadsTheFile(string fileName)
    {
        using var module = SmallModule(seed: 1);
        string file = Path.Combine(SaveOne(module), fileName);
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0x10; // in the last tensor's values: TorchSharp would read it without complaint
        File.WriteAllBytes(file, bytes);

        using var fresh = SmallModule(seed: 2);
        using var optimizer = torch.optim.SGD(fresh.parameters(), learningRate: 0.1, momentum: 0.9);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(_directory, fresh, optimizer));
        Assert.Contains(file, error.Message);
        Assert.Contains("CRC-32", error.Message);
    }

    [Fact]
    public void ACutFileIsNamedWithBothLengths()
    {
        using var module = SmallModule(seed: 1);
        string file = Path.Combine(SaveOne(module), BossStep.ModuleName + ".weights.bin");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..100]);

        using var fresh = SmallModule(seed: 2);
        using var optimizer = torch.optim.SGD(fresh.parameters(), learningRate: 0.1, momentum: 0.9);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(_directory, fresh, optimizer));
        Assert.Contains($"holds 100 bytes, but the manifest '{Path.Combine(_directory, TrainingCheckpoint.ManifestFileName)}' says {bytes.Length}", error.Message);
    }

    [Fact]
    public void ACheckpointSavedBeforeChecksumsStillLoads()
    {
        using var module = SmallModule(seed: 1);
        SaveOne(module);
        string manifestPath = Path.Combine(_directory, TrainingCheckpoint.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        Assert.True(manifest.Remove("checksums"));
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        using var fresh = SmallModule(seed: 2);
        using var optimizer = torch.optim.SGD(fresh.parameters(), learningRate: 0.1, momentum: 0.9);
        Assert.Equal(7, TrainingCheckpoint.Load(_directory, fresh, optimizer).Step);
        foreach (var (key, tensor) in fresh.state_dict())
            Assert.True(TensorEquality.Identical(tensor, module.state_dict()[key]), key);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("ckpt-../../elsewhere")]
    [InlineData("other-folder")]
    public void AContentNameThatLeavesTheFolderIsRefused(string content)
    {
        using var module = SmallModule(seed: 1);
        SaveOne(module);
        string manifestPath = Path.Combine(_directory, TrainingCheckpoint.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["content"] = content;
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        using var fresh = SmallModule(seed: 2);
        using var optimizer = torch.optim.SGD(fresh.parameters(), learningRate: 0.1, momentum: 0.9);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(_directory, fresh, optimizer));
        Assert.Contains(manifestPath, error.Message);
    }
}
