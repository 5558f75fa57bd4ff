using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Plotting;

/// <summary>The benchmark's two plots: the test metric against training time and against Boss compute, one colour per method, one line per seed.</summary>
public static class PlotWriter
{
    /// <summary>File name of the metric-over-time plot.</summary>
    public const string TimePlotFile = "metric-vs-time.png";

    /// <summary>File name of the metric-over-compute plot.</summary>
    public const string ComputePlotFile = "metric-vs-compute.png";

    /// <summary>The test metric against training seconds (evaluation excluded).</summary>
    public static LineChart MetricOverTime(IReadOnlyList<RunResult> runs, IReadOnlyList<string> methodOrder, string title, string metric, double target)
        => Build(runs, methodOrder, title, metric, target, "training time, s (evaluation excluded)", p => p.Seconds);

    /// <summary>The test metric against rows backpropagated, in epochs of the full training data.</summary>
    public static LineChart MetricOverCompute(IReadOnlyList<RunResult> runs, IReadOnlyList<string> methodOrder, string title, string metric, double target)
    {
        int rows = runs.Count == 0 ? 1 : Math.Max(1, runs[0].RowCount);
        return Build(runs, methodOrder, title, metric, target, "Boss compute: rows backpropagated / training rows (equivalent epochs)",
            p => (double)p.RowsBackpropagated / rows);
    }

    /// <summary>Writes both plots into <paramref name="folder"/> and returns their file names.</summary>
    public static IReadOnlyList<string> WriteAll(string folder, IReadOnlyList<RunResult> runs, IReadOnlyList<string> methodOrder,
        string title, string metric, double target)
    {
        File.WriteAllBytes(Path.Combine(folder, TimePlotFile), MetricOverTime(runs, methodOrder, title, metric, target).RenderPng());
        File.WriteAllBytes(Path.Combine(folder, ComputePlotFile), MetricOverCompute(runs, methodOrder, title, metric, target).RenderPng());
        return [TimePlotFile, ComputePlotFile];
    }

    private static LineChart Build(IReadOnlyList<RunResult> runs, IReadOnlyList<string> methodOrder, string title, string metric,
        double target, string xLabel, Func<CurvePoint, double> x)
    {
        var chart = new LineChart
        {
            Title = title,
            XLabel = xLabel,
            YLabel = "test " + metric,
            ReferenceLine = double.IsFinite(target) ? (target, $"target {target:F4}") : null,
        };
        var names = methodOrder.Concat(runs.Select(r => r.Method)).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            var lines = runs.Where(r => string.Equals(r.Method, name, StringComparison.OrdinalIgnoreCase))
                .Select(r => (IReadOnlyList<(double, double)>)r.Curve.Select(p => (x(p), p.Metric)).ToList())
                .ToList();
            if (lines.Count > 0)
                chart.Series.Add(new ChartSeries(lines.Count == 1 ? name : $"{name} ({lines.Count} seeds)", lines));
        }
        return chart;
    }
}
