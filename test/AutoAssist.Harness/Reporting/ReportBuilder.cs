using System.Globalization;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>
/// Turns runs into the summary: the target, each method's time and Boss compute to reach it as
/// ratios to uniform's, final metrics, and the machinery's overhead.
/// </summary>
public static class ReportBuilder
{
    /// <summary>
    /// The target: the given one, else uniform's final metric averaged over its seeds less the
    /// margin; NaN when neither is available (no uniform run has finished yet).
    /// </summary>
    public static double ResolveTarget(IReadOnlyList<RunResult> runs, double? given, double margin)
    {
        if (given is { } target)
            return target;
        var uniformFinals = runs.Where(r => IsUniform(r.Method)).Select(r => r.FinalMetric).Where(double.IsFinite).ToList();
        return uniformFinals.Count == 0 ? double.NaN : uniformFinals.Average() - margin;
    }

    /// <summary>Builds the summary of <paramref name="runs"/> (which may be partial: methods without runs are left out).</summary>
    public static BenchmarkSummary Build(IReadOnlyList<RunResult> runs, ReportContext context)
    {
        double target = ResolveTarget(runs, context.Target, context.TargetMargin);
        var crossings = runs.ToDictionary(r => r, r => TargetCrossing.Find(r.Curve, target));

        // Uniform's reference: its mean time and compute to target over the seeds that reached it.
        var uniformCrossings = runs.Where(r => IsUniform(r.Method)).Select(r => crossings[r]).OfType<TargetCrossing>().ToList();
        double? referenceSeconds = uniformCrossings.Count == 0 ? null : uniformCrossings.Average(c => c.Seconds);
        double? referenceRows = uniformCrossings.Count == 0 ? null : uniformCrossings.Average(c => c.RowsBackpropagated);
        var uniformBySeed = runs.Where(r => IsUniform(r.Method)).GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Last());

        var methodNames = context.Methods.Select(m => m.Name)
            .Concat(runs.Select(r => r.Method))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(name => runs.Any(r => SameName(r.Method, name)))
            .ToList();

        var methods = new List<MethodSummary>();
        foreach (string name in methodNames)
        {
            var methodRuns = runs.Where(r => SameName(r.Method, name)).ToList();
            bool isKeepAll = SameName(name, BenchmarkMethod.KeepAllName);
            var perSeed = methodRuns.Select(run =>
            {
                var crossing = crossings[run];
                double? overhead = isKeepAll && uniformBySeed.TryGetValue(run.Seed, out var uniform)
                    ? Ratio(run.TrainingSeconds, uniform.TrainingSeconds)
                    : null;
                return new SeedSummary
                {
                    Seed = run.Seed,
                    FinalMetric = Finite(run.FinalMetric),
                    TimeToTargetSeconds = crossing?.Seconds,
                    ComputeToTargetRows = crossing?.RowsBackpropagated,
                    TimeToTargetRatio = Ratio(crossing?.Seconds, referenceSeconds),
                    ComputeToTargetRatio = Ratio(crossing?.RowsBackpropagated, referenceRows),
                    TrainingSeconds = run.TrainingSeconds,
                    EvaluationSeconds = run.EvaluationSeconds,
                    RowsForwarded = run.RowsForwarded,
                    RowsBackpropagated = run.RowsBackpropagated,
                    EquivalentEpochs = Finite(run.EquivalentEpochs),
                    Steps = run.Steps,
                    Epochs = run.Epochs,
                    OverheadRatio = overhead,
                    KeptFractionPerEpoch = run.SelectionEpochs.Select(e => Finite(e.KeptFraction)).ToList(),
                    SelectionEpochs = run.SelectionEpochs.Select(e => new EpochSummary(e.Epoch, e.RowsConsidered, e.RowsKept,
                        Finite(e.KeptFraction), Finite(e.Threshold), Finite(e.AssistantAccuracy), Finite(e.AssistantAuc),
                        Finite(e.AssistantConfidence), Finite(e.BaseKeepProbability), e.RowsFeedbackDropped)).ToList(),
                };
            }).ToList();

            var method = context.Methods.FirstOrDefault(m => SameName(m.Name, name));
            methods.Add(new MethodSummary
            {
                Method = method?.Name ?? name,
                Seeds = perSeed.Select(s => s.Seed).ToList(),
                FinalMetric = Spread.Of(perSeed.Select(s => s.FinalMetric)),
                TimeToTargetRatio = Spread.Of(perSeed.Select(s => s.TimeToTargetRatio)),
                ComputeToTargetRatio = Spread.Of(perSeed.Select(s => s.ComputeToTargetRatio)),
                SeedsReachingTarget = perSeed.Count(s => s.TimeToTargetSeconds is not null),
                TimeToTargetSeconds = Spread.Of(perSeed.Select(s => s.TimeToTargetSeconds)),
                ComputeToTargetRows = Spread.Of(perSeed.Select(s => s.ComputeToTargetRows)),
                TrainingSeconds = Spread.Of(perSeed.Select(s => (double?)s.TrainingSeconds)),
                EvaluationSeconds = Spread.Of(perSeed.Select(s => (double?)s.EvaluationSeconds)),
                RowsForwarded = Spread.Of(perSeed.Select(s => (double?)s.RowsForwarded)),
                RowsBackpropagated = Spread.Of(perSeed.Select(s => (double?)s.RowsBackpropagated)),
                EquivalentEpochs = Spread.Of(perSeed.Select(s => s.EquivalentEpochs)),
                OverheadRatio = isKeepAll ? Spread.Of(perSeed.Select(s => s.OverheadRatio)) : null,
                Settings = method?.EffectiveSettings() ?? new Dictionary<string, string>(),
                PerSeed = perSeed,
            });
        }

        return new BenchmarkSummary
        {
            Task = context.Task,
            Dataset = context.Dataset,
            Target = Finite(target),
            Command = context.Command,
            Date = context.Date,
            Machine = context.Machine,
            Methods = methods,
            Model = context.Model,
            Metric = context.Metric,
            TargetSource = context.Target is not null
                ? "given"
                : "uniform mean final metric" + (context.TargetMargin == 0 ? "" : " minus " + context.TargetMargin.ToString("R", CultureInfo.InvariantCulture)),
            Settings = context.Settings,
        };
    }

    /// <summary>numerator / denominator, or null when either is missing or the denominator is not positive.</summary>
    public static double? Ratio(double? numerator, double? denominator)
        => numerator is { } n && denominator is { } d && double.IsFinite(n) && double.IsFinite(d) && d > 0 ? n / d : null;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static bool IsUniform(string method) => SameName(method, BenchmarkMethod.UniformName);

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
