using System.Text.Json;
using AutoAssist.Harness.GroupTesting;
using Microsoft.ML.AutoAssist.Tests.Data;
using Microsoft.ML.AutoAssist.Tests.Harness;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

/// <summary>The harness's --task group-testing end to end, on tiny made-up Fashion-MNIST files and one training epoch.</summary>
public sealed class GroupTestingBenchmarkSmokeTests : IDisposable
{
    private readonly IdxTestFiles _data = new();
    private readonly string _output = Path.Combine(Path.GetTempPath(), "group-testing-smoke-" + Guid.NewGuid().ToString("N"));

    public GroupTestingBenchmarkSmokeTests()
    {
        _data.WriteSplit(FashionMnistSplit.Train, 512);
        _data.WriteSplit(FashionMnistSplit.Test, 400);
    }

    [Fact]
    public void TheGroupTestingTaskWritesItsReportAndPlot()
    {
        string[] args = ["--task", "group-testing", "--fashion-dir", _data.Folder, "--epochs", "1", "--validation-rows", "128", "--designs", "treemerge",
            "--algorithms", "tworound,oneround", "--prevalences", "0.01,0.05", "--resample-seeds", "1,2", "--out", _output];
        Assert.True(GroupTestingBenchmarkOptions.IsRequested(args));
        Assert.Equal(0, GroupTestingBenchmark.Run(args, TextWriter.Null));

        string stem = Path.Combine(_output, GroupTestingBenchmark.Stem);
        using var json = JsonDocument.Parse(File.ReadAllText(stem + ".json"));
        var arms = json.RootElement.GetProperty("arms").EnumerateArray().ToList();
        // Individual testing and two algorithms of one design, at two prevalences.
        Assert.Equal(6, arms.Count);
        foreach (var arm in arms.Where(a => a.GetProperty("design").GetString() == GroupTestingBenchmark.Individual))
            Assert.Equal(1.0, arm.GetProperty("relative_compute").GetProperty("mean").GetDouble(), 9);
        Assert.All(arms, a => Assert.InRange(a.GetProperty("recall").GetDouble(), 0, 1));
        Assert.Equal(2, json.RootElement.GetProperty("networks").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("commit").GetString()));
        Assert.Contains("| TreeMerge | TwoRound |", File.ReadAllText(stem + ".md"));
        // Header, then 3 arms x 2 prevalences x 2 resamples.
        Assert.Equal(1 + 12, File.ReadAllLines(stem + "-runs.csv").Length);
        HarnessFiles.AssertPng(File.ReadAllBytes(stem + "-compute.png"));
    }

    [Theory]
    [InlineData("--designs", "pixel")]
    [InlineData("--algorithms", "threeround")]
    [InlineData("--group-size", "1")]
    [InlineData("--group-size", "17")]
    [InlineData("--prevalences", "0.7")]
    [InlineData("--positive-classes", "10")]
    [InlineData("--group-sensitivity", "0")]
    [InlineData("--group-sensitivity", "1.5")]
    [InlineData("--validation-rows", "10")]
    public void BadOptionsAreRefused(string option, string value)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => GroupTestingBenchmarkOptions.Parse(["--task", "group-testing", option, value]));
        // The message names the option or the value it refuses.
        Assert.True(error.Message.Contains(option, StringComparison.Ordinal) || error.Message.Contains($"'{value}'", StringComparison.Ordinal), error.Message);
    }

    public void Dispose()
    {
        _data.Dispose();
        if (Directory.Exists(_output))
            Directory.Delete(_output, recursive: true);
    }
}
