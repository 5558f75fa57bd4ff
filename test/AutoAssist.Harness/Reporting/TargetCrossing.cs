using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>Where a run first reached the target: training seconds and rows backpropagated.</summary>
public sealed record TargetCrossing(double Seconds, double RowsBackpropagated)
{
    /// <summary>
    /// The first time the curve reaches <paramref name="target"/> (metric ≥ target), linearly
    /// interpolated between the last measurement below the target and the first at or above it, so
    /// that the answer does not jump by a whole evaluation interval. When the very first
    /// measurement already reaches the target, that measurement is the answer. Null when the
    /// curve never reaches it (or the target is not a number).
    /// </summary>
    public static TargetCrossing? Find(IReadOnlyList<CurvePoint> curve, double target)
    {
        if (!double.IsFinite(target))
            return null;
        for (int i = 0; i < curve.Count; i++)
        {
            var point = curve[i];
            if (!(point.Metric >= target))
                continue;
            if (i == 0)
                return new TargetCrossing(point.Seconds, point.RowsBackpropagated);
            var before = curve[i - 1];
            // before.Metric < target <= point.Metric, so the fraction lies in (0, 1].
            double fraction = (target - before.Metric) / (point.Metric - before.Metric);
            return new TargetCrossing(
                before.Seconds + fraction * (point.Seconds - before.Seconds),
                before.RowsBackpropagated + fraction * (point.RowsBackpropagated - before.RowsBackpropagated));
        }
        return null;
    }
}
