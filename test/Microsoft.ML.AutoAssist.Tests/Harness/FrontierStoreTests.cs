using System.Text.Json;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;
using AutoAssist.Harness.Store;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>The frontier's bookkeeping with a task that trains nothing: the store, resume, the warm-up, the report and its provenance.</summary>
public sealed class FrontierStoreTests : IDisposable
{
    private static readonly SourceVersion Clean = new("head1", "code1", Dirty: false);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "autoassist-frontier-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_folder, "store.jsonl");

    private HarnessOptions Options(params string[] extra) => HarnessOptions.Parse(
    [
        "--methods", "uniform,autoassist", "--fractions", "0.5", "--method-fractions", "uniform=0.5,1", "--seeds", "1,2",
        "--epochs", "1", "--batch-size", "10", "--eval-interval", "5", "--warmup-steps", "3",
        "--store", StorePath, "--out", Path.Combine(_folder, "out"), .. extra,
    ]);

    [Fact]
    public void TheWarmUpRunsFirstAndIsNeitherReturnedNorStored()
    {
        var task = new FakeTask();
        var store = ResultStore.Open(StorePath);
        var trained = new FrontierRunner(Options(), task, store, Clean, TextWriter.Null).Run();

        // B = 1 pass of 1000 rows at batch 10 = 100 steps: uniform at 50 and 100, autoassist at 50; two seeds.
        Assert.Equal(6, trained.Count);
        Assert.Equal(7, task.Calls.Count);
        Assert.Equal(3, task.Calls[0].MaxSteps);                       // the warm-up, before any timed run
        Assert.DoesNotContain(task.Calls.Skip(1), c => c.MaxSteps == 3);
        Assert.DoesNotContain(store.Runs, r => r.Result.Steps == 3);
        Assert.Equal(6, ResultStore.Open(StorePath).Runs.Count);
        Assert.Equal([50L, 50L, 100L], trained.Where(r => r.Seed == 1).Select(r => r.Steps).Order());
    }

    [Fact]
    public void RunsAlreadyInTheStoreAreSkipped()
    {
        var first = new FakeTask();
        new FrontierRunner(Options(), first, ResultStore.Open(StorePath), Clean, TextWriter.Null).Run();

        // Seed 3 is new; seeds 1 and 2 are in the store for this code and these settings.
        var second = new FakeTask();
        var trained = new FrontierRunner(Options("--seeds", "1,2,3"), second, ResultStore.Open(StorePath), Clean, TextWriter.Null).Run();
        Assert.Equal([3, 3, 3], trained.Select(r => r.Seed));
        Assert.Equal(4, second.Calls.Count);   // a warm-up, then the three runs of seed 3

        // Nothing left: no run and no warm-up.
        var third = new FakeTask();
        Assert.Empty(new FrontierRunner(Options("--seeds", "1,2,3"), third, ResultStore.Open(StorePath), Clean, TextWriter.Null).Run());
        Assert.Empty(third.Calls);

        // Other settings, or an uncommitted tree, or --no-resume-store: trained again.
        Assert.Equal(["autoassist", "autoassist", "autoassist"], new FrontierRunner(
            Options("--seeds", "1,2,3", "--set", "autoassist.BaseKeepProbability=0.2"), new FakeTask(),
            ResultStore.Open(StorePath), Clean, TextWriter.Null).Run().Select(r => r.Method));
        Assert.Equal(9, new FrontierRunner(Options("--seeds", "1,2,3"), new FakeTask(), ResultStore.Open(StorePath),
            Clean with { Dirty = true }, TextWriter.Null).Run().Count);
        Assert.Equal(9, new FrontierRunner(Options("--seeds", "1,2,3", "--no-resume-store"), new FakeTask(), ResultStore.Open(StorePath),
            Clean, TextWriter.Null).Run().Count);
    }

    [Fact]
    public void ANewCommitRunsAgainUnlessRunsMayCarryAcrossCommits()
    {
        new FrontierRunner(Options(), new FakeTask(), ResultStore.Open(StorePath), Clean, TextWriter.Null).Run();
        var newCode = new SourceVersion("head2", "code2", Dirty: false);
        Assert.Empty(new FrontierRunner(Options("--resume-across-commits"), new FakeTask(), ResultStore.Open(StorePath), newCode, TextWriter.Null).Run());
        Assert.Equal(6, new FrontierRunner(Options(), new FakeTask(), ResultStore.Open(StorePath), newCode, TextWriter.Null).Run().Count);
    }

    [Fact]
    public void TheStoreRoundTripsEveryRunExactly()
    {
        var store = ResultStore.Open(StorePath);
        var trained = new FrontierRunner(Options(), new FakeTask(), store, Clean, TextWriter.Null).Run();
        var reread = ResultStore.Open(StorePath);
        Assert.Equal(0, reread.UnreadableLines);
        Assert.Equal(trained.Select(ResultStore.Serialize), reread.Runs.Select(ResultStore.Serialize));
        Assert.Equal(File.ReadAllLines(StorePath), reread.Runs.Select(ResultStore.Serialize));
        Assert.Equal(trained[0].Key, reread.Runs[0].Key);
        Assert.Equal(trained[0].Result.Curve, reread.Runs[0].Result.Curve);
        Assert.True(double.IsNaN(reread.Runs[0].Result.SelectionEpochs[0].Threshold));
        Assert.Equal([200L, 400L], reread.Runs[0].Result.SelectionEpochs[0].KeptByClass!);
        Assert.Equal([500L, 500L], reread.Runs[0].Result.SelectionEpochs[0].ConsideredByClass!);
    }

    [Fact]
    public void ALineCutOffMidWriteIsSkippedAndDoesNotSpoilTheNextOne()
    {
        var store = ResultStore.Open(StorePath);
        new FrontierRunner(Options("--seeds", "1"), new FakeTask(), store, Clean, TextWriter.Null).Run();
        File.AppendAllText(StorePath, "{\"commit\":\"half a li");
        var resumed = ResultStore.Open(StorePath);
        Assert.Equal(1, resumed.UnreadableLines);
        new FrontierRunner(Options("--seeds", "1,2"), new FakeTask(), resumed, Clean, TextWriter.Null).Run();
        var reread = ResultStore.Open(StorePath);
        Assert.Equal(1, reread.UnreadableLines);
        Assert.Equal(6, reread.Runs.Count);
    }

    [Fact]
    public void TheReportRebuiltFromTheStoreIsTheReportWrittenAfterTheRuns()
    {
        var direct = FrontierSession.Run(Options(), TextWriter.Null, () => new FakeTask(), Clean);
        var rebuilt = FrontierSession.Run(
            HarnessOptions.Parse(["--report-from-store", "--store", StorePath, "--out", Path.Combine(_folder, "rebuilt")]),
            TextWriter.Null, createTask: null, Clean);

        Assert.Equal(File.ReadAllText(direct.Json), File.ReadAllText(rebuilt.Json));
        Assert.Equal(File.ReadAllText(direct.Markdown), File.ReadAllText(rebuilt.Markdown));
        Assert.Equal(File.ReadAllText(direct.RunsCsv), File.ReadAllText(rebuilt.RunsCsv));
        Assert.Equal(File.ReadAllText(direct.EpochsCsv), File.ReadAllText(rebuilt.EpochsCsv));
        Assert.Contains("Share of each class's rows kept", File.ReadAllText(rebuilt.Markdown));
        HarnessFiles.AssertPng(File.ReadAllBytes(rebuilt.Plot));

        // --commit keeps only that commit's runs.
        Assert.Throws<ArgumentException>(() => FrontierSession.Run(
            HarnessOptions.Parse(["--report-from-store", "--commit", "other", "--store", StorePath, "--out", Path.Combine(_folder, "none")]),
            TextWriter.Null, createTask: null, Clean));
        FrontierSession.Run(
            HarnessOptions.Parse(["--report-from-store", "--commit", "code1", "--store", StorePath, "--out", Path.Combine(_folder, "code1")]),
            TextWriter.Null, createTask: null, Clean);
    }

    [Fact]
    public void ThePublishedJsonHasTheFixedShapeAndFullProvenance()
    {
        string published = Path.Combine(_folder, "docs");
        FrontierSession.Run(Options("--publish", published), TextWriter.Null, () => new FakeTask(), Clean);
        Assert.True(File.Exists(Path.Combine(published, "image-fashion-mnist-frontier.md")));
        HarnessFiles.AssertPng(File.ReadAllBytes(Path.Combine(published, "image-fashion-mnist-frontier.png")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(published, "image-fashion-mnist-frontier.json")));
        var root = json.RootElement;

        Assert.Equal(["commit", "command", "date", "machine", "settings", "reference_steps", "budgets"],
            root.EnumerateObject().Select(p => p.Name).Take(7));
        Assert.Equal("code1", root.GetProperty("commit").GetString());
        Assert.Contains("--fractions 0.5", root.GetProperty("command").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("date").GetString(), out _));
        var machine = root.GetProperty("machine");
        Assert.True(machine.GetProperty("cores").GetInt32() >= 1);
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("model").GetString()));
        Assert.True(machine.TryGetProperty("memory_bytes", out _));
        Assert.Equal(100, root.GetProperty("reference_steps").GetInt64());

        // The full effective settings: every trainer field, every filter field of every method.
        var settings = root.GetProperty("settings");
        Assert.Equal(100, settings.GetProperty("trainer").GetProperty("MaxSteps").GetInt64());
        Assert.True(settings.GetProperty("trainer").TryGetProperty("WeightDecay", out _));
        Assert.True(settings.GetProperty("methods").GetProperty("autoassist").GetProperty("Selection").TryGetProperty("BaseKeepProbability", out _));
        Assert.Equal("Uniform", settings.GetProperty("methods").GetProperty("uniform").GetProperty("Selection").GetProperty("Name").GetString());

        var budgets = root.GetProperty("budgets").EnumerateArray().ToList();
        Assert.Equal([0.5, 1.0], budgets.Select(b => b.GetProperty("fraction").GetDouble()));
        Assert.Equal([50L, 100L], budgets.Select(b => b.GetProperty("steps").GetInt64()));
        var half = budgets[0].GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["uniform", "autoassist"], half.Select(m => m.GetProperty("method").GetString()));
        // The fake autoassist learns faster: at half the budget it reaches uniform-at-B's accuracy; uniform does not.
        Assert.Equal(JsonValueKind.Null, half[0].GetProperty("time_to_reference_ratio").ValueKind);
        Assert.InRange(half[1].GetProperty("time_to_reference_ratio").GetProperty("mean").GetDouble(), 0.01, 0.5);
        foreach (var method in half)
        {
            Assert.Equal([1, 2], method.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
            foreach (string spread in new[] { "final_metric", "training_seconds" })
                Assert.True(method.GetProperty(spread).TryGetProperty("mean", out _), spread);
            Assert.True(method.TryGetProperty("time_to_reference_ratio", out _));
            var seed = method.GetProperty("per_seed")[0];
            Assert.True(seed.TryGetProperty("load_average_start", out _));
            Assert.True(seed.TryGetProperty("load_average_end", out _));
            Assert.Equal("code1", seed.GetProperty("commit").GetString());
            Assert.True(settings.GetProperty("by_hash").TryGetProperty(method.GetProperty("settings_hash").GetString()!, out _));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
