using System.Text.Json.Nodes;
using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>
/// The frontier as written to frontier.json: the first seven properties are the fixed shape
/// (commit, command, date, machine, settings, reference_steps, budgets); the rest add context.
/// Everything in it is derived from the stored runs alone, so the report rebuilt from the store is
/// the report written after the runs.
/// </summary>
public sealed record FrontierSummary
{
    /// <summary>The code commit of the newest run used (<see cref="Commits"/> lists them all).</summary>
    public required string Commit { get; init; }

    /// <summary>The command of the newest run used (<see cref="Commands"/> lists them all).</summary>
    public required string Command { get; init; }

    /// <summary>When the newest run used finished (ISO 8601, UTC).</summary>
    public required string Date { get; init; }

    /// <summary>The machine of the newest run used.</summary>
    public required MachineDescription Machine { get; init; }

    /// <summary>
    /// Effective settings: "data", "trainer" (of the reference run, else the newest), "methods" (each
    /// method's filter settings at its newest run) and "by_hash" (the full settings of every settings
    /// hash a budget entry names).
    /// </summary>
    public required JsonObject Settings { get; init; }

    /// <summary>B: uniform's optimizer steps over the reference passes.</summary>
    public required long ReferenceSteps { get; init; }

    /// <summary>One entry per budget, smallest first.</summary>
    public required IReadOnlyList<BudgetSummary> Budgets { get; init; }

    /// <summary>Task (image).</summary>
    public required string Task { get; init; }

    /// <summary>Data set (fashion-mnist).</summary>
    public required string Dataset { get; init; }

    /// <summary>Model (resnet8).</summary>
    public required string Model { get; init; }

    /// <summary>The metric (accuracy).</summary>
    public required string Metric { get; init; }

    /// <summary>The split of the curves, the reference and time to reference ("test" or "validation").</summary>
    public required string CurveSplit { get; init; }

    /// <summary>Uniform at B: the accuracy every time to reference is measured to; null without such runs.</summary>
    public required ReferenceSummary? Reference { get; init; }

    /// <summary>Every commit whose runs the report uses.</summary>
    public required IReadOnlyList<CommitUsage> Commits { get; init; }

    /// <summary>Every command whose runs the report uses.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>When the oldest run used finished.</summary>
    public required string FirstDate { get; init; }

    /// <summary>Runs used.</summary>
    public required int Runs { get; init; }

    /// <summary>How the ratios are defined, so the file explains itself.</summary>
    public string RatioDefinition { get; init; } =
        "per seed: the training seconds at which the method's run first reaches the reference (uniform at B, mean final metric " +
        "over its seeds, on the curve's split; linearly interpolated on the fixed step grid), divided by the whole training " +
        "seconds of uniform at B with the same seed; mean/min/max over the seeds that reached it; null when none did";
}

/// <summary>The reference: uniform trained for the whole budget B.</summary>
public sealed record ReferenceSummary
{
    /// <summary>The method (uniform).</summary>
    public required string Method { get; init; }

    /// <summary>Its budget in steps (B).</summary>
    public required long Steps { get; init; }

    /// <summary>Its seeds.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>Mean final metric on the curve's split: what time to reference is measured to.</summary>
    public required double Metric { get; init; }
}

/// <summary>A version of the code and how many of the report's runs measured it.</summary>
/// <param name="CodeCommit">The last commit that changed code.</param>
/// <param name="Dirty">The runs had uncommitted code changes on top of it.</param>
/// <param name="Runs">Runs used.</param>
/// <param name="Heads">HEAD at those runs (later commits that changed only docs/, such as the store itself).</param>
public sealed record CommitUsage(string CodeCommit, bool Dirty, int Runs, IReadOnlyList<string> Heads);

/// <summary>Every method at one budget.</summary>
public sealed record BudgetSummary
{
    /// <summary>Share of B.</summary>
    public required double Fraction { get; init; }

    /// <summary>round(fraction × B) optimizer steps.</summary>
    public required long Steps { get; init; }

    /// <summary>One entry per method, uniform first.</summary>
    public required IReadOnlyList<FrontierMethodSummary> Methods { get; init; }
}

/// <summary>One method at one budget, over its seeds.</summary>
public sealed record FrontierMethodSummary
{
    /// <summary>The method.</summary>
    public required string Method { get; init; }

    /// <summary>Seeds that ran.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>Final test metric.</summary>
    public required Spread? FinalMetric { get; init; }

    /// <summary>Training seconds (evaluation excluded).</summary>
    public required Spread? TrainingSeconds { get; init; }

    /// <summary>Time to the reference / uniform-at-B's training time, paired by seed; null when no seed reached it.</summary>
    public required Spread? TimeToReferenceRatio { get; init; }

    /// <summary>Final validation metric; null without a validation split.</summary>
    public Spread? FinalValidationMetric { get; init; }

    /// <summary>Training seconds to the reference.</summary>
    public Spread? TimeToReferenceSeconds { get; init; }

    /// <summary>Seeds whose run reached the reference.</summary>
    public int SeedsReachingReference { get; init; }

    /// <summary>Evaluation seconds (reported apart).</summary>
    public Spread? EvaluationSeconds { get; init; }

    /// <summary>Rows backpropagated / training rows.</summary>
    public Spread? EquivalentEpochs { get; init; }

    /// <summary>autoassist-keepall only: training time / uniform's at the same budget and seed (the machinery's cost).</summary>
    public Spread? OverheadRatio { get; init; }

    /// <summary>Final test metric less uniform's at the same budget, paired by seed; null for uniform and where no seed pairs.</summary>
    public Spread? DifferenceToUniform { get; init; }

    /// <summary>Seeds whose final test metric is above uniform's at the same budget.</summary>
    public int SeedsAboveUniform { get; init; }

    /// <summary>Final test metric less random-subset's at the same budget, paired by seed; null for random-subset and where no seed pairs.</summary>
    public Spread? DifferenceToRandomSubset { get; init; }

    /// <summary>Seeds whose final test metric is above random-subset's at the same budget.</summary>
    public int SeedsAboveRandomSubset { get; init; }

    /// <summary>Share of each class's rows kept over the run (mean over seeds); null while the trainer does not count per class.</summary>
    public IReadOnlyList<double?>? KeptFractionByClass { get; init; }

    /// <summary>Hash of the effective settings (the full settings are under settings.by_hash).</summary>
    public required string SettingsHash { get; init; }

    /// <summary>Each seed's numbers.</summary>
    public required IReadOnlyList<FrontierSeedSummary> PerSeed { get; init; }
}

/// <summary>One run of a frontier.</summary>
public sealed record FrontierSeedSummary
{
    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Final test metric.</summary>
    public required double? FinalMetric { get; init; }

    /// <summary>Final validation metric.</summary>
    public required double? FinalValidationMetric { get; init; }

    /// <summary>Training seconds.</summary>
    public required double TrainingSeconds { get; init; }

    /// <summary>Evaluation seconds.</summary>
    public required double EvaluationSeconds { get; init; }

    /// <summary>Optimizer steps done.</summary>
    public required long Steps { get; init; }

    /// <summary>Rows backpropagated.</summary>
    public required long RowsBackpropagated { get; init; }

    /// <summary>Rows backpropagated / training rows.</summary>
    public required double? EquivalentEpochs { get; init; }

    /// <summary>Training seconds to the reference; null if never.</summary>
    public required double? TimeToReferenceSeconds { get; init; }

    /// <summary><see cref="TimeToReferenceSeconds"/> / uniform-at-B's training seconds with this seed.</summary>
    public required double? TimeToReferenceRatio { get; init; }

    /// <summary>autoassist-keepall: training seconds / uniform's at the same budget and seed.</summary>
    public double? OverheadRatio { get; init; }

    /// <summary>Final test metric less uniform's with this seed at this budget.</summary>
    public double? DifferenceToUniform { get; init; }

    /// <summary>Final test metric less random-subset's with this seed at this budget.</summary>
    public double? DifferenceToRandomSubset { get; init; }

    /// <summary>Share of rows kept, per epoch.</summary>
    public required IReadOnlyList<double?> KeptFractionPerEpoch { get; init; }

    /// <summary>The run's code commit.</summary>
    public required string Commit { get; init; }

    /// <summary>Uncommitted code changes when it ran.</summary>
    public required bool Dirty { get; init; }

    /// <summary>When it finished.</summary>
    public required string Date { get; init; }

    /// <summary>Load averages (1, 5, 15 min) at its start.</summary>
    public IReadOnlyList<double>? LoadAverageStart { get; init; }

    /// <summary>Load averages (1, 5, 15 min) at its end.</summary>
    public IReadOnlyList<double>? LoadAverageEnd { get; init; }
}
