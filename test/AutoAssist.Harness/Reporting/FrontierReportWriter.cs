using System.Text.Json;
using AutoAssist.Harness.Plotting;
using AutoAssist.Harness.Store;

namespace AutoAssist.Harness.Reporting;

/// <summary>The files of a frontier report.</summary>
public sealed record FrontierFiles(string Folder, string RunsCsv, string EpochsCsv, string Json, string Markdown, string Plot);

/// <summary>Writes the frontier report of stored runs into a folder, and the committed copy where asked.</summary>
public static class FrontierReportWriter
{
    /// <summary>frontier.json</summary>
    public const string JsonFile = "frontier.json";

    /// <summary>frontier.md</summary>
    public const string MarkdownFile = "frontier.md";

    /// <summary>The summary as JSON text (snake_case, indented, missing values null).</summary>
    public static string Serialize(FrontierSummary summary) => JsonSerializer.Serialize(summary, SummaryJsonWriter.Options) + "\n";

    /// <summary>Builds the frontier of <paramref name="runs"/> (a store selection) and writes every file into <paramref name="folder"/>.</summary>
    public static (FrontierSummary Summary, FrontierFiles Files) Write(string folder, IReadOnlyList<StoredRun> runs)
    {
        Directory.CreateDirectory(folder);
        var summary = FrontierReportBuilder.Build(runs);
        var files = new FrontierFiles(folder, Path.Combine(folder, ReportWriter.RunsFile), Path.Combine(folder, ReportWriter.EpochsFile),
            Path.Combine(folder, JsonFile), Path.Combine(folder, MarkdownFile), Path.Combine(folder, FrontierPlot.FileName));
        File.WriteAllBytes(files.Plot, FrontierPlot.Build(summary).RenderPng());
        WriteText(files.RunsCsv, FrontierCsvWriter.Runs(runs));
        WriteText(files.EpochsCsv, FrontierCsvWriter.Epochs(runs));
        WriteText(files.Json, Serialize(summary));
        WriteText(files.Markdown, FrontierMarkdownWriter.Write(summary, FrontierPlot.FileName));
        return (summary, files);
    }

    /// <summary>
    /// The committed copy: &lt;name&gt;.json, .md and .png in <paramref name="folder"/>
    /// (e.g. docs/benchmarks/image-fashion-mnist-frontier.json). Returns the JSON's path.
    /// </summary>
    public static string Publish(string folder, string name, FrontierSummary summary, FrontierFiles files)
    {
        Directory.CreateDirectory(folder);
        string plot = $"{name}.png";
        File.Copy(files.Plot, Path.Combine(folder, plot), overwrite: true);
        WriteText(Path.Combine(folder, $"{name}.md"), FrontierMarkdownWriter.Write(summary, plot));
        string json = Path.Combine(folder, $"{name}.json");
        WriteText(json, Serialize(summary));
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
