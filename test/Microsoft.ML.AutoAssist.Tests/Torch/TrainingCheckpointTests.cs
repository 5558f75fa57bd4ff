using System.Text.Json.Nodes;
using Microsoft.ML.AutoAssist.Tests.ImageClassification;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

public sealed class TrainingCheckpointTests : IDisposable
{
    private const int Batches = 3;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autoassist-checkpoint-tests", Guid.NewGuid().ToString("N"));
    private readonly Tensor _images;
    private readonly Tensor _labels;

    public TrainingCheckpointTests()
    {
        (_images, _labels) = QuadrantImages.Make(count: Batches * 8, channels: 1, size: 8, seed: 9);
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private sealed class Run : IDisposable
    {
        public Run(OptimizerAlgorithm algorithm, int initSeed)
        {
            torch.manual_seed(initSeed);
            Model = ResNet.Cifar(8, QuadrantImages.Classes, inChannels: 1);
            Optimizer = OptimizerFactory.Create(algorithm, Model.parameters(), learningRate: 0.05, weightDecay: 1e-3);
            Augmenter = new BatchAugmenter(padding: 1, horizontalFlip: true, seed: 17);
            Model.train();
        }

        public ResNet Model { get; }
        public OptimizerHelper Optimizer { get; }
        public BatchAugmenter Augmenter { get; }
        public long Step { get; set; }

        public void Dispose()
        {
            Optimizer.Dispose();
            Model.Dispose();
            Augmenter.Dispose();
        }
    }

    private const long TotalSteps = 10;
    private static readonly LearningRateScheduler s_schedule = new(0.05, LearningRateSchedule.Cosine, warmupFraction: 0.2);

    private void Train(Run run, int steps)
    {
        for (int i = 0; i < steps; i++, run.Step++)
        {
            using var scope = torch.NewDisposeScope();
            s_schedule.Apply(run.Optimizer, (double)run.Step / TotalSteps);
            long batch = run.Step % Batches;
            var x = run.Augmenter.Apply(_images.narrow(0, batch * 8, 8));
            var y = _labels.narrow(0, batch * 8, 8);
            run.Optimizer.zero_grad();
            nn.functional.cross_entropy(run.Model.forward(x), y).backward();
            run.Optimizer.step();
        }
    }

    private static TrainingLoopState StateOf(Run run) => new()
    {
        Epoch = (int)(run.Step / Batches),
        Step = run.Step,
        Progress = (double)run.Step / TotalSteps,
        RandomStates = { ["augmenter"] = run.Augmenter.GetRandomState() },
    };

    private static void Resume(Run run, TrainingLoopState state)
    {
        run.Step = state.Step;
        run.Augmenter.SetRandomState(state.RandomStates["augmenter"]);
    }

    [Theory]
    [InlineData(OptimizerAlgorithm.SgdNesterov)]
    [InlineData(OptimizerAlgorithm.AdamW)]
    public void ResumingFromACheckpointReproducesTheWeightsExactly(OptimizerAlgorithm algorithm)
    {
        using var original = new Run(algorithm, initSeed: 1);
        Train(original, 4);
        TrainingCheckpoint.Save(_directory, original.Model, original.Optimizer, StateOf(original));
        Train(original, 4);

        using var resumed = new Run(algorithm, initSeed: 2);   // different initial weights, empty optimizer state
        TrainingLoopState state;
        // Loading inside a caller's dispose scope must not hand the optimizer's new state to that scope.
        using (var scope = torch.NewDisposeScope())
        {
            state = TrainingCheckpoint.Load(_directory, resumed.Model, resumed.Optimizer);
        }
        Assert.Equal(4, state.Step);
        Resume(resumed, state);
        Train(resumed, 4);

        var expected = original.Model.state_dict();
        var actual = resumed.Model.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, tensor) in expected)
        {
            Assert.True(TensorEquality.Identical(tensor, actual[key]), $"{key} differs after resuming");
        }
    }

    [Fact]
    public void LoopStateRoundTrips()
    {
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        var saved = new TrainingLoopState
        {
            Epoch = 3,
            Step = 1234,
            Progress = 0.123456789012345,
            RandomStates = { ["a"] = [1, 2, 3], ["b"] = [] },
            Values = { ["threshold"] = 0.4375, ["history"] = new JsonArray(1, 2, 3), ["method"] = "AutoAssist" },
        };
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, saved);

        Assert.True(TrainingCheckpoint.TryLoad(_directory, run.Model, run.Optimizer, out var loaded));
        Assert.Equal(3, loaded.Epoch);
        Assert.Equal(1234, loaded.Step);
        Assert.Equal(0.123456789012345, loaded.Progress);
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded.RandomStates["a"]);
        Assert.Empty(loaded.RandomStates["b"]);
        Assert.Equal(0.4375, (double)loaded.Values["threshold"]!);
        Assert.Equal(3, loaded.Values["history"]!.AsArray().Count);
        Assert.Equal("AutoAssist", (string)loaded.Values["method"]!);
    }

    [Fact]
    public void EmptyFolderHasNoCheckpoint()
    {
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        Assert.False(TrainingCheckpoint.Exists(_directory));
        Assert.False(TrainingCheckpoint.TryLoad(_directory, run.Model, run.Optimizer, out _));
        Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.Load(_directory, run.Model, run.Optimizer));
    }

    [Fact]
    public void SavingAgainKeepsOnlyTheNewestCheckpoint()
    {
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        Train(run, 1);
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, StateOf(run));
        Train(run, 1);
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, StateOf(run));

        Assert.Single(Directory.GetDirectories(_directory));
        Assert.Equal(new[] { TrainingCheckpoint.ManifestFileName }, Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Equal(2, TrainingCheckpoint.Load(_directory, run.Model, run.Optimizer).Step);
    }

    [Fact]
    public void AnInterruptedSaveLeavesThePreviousCheckpointIntact()
    {
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        Train(run, 2);
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, StateOf(run));
        var snapshot = run.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        // What a process killed mid-save leaves behind: a half-written content folder and a temporary manifest.
        Directory.CreateDirectory(Path.Combine(_directory, "ckpt-000000000003-deadbeef"));
        File.WriteAllText(Path.Combine(_directory, "ckpt-000000000003-deadbeef", "weights.bin"), "half");
        File.WriteAllText(Path.Combine(_directory, TrainingCheckpoint.ManifestFileName + ".0123.tmp"), "{ \"formatVers");

        // A save that fails part-way must not replace the manifest either: the weights get written,
        // then the (disposed) optimizer cannot produce its state.
        Train(run, 1);
        var broken = OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, run.Model.parameters(), 0.1, 0);
        broken.Dispose();
        Assert.ThrowsAny<Exception>(() => TrainingCheckpoint.Save(_directory, run.Model, broken, StateOf(run)));
        Assert.Single(Directory.GetDirectories(_directory), d => !d.EndsWith("deadbeef", StringComparison.Ordinal));

        using var fresh = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 5);
        var state = TrainingCheckpoint.Load(_directory, fresh.Model, fresh.Optimizer);
        Assert.Equal(2, state.Step);
        foreach (var (key, tensor) in fresh.Model.state_dict())
        {
            Assert.True(TensorEquality.Identical(tensor, snapshot[key]), $"{key} was not restored from the last complete checkpoint");
        }

        // The next successful save clears the debris.
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, StateOf(run));
        Assert.Single(Directory.GetDirectories(_directory));
        Assert.Single(Directory.GetFiles(_directory));
        foreach (var t in snapshot.Values) t.Dispose();
    }

    [Fact]
    public void ACheckpointOfAnotherOptimizerOrModelIsRejected()
    {
        using var sgd = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        TrainingCheckpoint.Save(_directory, sgd.Model, sgd.Optimizer, StateOf(sgd));

        using var adamw = new Run(OptimizerAlgorithm.AdamW, initSeed: 1);
        var wrongOptimizer = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(_directory, adamw.Model, adamw.Optimizer));
        Assert.Contains("SGD", wrongOptimizer.Message);

        using var bigger = ResNet.Cifar(20, QuadrantImages.Classes, inChannels: 1);
        using var biggerOptimizer = OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, bigger.parameters(), 0.1, 0);
        var wrongModel = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(_directory, bigger, biggerOptimizer));
        Assert.Contains("weights.bin", wrongModel.Message);
    }

    [Fact]
    public void SavedWeightsAreReadableByModuleLoad()
    {
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        Train(run, 1);
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, StateOf(run));
        string weights = Path.Combine(Directory.GetDirectories(_directory).Single(), "model.weights.bin");

        using var other = ResNet.Cifar(8, QuadrantImages.Classes, inChannels: 1);
        other.load(weights);
        Assert.True(TensorEquality.Identical(other.state_dict()["fc.weight"], run.Model.state_dict()["fc.weight"]));
    }

    /// <summary>Two modules with an optimizer each, as a step that trains K blocks on local losses has.</summary>
    private sealed class TwoBlocks : IDisposable
    {
        public TwoBlocks(int initSeed)
        {
            torch.manual_seed(initSeed);
            First = ResNet.Cifar(8, QuadrantImages.Classes, inChannels: 1);
            Second = nn.Linear(QuadrantImages.Classes, QuadrantImages.Classes);
            FirstOptimizer = OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, First.parameters(), learningRate: 0.05, weightDecay: 1e-3);
            SecondOptimizer = OptimizerFactory.Create(OptimizerAlgorithm.AdamW, Second.parameters(), learningRate: 0.01, weightDecay: 1e-2);
        }

        public ResNet First { get; }
        public Linear Second { get; }
        public OptimizerHelper FirstOptimizer { get; }
        public OptimizerHelper SecondOptimizer { get; }
        public byte[] Extra { get; set; } = [];

        public CheckpointContent Content()
        {
            var content = new CheckpointContent();
            content.Modules["block0"] = First;
            content.Modules["block1"] = Second;
            content.Optimizers["block0"] = FirstOptimizer;
            content.Optimizers["block1"] = SecondOptimizer;
            content.Entries["selection"] = new CheckpointEntry(stream => stream.Write(Extra), stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                Extra = copy.ToArray();
            });
            return content;
        }

        /// <summary>Each block learns from its own (local) loss; the second reads the first's detached output.</summary>
        public void Train(Tensor images, Tensor labels, int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                using var scope = torch.NewDisposeScope();
                long batch = i % Batches;
                var x = images.narrow(0, batch * 8, 8);
                var y = labels.narrow(0, batch * 8, 8);
                FirstOptimizer.zero_grad();
                var logits = First.forward(x);
                nn.functional.cross_entropy(logits, y).backward();
                FirstOptimizer.step();
                SecondOptimizer.zero_grad();
                nn.functional.cross_entropy(Second.forward(logits.detach()), y).backward();
                SecondOptimizer.step();
            }
        }

        public IEnumerable<(string Key, Tensor Tensor)> Tensors()
            => First.state_dict().Select(kv => ("block0." + kv.Key, kv.Value)).Concat(Second.state_dict().Select(kv => ("block1." + kv.Key, kv.Value)));

        public void Dispose()
        {
            FirstOptimizer.Dispose();
            SecondOptimizer.Dispose();
            First.Dispose();
            Second.Dispose();
        }
    }

    [Fact]
    public void SeveralModulesOptimizersAndEntriesRoundTripBitForBit()
    {
        using var original = new TwoBlocks(initSeed: 1) { Extra = [7, 8, 9] };
        original.First.train();
        original.Train(_images, _labels, 3);
        TrainingCheckpoint.Save(_directory, original.Content(), new TrainingLoopState { Step = 3 });
        var saved = original.Tensors().ToDictionary(t => t.Key, t => t.Tensor.clone());
        original.Train(_images, _labels, 3);

        using var resumed = new TwoBlocks(initSeed: 2);
        resumed.First.train();
        Assert.True(TrainingCheckpoint.TryLoad(_directory, resumed.Content(), out var state));
        Assert.Equal(3, state.Step);
        Assert.Equal(new byte[] { 7, 8, 9 }, resumed.Extra);
        foreach (var (key, tensor) in resumed.Tensors())
            Assert.True(TensorEquality.Identical(saved[key], tensor), $"{key} was not restored bit for bit");

        // The optimizers' state came back too: training on gives the uninterrupted run's weights.
        resumed.Train(_images, _labels, 3);
        var expected = original.Tensors().ToDictionary(t => t.Key, t => t.Tensor);
        foreach (var (key, tensor) in resumed.Tensors())
            Assert.True(TensorEquality.Identical(expected[key], tensor), $"{key} differs after resuming");
        foreach (var t in saved.Values) t.Dispose();
    }

    [Fact]
    public void ACheckpointWithOtherNamesIsRejected()
    {
        using var blocks = new TwoBlocks(initSeed: 1);
        TrainingCheckpoint.Save(_directory, blocks.Content(), new TrainingLoopState());
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(_directory, run.Model, run.Optimizer));
        Assert.Contains("[block0, block1]", error.Message);
        Assert.Contains("[model]", error.Message);
    }

    [Fact]
    public void AFormatOneCheckpointIsStillRead()
    {
        using var run = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 1);
        Train(run, 2);
        TrainingCheckpoint.Save(_directory, run.Model, run.Optimizer, StateOf(run));
        // Rewrite it as the first format wrote it: fixed file names, one optimizer type in the manifest.
        string content = Directory.GetDirectories(_directory).Single();
        File.Move(Path.Combine(content, "model.weights.bin"), Path.Combine(content, "weights.bin"));
        File.Move(Path.Combine(content, "optimizer.optimizer.bin"), Path.Combine(content, "optimizer.bin"));
        string manifestPath = Path.Combine(_directory, TrainingCheckpoint.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["formatVersion"] = 1;
        manifest["optimizer"] = run.Optimizer.GetType().Name;
        manifest.Remove("modules");
        manifest.Remove("optimizers");
        manifest.Remove("entries");
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        using var fresh = new Run(OptimizerAlgorithm.SgdNesterov, initSeed: 5);
        Assert.Equal(2, TrainingCheckpoint.Load(_directory, fresh.Model, fresh.Optimizer).Step);
        foreach (var (key, tensor) in run.Model.state_dict())
            Assert.True(TensorEquality.Identical(tensor, fresh.Model.state_dict()[key]), $"{key} was not read from the format-1 checkpoint");
    }
}
