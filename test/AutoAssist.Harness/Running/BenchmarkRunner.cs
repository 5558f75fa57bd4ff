using Microsoft.ML.AutoAssist;
using System.Diagnostics;
using AutoAssist.Harness.Configuration;

namespace AutoAssist.Harness.Running;

/// <summary>
/// Runs every method for every seed, interleaved seed by seed (for each seed, every method), so
/// that slow drifts of the machine hit all methods alike. The method order rotates by one place
/// from seed to seed, so that no method is always the first run of a seed (a first run pays for
/// JIT compilation and a cold cache).
/// </summary>
public sealed class BenchmarkRunner(HarnessOptions options, IBenchmarkTask task, TextWriter log)
{
    /// <summary>Runs everything; <paramref name="afterEachRun"/> sees the results so far after each run (to write partial reports).</summary>
    public IReadOnlyList<RunResult> Run(Action<IReadOnlyList<RunResult>>? afterEachRun = null)
    {
        var results = new List<RunResult>();
        int total = options.Seeds.Count * options.Methods.Count;
        var wall = Stopwatch.StartNew();
        log.WriteLine($"{total} runs: methods {string.Join(", ", options.Methods.Select(m => m.Name))}; seeds {string.Join(", ", options.Seeds)}; " +
                      $"{task.ModelName}, {options.Epochs} epochs, {task.TrainingRowCount} training rows, {task.TestRowCount} test rows.");

        if (options.WarmupSteps > 0)
            WarmUp(options.Methods[0], options.Seeds[0]);

        for (int s = 0; s < options.Seeds.Count; s++)
        {
            int seed = options.Seeds[s];
            foreach (var method in RotationForSeed(options.Methods, s))
            {
                string prefix = $"[{results.Count + 1}/{total} {method.Name} seed {seed}]";
                log.WriteLine($"{prefix} starting");
                var result = RunOne(method, seed, prefix);
                results.Add(result);
                log.WriteLine($"{prefix} done: final {task.MetricName} {result.FinalMetric:F4}, training {result.TrainingSeconds:F1} s, " +
                              $"evaluation {result.EvaluationSeconds:F1} s, {result.RowsBackpropagated:N0} rows backpropagated " +
                              $"({result.EquivalentEpochs:F2} equivalent epochs), {result.RowsForwarded:N0} forwarded");
                log.WriteLine($"{prefix} {wall.Elapsed.TotalMinutes:F1} min so far; about {EstimateRemaining(wall.Elapsed, results.Count, total).TotalMinutes:F0} min left");
                afterEachRun?.Invoke(results);
            }
        }
        return results;
    }

    /// <summary>
    /// A short run of <paramref name="method"/> that is thrown away: JIT compilation and cold caches
    /// are paid here rather than by whichever method happens to run first.
    /// </summary>
    private void WarmUp(BenchmarkMethod method, int seed)
    {
        log.WriteLine($"[warm-up] {options.WarmupSteps} steps of {method.Name} (seed {seed}), not recorded");
        var filterOptions = method.CreateFilterOptions(seed, task.ConfigureFilterColumns);
        task.Train(method, filterOptions, seed, options.WarmupSteps, new LineProgress(TextWriter.Null, ""));
    }

    /// <summary>The methods in the order the seed at <paramref name="seedIndex"/> runs them: rotated by that many places.</summary>
    public static IEnumerable<T> RotationForSeed<T>(IReadOnlyList<T> methods, int seedIndex)
    {
        int shift = methods.Count == 0 ? 0 : seedIndex % methods.Count;
        return methods.Skip(shift).Concat(methods.Take(shift));
    }

    /// <summary>Trains one (method, seed) and turns the trainer's report into a result.</summary>
    public RunResult RunOne(BenchmarkMethod method, int seed, string prefix)
    {
        var filterOptions = method.CreateFilterOptions(seed, task.ConfigureFilterColumns);
        // Garbage from the previous run must not be collected on this run's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return task.Train(method, filterOptions, seed, maxSteps: null, new LineProgress(log, prefix));
    }

    /// <summary>Copies what the report says into the harness's own record.</summary>
    public static RunResult ToRunResult(string method, int seed, TrainingReport report) => new()
    {
        Method = method,
        Seed = seed,
        RowCount = report.RowCount,
        TrainingSeconds = report.TrainingTime.TotalSeconds,
        EvaluationSeconds = report.EvaluationTime.TotalSeconds,
        RowsForwarded = report.RowsForwarded,
        RowsBackpropagated = report.RowsBackpropagated,
        Steps = report.Steps,
        Epochs = report.Epochs,
        Curve = report.Evaluations
            .Select(e => new CurvePoint(e.Elapsed.TotalSeconds, e.Step, e.Epoch, e.RowsForwarded, e.RowsBackpropagated, e.Metric))
            .ToList(),
        SelectionEpochs = report.SelectionEpochs
            .Select(e => new SelectionEpochRecord(e.Epoch, e.RowsConsidered, e.RowsKept, e.KeptFraction, e.RowsBackpropagated, e.BackpropagatedFraction, e.Threshold,
                e.AssistantAccuracy, e.AssistantAuc, e.AssistantConfidence, e.BaseKeepProbability, e.RowsFeedbackDropped)
            {
                ClassPriorAuc = e.ClassPriorAuc,
                KeptByClass = ClassCounts.From(e)?.Kept,
                ConsideredByClass = ClassCounts.From(e)?.Considered,
            })
            .ToList(),
    };

    private static TimeSpan EstimateRemaining(TimeSpan elapsed, int done, int total)
        => done == 0 ? TimeSpan.Zero : elapsed / done * (total - done);
}
