using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;
using AutoAssist.Harness.Store;

namespace AutoAssist.Harness.Reporting;

/// <summary>
/// Turns stored runs into the frontier: for each budget and method, the final metric and training
/// time over seeds, and the time to reach the reference (uniform at B) paired by seed. It reads
/// nothing but the runs, so a report rebuilt from the store equals the one written after the runs.
/// </summary>
public static class FrontierReportBuilder
{
    /// <summary>The frontier of <paramref name="runs"/> (already chosen by <see cref="StoreSelection"/>), in store order.</summary>
    /// <exception cref="ArgumentException">There is no run.</exception>
    public static FrontierSummary Build(IReadOnlyList<StoredRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
            throw new ArgumentException("The store holds no run to report (for this commit).", nameof(runs));
        var newest = runs[^1];
        var curves = new Dictionary<StoredRun, IReadOnlyList<CurvePoint>>(ReferenceEqualityComparer.Instance);
        foreach (var run in runs)
            curves[run] = FixedStepGrid.Filter(run.Result.Curve, run.EvaluationIntervalSteps, run.Result.Steps);

        var referenceRuns = runs.Where(StoreSelection.IsReference).ToList();
        var referenceFinals = referenceRuns.Select(r => Last(curves[r])).OfType<double>().ToList();
        double? referenceMetric = referenceFinals.Count == 0 ? null : referenceFinals.Average();
        var referenceBySeed = BySeed(referenceRuns);

        var methodOrder = runs.Select(r => r.Method)
            .OrderBy(m => SameName(m, BenchmarkMethod.UniformName) ? 0 : 1)   // stable: then first appearance
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        var budgets = new List<BudgetSummary>();
        foreach (var budget in runs.GroupBy(r => (r.Fraction, r.Steps)).OrderBy(g => g.Key.Fraction).ThenBy(g => g.Key.Steps))
        {
            var uniformBySeed = BySeed(budget.Where(r => SameName(r.Method, BenchmarkMethod.UniformName)));
            var randomSubsetBySeed = BySeed(budget.Where(r => SameName(r.Method, RandomSubsetName)));
            var methods = new List<FrontierMethodSummary>();
            foreach (string name in methodOrder)
            {
                var methodRuns = budget.Where(r => SameName(r.Method, name)).ToList();
                if (methodRuns.Count == 0)
                    continue;
                bool isKeepAll = SameName(name, BenchmarkMethod.KeepAllName);
                var perSeed = methodRuns.Select(run =>
                {
                    var result = run.Result;
                    double? final = FinalTestMetric(run, curves[run]);
                    double? crossing = referenceMetric is { } target ? TargetCrossing.Find(curves[run], target)?.Seconds : null;
                    return new FrontierSeedSummary
                    {
                        Seed = run.Seed,
                        FinalMetric = final,
                        DifferenceToUniform = SameName(name, BenchmarkMethod.UniformName) ? null
                            : Difference(final, uniformBySeed, run.Seed, curves),
                        DifferenceToRandomSubset = SameName(name, RandomSubsetName) ? null
                            : Difference(final, randomSubsetBySeed, run.Seed, curves),
                        FinalValidationMetric = Finite(result.FinalValidationMetric),
                        TrainingSeconds = result.TrainingSeconds,
                        EvaluationSeconds = result.EvaluationSeconds,
                        Steps = result.Steps,
                        RowsBackpropagated = result.RowsBackpropagated,
                        EquivalentEpochs = Finite(result.EquivalentEpochs),
                        TimeToReferenceSeconds = crossing,
                        TimeToReferenceRatio = ReportBuilder.Ratio(crossing,
                            referenceBySeed.TryGetValue(run.Seed, out var reference) ? reference.Result.TrainingSeconds : null),
                        OverheadRatio = isKeepAll && uniformBySeed.TryGetValue(run.Seed, out var uniform)
                            ? ReportBuilder.Ratio(result.TrainingSeconds, uniform.Result.TrainingSeconds)
                            : null,
                        KeptFractionPerEpoch = result.SelectionEpochs.Select(e => Finite(e.KeptFraction)).ToList(),
                        Commit = run.CodeCommit,
                        Dirty = run.Dirty,
                        Date = run.Date,
                        LoadAverageStart = run.LoadAverageStart,
                        LoadAverageEnd = run.LoadAverageEnd,
                    };
                }).ToList();

                methods.Add(new FrontierMethodSummary
                {
                    Method = methodRuns[^1].Method,
                    Seeds = perSeed.Select(s => s.Seed).ToList(),
                    FinalMetric = Spread.Of(perSeed.Select(s => s.FinalMetric)),
                    TrainingSeconds = Spread.Of(perSeed.Select(s => (double?)s.TrainingSeconds)),
                    TimeToReferenceRatio = Spread.Of(perSeed.Select(s => s.TimeToReferenceRatio)),
                    FinalValidationMetric = Spread.Of(perSeed.Select(s => s.FinalValidationMetric)),
                    TimeToReferenceSeconds = Spread.Of(perSeed.Select(s => s.TimeToReferenceSeconds)),
                    SeedsReachingReference = perSeed.Count(s => s.TimeToReferenceSeconds is not null),
                    EvaluationSeconds = Spread.Of(perSeed.Select(s => (double?)s.EvaluationSeconds)),
                    EquivalentEpochs = Spread.Of(perSeed.Select(s => s.EquivalentEpochs)),
                    OverheadRatio = isKeepAll ? Spread.Of(perSeed.Select(s => s.OverheadRatio)) : null,
                    DifferenceToUniform = Spread.Of(perSeed.Select(s => s.DifferenceToUniform)),
                    SeedsAboveUniform = perSeed.Count(s => s.DifferenceToUniform > 0),
                    DifferenceToRandomSubset = Spread.Of(perSeed.Select(s => s.DifferenceToRandomSubset)),
                    SeedsAboveRandomSubset = perSeed.Count(s => s.DifferenceToRandomSubset > 0),
                    KeptFractionByClass = KeptFractionByClass(methodRuns),
                    SettingsHash = methodRuns[^1].SettingsHash,
                    PerSeed = perSeed,
                });
            }
            budgets.Add(new BudgetSummary { Fraction = budget.Key.Fraction, Steps = budget.Key.Steps, Methods = methods });
        }

        return new FrontierSummary
        {
            Commit = newest.CodeCommit,
            Command = newest.Command,
            Date = newest.Date,
            Machine = newest.Machine,
            Settings = Settings(runs, referenceRuns, methodOrder),
            ReferenceSteps = newest.ReferenceSteps,
            Budgets = budgets,
            Task = newest.Task,
            Dataset = newest.Dataset,
            Model = newest.Model,
            Metric = newest.Metric,
            CurveSplit = newest.CurveSplit,
            Reference = referenceMetric is { } metric
                ? new ReferenceSummary
                {
                    Method = BenchmarkMethod.UniformName,
                    Steps = referenceRuns[^1].Steps,
                    Seeds = referenceRuns.Select(r => r.Seed).ToList(),
                    Metric = metric,
                }
                : null,
            Commits = runs.GroupBy(r => (r.CodeCommit, r.Dirty))
                .Select(g => new CommitUsage(g.Key.CodeCommit, g.Key.Dirty, g.Count(), g.Select(r => r.Commit).Distinct().ToList()))
                .ToList(),
            Commands = runs.Select(r => r.Command).Distinct(StringComparer.Ordinal).ToList(),
            FirstDate = runs.Select(r => r.Date).Min(StringComparer.Ordinal)!,
            Runs = runs.Count,
        };
    }

    // The control arm the issue names beside uniform: a fixed random subset of the same size.
    private static readonly string RandomSubsetName = BenchmarkMethod.CommandLineName(Microsoft.ML.AutoAssist.RandomSubsetOptions.MethodName);

    // This run's final metric less the control arm's with the same seed at the same budget; null without that run.
    private static double? Difference(double? final, Dictionary<int, StoredRun> control, int seed,
        Dictionary<StoredRun, IReadOnlyList<CurvePoint>> curves)
        => final is { } value && control.TryGetValue(seed, out var run) && FinalTestMetric(run, curves[run]) is { } other
            ? value - other
            : null;

    // The test metric of the final model: measured after training when the curve is on validation rows.
    private static double? FinalTestMetric(StoredRun run, IReadOnlyList<CurvePoint> curve)
        => Finite(run.Result.FinalTestMetric) ?? (run.CurveSplit == "test" ? Last(curve) : null);

    private static JsonObject Settings(IReadOnlyList<StoredRun> runs, IReadOnlyList<StoredRun> referenceRuns, IReadOnlyList<string> methodOrder)
    {
        var basis = referenceRuns.Count > 0 ? referenceRuns[^1] : runs[^1];
        var methods = new JsonObject();
        foreach (string name in methodOrder)
            methods[name] = runs.Last(r => SameName(r.Method, name)).Settings["filter"]?.DeepClone();
        var byHash = new JsonObject();
        foreach (var run in runs)
            byHash[run.SettingsHash] = run.Settings.DeepClone();
        return new JsonObject
        {
            ["data"] = basis.Settings["data"]?.DeepClone(),
            ["trainer"] = basis.Settings["trainer"]?.DeepClone(),
            ["methods"] = methods,
            ["by_hash"] = byHash,
        };
    }

    /// <summary>Per class: rows kept over rows considered, summed over a run's epochs, then averaged over runs; null without counts.</summary>
    public static IReadOnlyList<double?>? KeptFractionByClass(IReadOnlyList<StoredRun> runs)
    {
        var perRun = new List<double[]>();
        foreach (var run in runs)
        {
            var epochs = run.Result.SelectionEpochs.Where(e => e.KeptByClass is not null && e.ConsideredByClass is not null).ToList();
            if (epochs.Count == 0)
                continue;
            int classes = epochs.Max(e => Math.Min(e.KeptByClass!.Count, e.ConsideredByClass!.Count));
            var fractions = new double[classes];
            for (int c = 0; c < classes; c++)
            {
                long kept = epochs.Sum(e => c < e.KeptByClass!.Count ? e.KeptByClass[c] : 0);
                long considered = epochs.Sum(e => c < e.ConsideredByClass!.Count ? e.ConsideredByClass[c] : 0);
                fractions[c] = considered == 0 ? double.NaN : (double)kept / considered;
            }
            perRun.Add(fractions);
        }
        if (perRun.Count == 0)
            return null;
        int width = perRun.Max(f => f.Length);
        return Enumerable.Range(0, width)
            .Select(c => Spread.Of(perRun.Select(f => c < f.Length ? f[c] : double.NaN))?.Mean)
            .ToList();
    }

    // The newest run of each seed (a selection holds one per seed already).
    private static Dictionary<int, StoredRun> BySeed(IEnumerable<StoredRun> runs)
        => runs.GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Last());

    private static double? Last(IReadOnlyList<CurvePoint> curve) => curve.Count == 0 ? null : Finite(curve[^1].Metric);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
