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

        // Does more plain training still help? If uniform beyond B barely gains, B is a fair reference.
        var atReference = UniformFinal(summary, b => b.Fraction == 1.0);
        foreach (var beyond in summary.Budgets.Where(b => b.Fraction > 1.0))
        {
            if (atReference is { } atB && UniformFinal(summary, b => b == beyond) is { } longer)
            {
                text.Append(culture, $"Uniform at {beyond.Fraction.ToString("0.###", culture)} × B: {100 * (longer - atB):+0.00;-0.00;0.00} points ");
                text.Append(culture, $"of final test {summary.Metric} over B (mean over seeds).\n\n");
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

    private static double? UniformFinal(FrontierSummary summary, Func<BudgetSummary, bool> budget)
        => summary.Budgets.Where(budget)
            .SelectMany(b => b.Methods)
            .FirstOrDefault(m => string.Equals(m.Method, Configuration.BenchmarkMethod.UniformName, StringComparison.OrdinalIgnoreCase))
            ?.FinalMetric?.Mean;

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
