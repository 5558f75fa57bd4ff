using System.Globalization;
using System.Text.Json;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;
using AutoAssist.Harness.Store;
using Microsoft.ML.AutoAssist.Tests.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>
/// The harness's smoke mode end to end, on tiny made-up Fashion-MNIST files: every method trains a
/// ResNet-8 for a few steps (one Torch thread, as the trainer tests use) and the report files come out
/// well formed. Nothing here judges speed or accuracy.
/// </summary>
public sealed class HarnessSmokeTests : IDisposable
{
    private readonly IdxTestFiles _data = new();
    private readonly string _output = Path.Combine(Path.GetTempPath(), "autoassist-harness-" + Guid.NewGuid().ToString("N"));

    public HarnessSmokeTests()
    {
        _data.WriteSplit(FashionMnistSplit.Train, 64);
        _data.WriteSplit(FashionMnistSplit.Test, 32);
    }

    [Fact]
    public void SmokeRunWritesEveryReportFileWellFormed()
    {
        string results = Path.Combine(_output, "results"), published = Path.Combine(_output, "docs");
        var options = HarnessOptions.Parse(
        [
            "--smoke", "--train-rows", "64", "--test-rows", "32", "--batch-size", "32", "--eval-interval", "1", "--threads", "1",
            "--data-dir", _data.Folder, "--out", results, "--publish", published,
        ]);
        var log = new StringWriter();

        var files = HarnessSession.Run(options, log);

        string[] methods = options.Methods.Select(m => m.Name).ToArray();
        AssertSummaryJson(File.ReadAllText(files.SummaryJson), methods);
        AssertRunsCsv(File.ReadAllLines(files.RunsCsv), methods);
        Assert.Equal(CsvReportWriter.EpochsHeader, File.ReadLines(files.EpochsCsv).First());
        AssertMarkdownTable(File.ReadAllText(files.SummaryMarkdown), methods);
        Assert.Equal(2, files.Plots.Count);
        foreach (string plot in files.Plots)
            HarnessFiles.AssertPng(File.ReadAllBytes(plot));

        // The committed copy.
        AssertSummaryJson(File.ReadAllText(Path.Combine(published, "image-fashion-mnist.json")), methods);
        AssertMarkdownTable(File.ReadAllText(Path.Combine(published, "image-fashion-mnist.md")), methods);
        HarnessFiles.AssertPng(File.ReadAllBytes(Path.Combine(published, "image-fashion-mnist-time.png")));
        HarnessFiles.AssertPng(File.ReadAllBytes(Path.Combine(published, "image-fashion-mnist-compute.png")));

        // Progress went to the log as the runs went.
        string text = log.ToString();
        foreach (string method in methods)
            Assert.Contains($" {method} seed 1] done", text);
    }

    [Fact]
    public void FrontierSmokeRunTrainsEachBudgetAndMeasuresBothSplits()
    {
        // 48 training rows after 16 for validation, batch 16: B = 3 steps; half of it rounds to 2.
        string results = Path.Combine(_output, "frontier"), store = Path.Combine(_output, "store.jsonl");
        var options = HarnessOptions.Parse(
        [
            "--smoke", "--methods", "uniform,autoassist-keepall", "--fractions", "0.5,1", "--train-rows", "64", "--validation-rows", "16",
            "--test-rows", "32", "--batch-size", "16", "--eval-interval", "1", "--threads", "1", "--warmup-steps", "1",
            "--data-dir", _data.Folder, "--out", results, "--store", store,
        ]);
        var log = new StringWriter();
        // A fixed clean version: whether this checkout has uncommitted changes must not change what resumes.
        var version = new SourceVersion("head", "code", Dirty: false);

        var files = FrontierSession.Run(options, log, () => new ImageClassificationTask(options), version);

        var runs = ResultStore.Open(store).Runs;
        Assert.Equal([2L, 2L, 3L, 3L], runs.Select(r => r.Result.Steps).Order());
        Assert.All(runs, r => Assert.Equal(48, r.Result.RowCount));
        Assert.All(runs, r => Assert.InRange(r.Result.FinalValidationMetric!.Value, 0, 1));
        Assert.All(runs, r => Assert.Equal(r.Result.Curve[^1].Metric, r.Result.FinalTestMetric));
        Assert.Contains("[warm-up] 1 steps of uniform", log.ToString());
        // Measured at the interval's steps only, each once (no extra point where an epoch ends), through the last step.
        Assert.All(runs, r => Assert.Equal(Enumerable.Range(1, (int)r.Result.Steps).Select(i => (long)i), r.Result.Curve.Select(c => c.Step)));
        // Fashion-MNIST's label is a key: every epoch record counts its rows per class.
        Assert.All(runs.SelectMany(r => r.Result.SelectionEpochs), e => Assert.Equal(e.RowsKept, e.KeptByClass!.Sum()));
        Assert.All(runs.SelectMany(r => r.Result.SelectionEpochs), e => Assert.Equal(10, e.ConsideredByClass!.Count));
        using var json = JsonDocument.Parse(File.ReadAllText(files.Json));
        Assert.Equal(3, json.RootElement.GetProperty("reference_steps").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("budgets")[0].GetProperty("methods")[1].GetProperty("overhead_ratio").ValueKind);
        HarnessFiles.AssertPng(File.ReadAllBytes(files.Plot));

        // Again: everything is in the store, nothing trains (not even the warm-up).
        var again = new StringWriter();
        FrontierSession.Run(options, again, () => new ImageClassificationTask(options), version);
        Assert.DoesNotContain("warm-up", again.ToString());
        Assert.Equal(4, ResultStore.Open(store).Runs.Count);
    }

    private static void AssertSummaryJson(string text, string[] methods)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("image", root.GetProperty("task").GetString());
        Assert.Equal("fashion-mnist", root.GetProperty("dataset").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("target").ValueKind);
        Assert.StartsWith("dotnet run", root.GetProperty("command").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("date").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.Contains("cores", root.GetProperty("machine").GetString());

        var entries = root.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(methods, entries.Select(e => e.GetProperty("method").GetString()));
        foreach (var entry in entries)
        {
            Assert.Equal([1], entry.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
            AssertSpread(entry.GetProperty("final_metric"));
            foreach (string ratio in new[] { "time_to_target_ratio", "compute_to_target_ratio" })
            {
                var value = entry.GetProperty(ratio);
                if (value.ValueKind != JsonValueKind.Null)
                    AssertSpread(value);
            }
        }
        // Uniform reaches its own mean final metric, so its ratios exist.
        AssertSpread(entries[0].GetProperty("time_to_target_ratio"));
        AssertSpread(entries.Single(e => e.GetProperty("method").GetString() == "autoassist-keepall").GetProperty("overhead_ratio"));
    }

    private static void AssertSpread(JsonElement spread)
    {
        Assert.Equal(JsonValueKind.Object, spread.ValueKind);
        double mean = spread.GetProperty("mean").GetDouble(), min = spread.GetProperty("min").GetDouble(), max = spread.GetProperty("max").GetDouble();
        Assert.InRange(mean, min, max);
    }

    private static void AssertRunsCsv(string[] lines, string[] methods)
    {
        Assert.Equal(CsvReportWriter.RunsHeader, lines[0]);
        int columns = lines[0].Split(',').Length;
        Assert.All(lines.Skip(1), line => Assert.Equal(columns, line.Split(',').Length));
        Assert.Equal(methods, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct());
    }

    private static void AssertMarkdownTable(string text, string[] methods)
    {
        var rows = text.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(methods, rows.Select(r => r.Split('|')[1].Trim()));
    }

    public void Dispose()
    {
        _data.Dispose();
        try
        {
            Directory.Delete(_output, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
