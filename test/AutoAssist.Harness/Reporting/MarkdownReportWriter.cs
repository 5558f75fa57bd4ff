using System.Globalization;
using System.Text;

namespace AutoAssist.Harness.Reporting;

/// <summary>Writes summary.md: a table with one row per method, and the context needed to trust it.</summary>
public static class MarkdownReportWriter
{
    /// <summary>The table's header row.</summary>
    public const string TableHeader =
        "| method | seeds | reached target | final {0} | time to target (× uniform) | compute to target (× uniform) | training s | evaluation s | equivalent epochs | overhead (× uniform) |";

    /// <summary>The markdown text; <paramref name="plotFiles"/> are linked under the table.</summary>
    public static string Write(BenchmarkSummary summary, IReadOnlyList<string> plotFiles)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(culture, $"# Benchmark: {summary.Task} / {summary.Dataset} ({summary.Model})\n\n");
        string target = summary.Target is { } t ? t.ToString("F4", culture) : "n/a (no uniform run yet)";
        text.Append(culture, $"Target {summary.Metric}: **{target}** ({summary.TargetSource}). ");
        text.Append("Ratios are to uniform: below 1 reaches the target sooner (time: training seconds, evaluation excluded; ");
        text.Append("compute: rows backpropagated). Cells read mean (min–max) over the seeds that reached the target.\n\n");

        text.Append(string.Format(culture, TableHeader, summary.Metric)).Append('\n');
        text.Append("|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var m in summary.Methods)
        {
            text.Append(culture, $"| {m.Method} | {string.Join(",", m.Seeds)} | {m.SeedsReachingTarget}/{m.Seeds.Count} | ");
            text.Append(culture, $"{Format(m.FinalMetric, "F4")} | {Format(m.TimeToTargetRatio, "F2")} | {Format(m.ComputeToTargetRatio, "F2")} | ");
            text.Append(culture, $"{Format(m.TrainingSeconds, "F0")} | {Format(m.EvaluationSeconds, "F0")} | {Format(m.EquivalentEpochs, "F2")} | ");
            text.Append(culture, $"{Format(m.OverheadRatio, "F3")} |\n");
        }

        var changed = summary.Methods.Where(m => m.Settings.Count > 0).ToList();
        if (changed.Count > 0)
        {
            text.Append("\nMethod settings changed from the defaults:\n\n");
            foreach (var m in changed)
                text.Append(culture, $"- {m.Method}: {string.Join(", ", m.Settings.Select(s => $"{s.Key}={s.Value}"))}\n");
        }

        if (plotFiles.Count > 0)
        {
            text.Append('\n');
            foreach (string plot in plotFiles)
                text.Append(culture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})\n");
        }

        text.Append(culture, $"\n- Command: `{summary.Command}`\n");
        text.Append(culture, $"- Machine: {summary.Machine}\n");
        text.Append(culture, $"- Date: {summary.Date}\n");
        text.Append(culture, $"- Settings: {string.Join(", ", summary.Settings.Select(s => $"{s.Key}={s.Value}"))}\n");
        return text.ToString();
    }

    private static string Format(Spread? spread, string format)
    {
        if (spread is null)
            return "—";
        var culture = CultureInfo.InvariantCulture;
        string mean = spread.Mean.ToString(format, culture);
        return spread.Min == spread.Max ? mean : $"{mean} ({spread.Min.ToString(format, culture)}–{spread.Max.ToString(format, culture)})";
    }
}
