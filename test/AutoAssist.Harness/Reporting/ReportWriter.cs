using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Plotting;
using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>The files a report consists of.</summary>
public sealed record ReportFiles(string Folder, string RunsCsv, string EpochsCsv, string SummaryJson, string SummaryMarkdown, IReadOnlyList<string> Plots);

/// <summary>Writes every report file into a folder, and the committed copy where asked.</summary>
public static class ReportWriter
{
    /// <summary>runs.csv</summary>
    public const string RunsFile = "runs.csv";

    /// <summary>epochs.csv</summary>
    public const string EpochsFile = "epochs.csv";

    /// <summary>summary.json</summary>
    public const string SummaryJsonFile = "summary.json";

    /// <summary>summary.md</summary>
    public const string SummaryMarkdownFile = "summary.md";

    /// <summary>Builds the summary of <paramref name="runs"/> and writes all files into <paramref name="folder"/>.</summary>
    public static (BenchmarkSummary Summary, ReportFiles Files) Write(string folder, IReadOnlyList<RunResult> runs, ReportContext context)
    {
        Directory.CreateDirectory(folder);
        var summary = ReportBuilder.Build(runs, context);
        double target = summary.Target ?? double.NaN;
        string title = $"{context.Model} on {context.Dataset}";
        var methodOrder = context.Methods.Select(m => m.Name).ToList();

        var plots = PlotWriter.WriteAll(folder, runs, methodOrder, title, context.Metric, target);
        WriteText(Path.Combine(folder, RunsFile), CsvReportWriter.Runs(runs));
        WriteText(Path.Combine(folder, EpochsFile), CsvReportWriter.Epochs(runs));
        WriteText(Path.Combine(folder, SummaryJsonFile), SummaryJsonWriter.Serialize(summary));
        WriteText(Path.Combine(folder, SummaryMarkdownFile), MarkdownReportWriter.Write(summary, plots));
        return (summary, new ReportFiles(folder, Path.Combine(folder, RunsFile), Path.Combine(folder, EpochsFile),
            Path.Combine(folder, SummaryJsonFile), Path.Combine(folder, SummaryMarkdownFile),
            plots.Select(p => Path.Combine(folder, p)).ToList()));
    }

    /// <summary>
    /// The committed copy: &lt;name&gt;.json, &lt;name&gt;.md, &lt;name&gt;-time.png and &lt;name&gt;-compute.png in
    /// <paramref name="folder"/> (e.g. docs/benchmarks/image-fashion-mnist.json). Returns the JSON's path.
    /// </summary>
    public static string Publish(string folder, string name, BenchmarkSummary summary, ReportFiles files)
    {
        Directory.CreateDirectory(folder);
        string timePlot = $"{name}-time.png", computePlot = $"{name}-compute.png";
        File.Copy(Path.Combine(files.Folder, PlotWriter.TimePlotFile), Path.Combine(folder, timePlot), overwrite: true);
        File.Copy(Path.Combine(files.Folder, PlotWriter.ComputePlotFile), Path.Combine(folder, computePlot), overwrite: true);
        WriteText(Path.Combine(folder, $"{name}.md"), MarkdownReportWriter.Write(summary, [timePlot, computePlot]));
        string json = Path.Combine(folder, $"{name}.json");
        WriteText(json, SummaryJsonWriter.Serialize(summary));
        return json;
    }

    // Written beside and then moved, so that a reader (or a crash mid-write) never sees half a file.
    private static void WriteText(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
