using System.Globalization;
using System.Text;

namespace AutoAssist.Harness.Reporting;

/// <summary>Writes frontier.md: one table per budget, the reference, the per-class kept shares when counted, and the provenance.</summary>
public static class FrontierMarkdownWriter
{
    /// <summary>The header row of each budget's table.</summary>
    public const string TableHeader =
        "| method | seeds | final test {0} | final validation {0} | training s | time to reference (× uniform@B, paired) | reached | equivalent epochs | overhead (× uniform) |";

    /// <summary>The markdown text; <paramref name="plotFile"/> is linked under the tables.</summary>
    public static string Write(FrontierSummary summary, string? plotFile)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(culture, $"# Frontier: {summary.Task} / {summary.Dataset} ({summary.Model})\n\n");
        text.Append(culture, $"Budgets are shares of B = {summary.ReferenceSteps} Boss optimizer steps (uniform's steps over the reference passes); ");
        text.Append("every run anneals its learning rate over its own budget, so every point is a finished model. ");
        if (summary.Reference is { } reference)
        {
            text.Append(culture, $"Reference: uniform at B, mean final {summary.CurveSplit} {summary.Metric} **{reference.Metric:F4}** ");
            text.Append(culture, $"(seeds {string.Join(",", reference.Seeds)}). ");
        }
        else
        {
            text.Append("No uniform run at B yet: no reference, no time to reference. ");
        }
        text.Append("Time to reference: training seconds until the run first reaches it, over uniform-at-B's training seconds with the same seed ");
        text.Append("(below 1 is faster). Cells read mean (min–max) over seeds.\n\n");

        foreach (var budget in summary.Budgets)
        {
            text.Append(culture, $"## {budget.Fraction.ToString("0.###", culture)} × B = {budget.Steps} steps\n\n");
            text.Append(string.Format(culture, TableHeader, summary.Metric)).Append('\n');
            text.Append("|---|---|---|---|---|---|---|---|---|\n");
            foreach (var m in budget.Methods)
            {
                text.Append(culture, $"| {m.Method} | {string.Join(",", m.Seeds)} | {Format(m.FinalMetric, "F4")} | {Format(m.FinalValidationMetric, "F4")} | ");
                text.Append(culture, $"{Format(m.TrainingSeconds, "F0")} | {Format(m.TimeToReferenceRatio, "F2")} | {m.SeedsReachingReference}/{m.Seeds.Count} | ");
                text.Append(culture, $"{Format(m.EquivalentEpochs, "F2")} | {Format(m.OverheadRatio, "F3")} |\n");
            }
            text.Append('\n');
        }

        // Is a selection worth anything? Only where it beats both control arms at the same budget, seed by seed.
        var compared = summary.Budgets
            .SelectMany(b => b.Methods.Where(m => m.DifferenceToUniform is not null || m.DifferenceToRandomSubset is not null).Select(m => (b.Fraction, Method: m)))
            .ToList();
        if (compared.Count > 0)
        {
            text.Append("## Against the control arms\n\n");
            text.Append(culture, $"Final test {summary.Metric} less the control arm's at the same budget with the same seed, in points: mean (min to max), ");
            text.Append("and the seeds above it.\n\n");
            text.Append("| method | budget | − uniform (points) | seeds above uniform | − random-subset (points) | seeds above random-subset |\n");
            text.Append("|---|---|---|---|---|---|\n");
            foreach (var (fraction, m) in compared)
            {
                text.Append(culture, $"| {m.Method} | {fraction.ToString("0.###", culture)} × B | {Points(m.DifferenceToUniform)} | ");
                text.Append(culture, $"{Count(m.SeedsAboveUniform, m.DifferenceToUniform, m.PerSeed.Count(s => s.DifferenceToUniform is not null))} | ");
                text.Append(culture, $"{Points(m.DifferenceToRandomSubset)} | ");
                text.Append(culture, $"{Count(m.SeedsAboveRandomSubset, m.DifferenceToRandomSubset, m.PerSeed.Count(s => s.DifferenceToRandomSubset is not null))} |\n");
            }
            text.Append('\n');
        }

        // Does more plain training still help? If uniform beyond B barely gains, B is a fair reference. Paired by seed,
        // since the longer schedule may have run on fewer seeds.
        var atReference = UniformPerSeed(summary, b => b.Fraction == 1.0);
        foreach (var beyond in summary.Budgets.Where(b => b.Fraction > 1.0))
        {
            var pairs = UniformPerSeed(summary, b => b == beyond)
                .Where(s => atReference.ContainsKey(s.Key))
                .OrderBy(s => s.Key)
                .ToList();
            if (pairs.Count > 0)
            {
                double gain = pairs.Average(s => s.Value - atReference[s.Key]);
                text.Append(culture, $"Uniform at {beyond.Fraction.ToString("0.###", culture)} × B: {100 * gain:+0.00;-0.00;0.00} points ");
                text.Append(culture, $"of final test {summary.Metric} over B (paired by seed; seeds {string.Join(",", pairs.Select(p => p.Key))}).\n\n");
            }
        }

        var perClass = summary.Budgets
            .SelectMany(b => b.Methods.Where(m => m.KeptFractionByClass is not null).Select(m => (b.Fraction, Method: m)))
            .ToList();
        if (perClass.Count > 0)
        {
            int classes = perClass.Max(x => x.Method.KeptFractionByClass!.Count);
            text.Append("## Share of each class's rows kept\n\n");
            text.Append("| method | budget | ").AppendJoin(" | ", Enumerable.Range(0, classes).Select(c => $"class {c}")).Append(" |\n");
            text.Append("|---|---|").Append(string.Concat(Enumerable.Repeat("---|", classes))).Append('\n');
            foreach (var (fraction, method) in perClass)
            {
                text.Append(culture, $"| {method.Method} | {fraction.ToString("0.###", culture)} × B | ");
                text.AppendJoin(" | ", Enumerable.Range(0, classes).Select(c =>
                    c < method.KeptFractionByClass!.Count && method.KeptFractionByClass[c] is { } f ? f.ToString("F2", culture) : "—"));
                text.Append(" |\n");
            }
            text.Append('\n');
        }

        if (plotFile is not null)
            text.Append(culture, $"![frontier]({plotFile})\n\n");

        text.Append(culture, $"- Runs: {summary.Runs}, from {summary.FirstDate} to {summary.Date}\n");
        text.Append("- Commits: ").AppendJoin(", ", summary.Commits.Select(c =>
            $"{Short(c.CodeCommit)}{(c.Dirty ? " (uncommitted changes)" : "")} ({c.Runs} runs)")).Append('\n');
        foreach (string command in summary.Commands)
            text.Append(culture, $"- Command: `{command}`\n");
        text.Append(culture, $"- Machine: {summary.Machine}\n");
        text.Append(culture, $"- Curves measured on the {summary.CurveSplit} split; the full settings of every run are in the JSON (settings.by_hash).\n");
        return text.ToString();
    }

    // Uniform's final test metric by seed at the budget chosen.
    private static Dictionary<int, double> UniformPerSeed(FrontierSummary summary, Func<BudgetSummary, bool> budget)
        => summary.Budgets.Where(budget)
            .SelectMany(b => b.Methods)
            .FirstOrDefault(m => string.Equals(m.Method, Configuration.BenchmarkMethod.UniformName, StringComparison.OrdinalIgnoreCase))
            ?.PerSeed.Where(s => s.FinalMetric is not null).ToDictionary(s => s.Seed, s => s.FinalMetric!.Value)
           ?? [];

    private static string Points(Spread? difference)
    {
        if (difference is null)
            return "—";
        var culture = CultureInfo.InvariantCulture;
        const string Signed = "+0.00;-0.00;0.00";
        string mean = (100 * difference.Mean).ToString(Signed, culture);
        string min = (100 * difference.Min).ToString(Signed, culture);
        string max = (100 * difference.Max).ToString(Signed, culture);
        return min == max ? mean : $"{mean} ({min} to {max})";
    }

    private static string Count(int above, Spread? difference, int paired) => difference is null ? "—" : $"{above}/{paired}";

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    private static string Format(Spread? spread, string format)
    {
        if (spread is null)
            return "—";
        var culture = CultureInfo.InvariantCulture;
        string mean = spread.Mean.ToString(format, culture);
        return spread.Min == spread.Max ? mean : $"{mean} ({spread.Min.ToString(format, culture)}–{spread.Max.ToString(format, culture)})";
    }
}
