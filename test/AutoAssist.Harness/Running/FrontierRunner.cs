using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Store;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>
/// Runs a frontier: every (method, fraction) cell for every seed, each with its own step budget,
/// appending each run to the store as it finishes. Seed by seed, with the cell order rotated by one
/// place per seed (as <see cref="BenchmarkRunner"/> does for methods). Runs whose key is already in
/// the store are skipped, so a frontier can be built over several invocations. Before the first
/// timed run a short warm-up run pays for JIT compilation and cold caches; it is thrown away.
/// </summary>
public sealed class FrontierRunner(HarnessOptions options, IBenchmarkTask task, ResultStore store, SourceVersion version, TextWriter log)
{
    /// <summary>Runs what the store does not hold yet; <paramref name="afterEachRun"/> is called after each stored run.</summary>
    /// <returns>The runs this invocation trained and stored (the warm-up is not among them).</returns>
    public IReadOnlyList<StoredRun> Run(Action? afterEachRun = null)
    {
        var plan = new BudgetPlan(options, task.TrainingRowCount);
        var machine = MachineInfo.Snapshot();
        var pending = new List<(BudgetCell Cell, int Seed, PreparedRun Run)>();
        int skipped = 0;
        for (int s = 0; s < options.Seeds.Count; s++)
        {
            int seed = options.Seeds[s];
            foreach (var cell in BenchmarkRunner.RotationForSeed(plan.Cells, s))
            {
                var prepared = Prepare(cell, seed);
                // A dirty tree's runs are never taken as done: the commit does not say what code they measured.
                if (options.ResumeStore && !version.Dirty && store.Contains(prepared.Key, anyCommit: options.ResumeAcrossCommits))
                    skipped++;
                else
                    pending.Add((cell, seed, prepared));
            }
        }

        log.WriteLine($"Frontier: B = {plan.ReferenceSteps} steps ({options.Epochs} passes of {task.TrainingRowCount} rows at batch {options.BatchSize}); " +
                      $"{pending.Count} runs to train, {skipped} already in {store.Path}" +
                      (version.Dirty ? " (uncommitted code changes: nothing is skipped)" : "") + ".");
        if (!plan.Cells.Any(c => c.Method.IsUniform && c.Fraction == BudgetPlan.ReferenceFraction))
            log.WriteLine("Warning: uniform does not run at fraction 1 (B): unless the store has those runs, there is no reference and no time to reference.");
        foreach (var fraction in plan.Cells.GroupBy(c => c.Fraction))
            log.WriteLine($"  fraction {FormatFraction(fraction.Key)} = {fraction.First().Steps} steps: {string.Join(", ", fraction.Select(c => c.Method.Name))}");

        var trained = new List<StoredRun>();
        var wall = Stopwatch.StartNew();
        foreach (var (cell, seed, prepared) in pending)
        {
            if (trained.Count == 0 && options.WarmupSteps > 0)
                WarmUp(cell, seed);
            string prefix = $"[{trained.Count + 1}/{pending.Count} {cell.Method.Name} x{FormatFraction(cell.Fraction)} seed {seed}]";
            log.WriteLine($"{prefix} starting: {cell.Steps} steps");
            var run = RunOne(cell, seed, prepared, machine, new LineProgress(log, prefix));
            store.Append(run);
            trained.Add(run);
            log.WriteLine($"{prefix} done: final test {task.MetricName} {FormatMetric(run.Result.FinalTestMetric)}" +
                          (run.Result.FinalValidationMetric is { } v ? $", validation {FormatMetric(v)}" : "") +
                          $", training {run.Result.TrainingSeconds:F1} s, {run.Result.Steps} steps, {run.Result.EquivalentEpochs:F2} equivalent epochs");
            // Runs differ in length by their budgets, so the estimate goes by steps rather than by runs.
            long stepsDone = pending.Take(trained.Count).Sum(p => p.Cell.Steps), stepsLeft = pending.Skip(trained.Count).Sum(p => p.Cell.Steps);
            double minutesLeft = wall.Elapsed.TotalMinutes / stepsDone * stepsLeft;
            log.WriteLine($"{prefix} {wall.Elapsed.TotalMinutes:F1} min so far; about {minutesLeft:F0} min left");
            afterEachRun?.Invoke();
        }
        return trained;
    }

    /// <summary>A run's filter options, full effective settings and key, before it trains.</summary>
    public sealed record PreparedRun(AutoAssistFilterOptions FilterOptions, JsonObject Settings, RunKey Key);

    /// <summary>The filter options, effective settings and key of <paramref name="cell"/> at <paramref name="seed"/>.</summary>
    public PreparedRun Prepare(BudgetCell cell, int seed)
    {
        var method = FractionSettings.ForFraction(cell.Method, cell.Fraction);
        var filterOptions = method.CreateFilterOptions(seed, task.ConfigureFilterColumns);
        // The seed is left out of the settings: it is part of the key, and settings shared by a
        // method's seeds must hash alike so the seeds can be averaged.
        var settings = new JsonObject
        {
            ["data"] = task.DescribeData(),
            ["filter"] = SettingsSnapshot.Capture(filterOptions, nameof(AutoAssistFilterOptions.Seed)),
            ["trainer"] = SettingsSnapshot.Capture(task.TrainerOptionsFor(cell.Method, seed, cell.Steps), nameof(BossTrainerOptions.Seed)),
        };
        string hash = SettingsSnapshot.Hash(settings);
        return new PreparedRun(filterOptions, settings, new RunKey(version.CodeCommit, version.Dirty, cell.Method.Name, hash, cell.Fraction, cell.Steps, seed));
    }

    private void WarmUp(BudgetCell cell, int seed)
    {
        // Its own filter options: the timed run must not share an options object with another Fit.
        var filterOptions = Prepare(cell, seed).FilterOptions;
        log.WriteLine($"[warm-up] {options.WarmupSteps} steps of {cell.Method.Name} (seed {seed}), not recorded: JIT and caches are paid here, not by the first timed run");
        Collect();
        task.Train(cell.Method, filterOptions, seed, options.WarmupSteps, new LineProgress(TextWriter.Null, ""));
    }

    private StoredRun RunOne(BudgetCell cell, int seed, PreparedRun prepared, MachineDescription machine, IProgress<TrainingProgress> progress)
    {
        Collect();
        var loadStart = MachineInfo.LoadAverage();
        var result = task.Train(cell.Method, prepared.FilterOptions, seed, cell.Steps, progress);
        var loadEnd = MachineInfo.LoadAverage();
        return new StoredRun
        {
            Commit = version.Commit,
            CodeCommit = version.CodeCommit,
            Dirty = version.Dirty,
            Method = cell.Method.Name,
            SettingsHash = prepared.Key.SettingsHash,
            Fraction = cell.Fraction,
            Steps = cell.Steps,
            Seed = seed,
            ReferenceSteps = BudgetPlan.ReferenceStepsFor(options.Epochs, task.TrainingRowCount, options.BatchSize),
            Task = options.Task,
            Dataset = options.Dataset,
            Model = task.ModelName,
            Metric = task.MetricName,
            CurveSplit = task.CurveSplit,
            EvaluationIntervalSteps = options.EvaluationIntervalSteps,
            Command = options.CommandLine,
            Date = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Machine = machine,
            LoadAverageStart = loadStart,
            LoadAverageEnd = loadEnd,
            Settings = prepared.Settings,
            Result = result,
        };
    }

    // Garbage from the previous run must not be collected on this run's clock.
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static string FormatFraction(double fraction) => fraction.ToString("0.###", CultureInfo.InvariantCulture);

    private static string FormatMetric(double? metric) => metric is { } m ? m.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}
