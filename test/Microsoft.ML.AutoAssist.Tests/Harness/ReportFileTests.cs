using System.Text.Json;
using AutoAssist.Harness.Plotting;
using AutoAssist.Harness.Reporting;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>The report files written from made-up runs: well formed, and NaN never reaches JSON.</summary>
public class ReportFileTests
{
    [Fact]
    public void CsvHasOneRowPerMeasurementAndEmptyFieldsForNaN()
    {
        var runs = new[]
        {
            MadeUpRuns.Run("uniform", 1, (10, 0.8), (20, 0.9)),
            MadeUpRuns.Run("autoassist", 1, (5, 0.85)) with
            {
                SelectionEpochs = [new(0, 1000, 400, 0.4, 300, 0.3, double.NaN, 0.9, 0.95, 0.8, 0.3, 2)],
            },
        };
        string[] lines = CsvReportWriter.Runs(runs).TrimEnd('\n').Split('\n');
        Assert.Equal(CsvReportWriter.RunsHeader, lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal("uniform,1,1,20,2,0,2000,2000,2,0.9,20,1", lines[2]);

        string[] epochs = CsvReportWriter.Epochs(runs).TrimEnd('\n').Split('\n');
        Assert.Equal("autoassist,1,0,1000,400,0.4,300,0.3,,0.9,0.95,0.8,0.3,2", epochs[2]);
    }

    [Fact]
    public void JsonWritesMissingValuesAsNull()
    {
        var run = MadeUpRuns.Run("uniform", 1, (10, 0.8)) with
        {
            SelectionEpochs = [new(0, 1000, 1000, 1, 1000, 1, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0)],
        };
        var summary = ReportBuilder.Build([run], MadeUpRuns.Context(target: 0.95));
        using var json = JsonDocument.Parse(SummaryJsonWriter.Serialize(summary));
        var method = json.RootElement.GetProperty("methods")[0];
        Assert.Equal(JsonValueKind.Null, method.GetProperty("time_to_target_ratio").ValueKind);
        Assert.Equal(0.95, json.RootElement.GetProperty("target").GetDouble());
        Assert.Equal(JsonValueKind.Null, method.GetProperty("per_seed")[0].GetProperty("selection_epochs")[0].GetProperty("threshold").ValueKind);
    }

    [Fact]
    public void MarkdownHasAHeaderAndOneTableRowPerMethod()
    {
        var summary = ReportBuilder.Build(
            [MadeUpRuns.Run("uniform", 1, (10, 0.8)), MadeUpRuns.Run("infobatch", 1, (8, 0.8))], MadeUpRuns.Context());
        string[] rows = MarkdownReportWriter.Write(summary, ["plot.png"]).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("| method |", rows[0]);
        Assert.StartsWith("| uniform | 1 | 1/1 | 0.8000 | 1.00 |", rows[1]);
        Assert.StartsWith("| infobatch | 1 | 1/1 | 0.8000 | 0.80 |", rows[2]);
    }

    [Fact]
    public void ChartRendersAPng()
    {
        var chart = PlotWriter.MetricOverTime(
            [MadeUpRuns.Run("uniform", 1, (10, 0.8), (20, 0.9)), MadeUpRuns.Run("uniform", 2, (12, 0.7), (22, 0.88))],
            ["uniform"], "title", "accuracy", target: 0.85);
        byte[] png = chart.RenderPng(400, 300);
        HarnessFiles.AssertPng(png, 400, 300);
        Assert.Equal("uniform (2 seeds)", chart.Series.Single().Label);
    }

    [Theory]
    [InlineData(0, 1, 0, 1)]
    [InlineData(0.713, 0.921, 0.7, 0.95)]
    [InlineData(0, 437, 0, 500)]
    [InlineData(5, 5, 4.7, 5.3)]
    public void AxisScalesEndOnRoundTicks(double low, double high, double expectedMin, double expectedMax)
    {
        var scale = AxisScale.Create(low, high);
        Assert.Equal(expectedMin, scale.Min, precision: 9);
        Assert.Equal(expectedMax, scale.Max, precision: 9);
        Assert.InRange(scale.Ticks.Count, 3, 12);
        Assert.Equal(scale.Min, scale.Ticks[0], precision: 9);
        Assert.Equal(scale.Max, scale.Ticks[^1], precision: 9);
    }
}
