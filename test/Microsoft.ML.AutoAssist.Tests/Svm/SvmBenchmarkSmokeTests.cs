using System.Text.Json;
using AutoAssist.Harness.Svm;
using Microsoft.ML.AutoAssist.Tests.Corpus;
using Microsoft.ML.AutoAssist.Tests.Harness;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Svm;

/// <summary>The harness's --task svm end to end, on the committed corpus sample and a few epochs.</summary>
public class SvmBenchmarkSmokeTests
{
    [Fact]
    public void TheSvmTaskWritesItsReportAndPlots()
    {
        string folder = Path.Combine(Path.GetTempPath(), "svm-smoke-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] args = ["--task", "svm", "--datasets", SvmDatasets.CorpusOrigin, "--corpus", CorpusTestData.SamplePath,
                "--seeds", "1", "--epochs", "3", "--out", folder];
            Assert.True(SvmBenchmarkOptions.IsRequested(args));
            Assert.Equal(0, SvmBenchmark.Run(args, TextWriter.Null));

            string stem = Path.Combine(folder, $"svm-{SvmDatasets.CorpusOrigin}");
            using var json = JsonDocument.Parse(File.ReadAllText(stem + ".json"));
            var methods = json.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()).ToList();
            Assert.Equal(SvmMethods.All.Order(), methods.Order());
            Assert.True(json.RootElement.GetProperty("reference").GetProperty("optimum").GetDouble() > 0);
            Assert.Contains("| shrinking |", File.ReadAllText(stem + ".md"));
            Assert.True(File.ReadAllLines(stem + "-runs.csv").Length > 6 * 3);
            foreach (string plot in new[] { "-gap-vs-time.png", "-gap-vs-visits.png", "-accuracy-vs-time.png", "-rate.png" })
                HarnessFiles.AssertPng(File.ReadAllBytes(stem + plot));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--datasets", "mnist")]
    [InlineData("--methods", "sgd")]
    [InlineData("--loss", "logistic")]
    [InlineData("--epochs", "0")]
    public void BadOptionsAreRefused(string option, string value)
        => Assert.ThrowsAny<ArgumentException>(() => SvmBenchmarkOptions.Parse(["--task", "svm", option, value]));
}
