using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>
/// The measurements every method is compared at: every <c>interval</c> steps and at the final step.
/// The trainer also measures at each epoch's end, and epochs end at different steps for different
/// methods (a method that keeps half the rows ends its epochs twice as often); compared as they
/// are, such points would give the methods that skip rows a finer grid and so an earlier crossing.
/// </summary>
public static class FixedStepGrid
{
    /// <summary>
    /// The points at a multiple of <paramref name="interval"/> or at <paramref name="finalStep"/>, one
    /// per step (the first, when the trainer measured a step twice); every point when there is no interval.
    /// </summary>
    public static IReadOnlyList<CurvePoint> Filter(IReadOnlyList<CurvePoint> curve, long? interval, long finalStep)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (interval is not long every || every < 1)
            return curve;
        var kept = new List<CurvePoint>();
        foreach (var point in curve)
        {
            bool onGrid = point.Step % every == 0 || point.Step == finalStep;
            if (onGrid && (kept.Count == 0 || kept[^1].Step != point.Step))
                kept.Add(point);
        }
        return kept;
    }
}
