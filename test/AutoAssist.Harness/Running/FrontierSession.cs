using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Store;

namespace AutoAssist.Harness.Running;

/// <summary>
/// A frontier benchmark: train what the store lacks, then rebuild the report from the store; or,
/// with <c>--report-from-store</c>, only rebuild the report. Either way the report comes from the
/// store alone, so the two give the same files.
/// </summary>
public static class FrontierSession
{
    /// <summary>The name of the published files: &lt;task&gt;-&lt;dataset&gt;-frontier.</summary>
    public static string PublishedName(HarnessOptions options) => options.BenchmarkName + "-frontier";

    /// <summary>Runs (or only reports) the frontier <paramref name="options"/> describe.</summary>
    public static FrontierFiles Run(HarnessOptions options, TextWriter log)
        => Run(options, log, options.ReportFromStore ? null : () => HarnessSession.CreateTask(options), SourceVersion.Detect());

    /// <summary>
    /// Runs the frontier with the task <paramref name="createTask"/> makes (null: train nothing, report
    /// from the store) and the code version <paramref name="version"/>.
    /// </summary>
    public static FrontierFiles Run(HarnessOptions options, TextWriter log, Func<IBenchmarkTask>? createTask, SourceVersion version)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var store = ResultStore.Open(options.ResolvedStorePath);
        if (store.UnreadableLines > 0)
            log.WriteLine($"Warning: {store.UnreadableLines} lines of {store.Path} did not parse and are skipped.");
        string folder = options.ResolvedOutputDirectory;

        if (createTask is not null)
        {
            if (HarnessOptions.BuildConfiguration != "Release" && !options.Smoke)
                log.WriteLine($"Warning: this is a {HarnessOptions.BuildConfiguration} build; run with -c Release for timings worth reporting.");
            log.WriteLine($"Loading {options.Dataset} ({options.TrainRows?.ToString() ?? "all"} training rows, " +
                          $"{options.ValidationRows} of them for validation, {options.TestRows?.ToString() ?? "all"} test rows)...");
            var runner = new FrontierRunner(options, createTask(), store, version, log);
            // The report is rewritten after every run, so a long frontier stopped early still leaves its results.
            runner.Run(() => FrontierReportWriter.Write(folder, StoreSelection.Select(store.Runs)));
        }

        var selected = StoreSelection.Select(store.Runs, options.ReportCommit);
        log.WriteLine($"Report from {selected.Count} of the {store.Runs.Count} runs in {store.Path}" +
                      (options.ReportCommit is null ? "" : $" (commit {options.ReportCommit})") + ".");
        var (summary, files) = FrontierReportWriter.Write(folder, selected);
        log.WriteLine();
        log.Write(File.ReadAllText(files.Markdown));
        log.WriteLine();
        log.WriteLine($"Wrote {files.RunsCsv}, {files.EpochsCsv}, {files.Json}, {files.Markdown}, {files.Plot}");
        if (options.PublishDirectory is { } publish)
            log.WriteLine($"Published {FrontierReportWriter.Publish(publish, PublishedName(options), summary, files)} (with .md and .png)");
        return files;
    }
}
