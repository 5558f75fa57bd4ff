using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Reporting;

namespace AutoAssist.Harness.Running;

/// <summary>A whole benchmark: load the task, run every (seed, method), rewrite the report after each run, publish if asked.</summary>
public static class HarnessSession
{
    /// <summary>Runs the benchmark <paramref name="options"/> describe, logging progress to <paramref name="log"/>.</summary>
    public static ReportFiles Run(HarnessOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = DateTimeOffset.UtcNow;
        if (HarnessOptions.BuildConfiguration != "Release" && !options.Smoke)
            log.WriteLine($"Warning: this is a {HarnessOptions.BuildConfiguration} build; run with -c Release for timings worth reporting.");
        log.WriteLine($"Loading {options.Dataset} ({options.TrainRows?.ToString() ?? "all"} training rows, {options.TestRows?.ToString() ?? "all"} test rows)...");
        IBenchmarkTask task = CreateTask(options);
        var context = ReportContext.From(options, task, MachineInfo.Describe(), started);
        string folder = options.ResolvedOutputDirectory;

        // The report is rewritten after every run, so a long benchmark that stops early still leaves its results.
        var runner = new BenchmarkRunner(options, task, log);
        var runs = runner.Run(partial => ReportWriter.Write(folder, partial, context));
        var (summary, files) = ReportWriter.Write(folder, runs, context);

        log.WriteLine();
        log.Write(File.ReadAllText(files.SummaryMarkdown));
        log.WriteLine();
        log.WriteLine($"Wrote {files.RunsCsv}, {files.EpochsCsv}, {files.SummaryJson}, {files.SummaryMarkdown}, {string.Join(", ", files.Plots)}");
        if (options.PublishDirectory is { } publish)
            log.WriteLine($"Published {ReportWriter.Publish(publish, options.BenchmarkName, summary, files)} (with .md and plots)");
        return files;
    }

    /// <summary>The task <paramref name="options"/> name (--task), reading its data.</summary>
    public static IBenchmarkTask CreateTask(HarnessOptions options) => options.Task switch
    {
        HarnessOptions.ImageTask => new ImageClassificationTask(options),
        HarnessOptions.TranslationTask => new TranslationTask(options),
        _ => throw new ArgumentException($"Unknown task '{options.Task}'."),
    };
}
