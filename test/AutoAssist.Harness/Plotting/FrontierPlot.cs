using System.Globalization;
using AutoAssist.Harness.Reporting;

namespace AutoAssist.Harness.Plotting;

/// <summary>
/// The frontier plot: final test metric against training seconds, one line per method through its
/// budgets (smallest first), each point at the means over seeds with min–max bars both ways, and
/// uniform-at-B's mean final metric dashed.
/// </summary>
public static class FrontierPlot
{
    /// <summary>File name of the plot in the output folder.</summary>
    public const string FileName = "frontier.png";

    /// <summary>The chart of <paramref name="summary"/>.</summary>
    public static LineChart Build(FrontierSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        // The dashed line is on the test split only when the reference is (the points always are).
        double? reference = summary.CurveSplit == "test" ? summary.Reference?.Metric : null;
        var chart = new LineChart
        {
            Title = FormattableString.Invariant(
                $"{summary.Model} on {summary.Dataset}: budgets {string.Join(", ", summary.Budgets.Select(b => b.Fraction.ToString("0.###", CultureInfo.InvariantCulture)))} x B"),
            XLabel = "training time, s (evaluation excluded)",
            YLabel = "final test " + summary.Metric,
            ReferenceLine = reference is { } r ? (r, FormattableString.Invariant($"uniform at B {r:F4}")) : null,
        };
        var methods = summary.Budgets.SelectMany(b => b.Methods.Select(m => m.Method)).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (string method in methods)
        {
            var points = summary.Budgets
                .Select(b => b.Methods.FirstOrDefault(m => string.Equals(m.Method, method, StringComparison.OrdinalIgnoreCase)))
                .Where(m => m?.FinalMetric is not null && m.TrainingSeconds is not null)
                .Select(m => new SpreadPoint(m!.TrainingSeconds!.Mean, m.TrainingSeconds.Min, m.TrainingSeconds.Max,
                    m.FinalMetric!.Mean, m.FinalMetric.Min, m.FinalMetric.Max))
                .ToList();
            if (points.Count == 0)
                continue;
            var line = points.Select(p => (p.X, p.Y)).ToList();
            chart.Series.Add(new ChartSeries(method, [line]) { Points = points });
        }
        return chart;
    }
}
