namespace AutoAssist.Harness.Reporting;

/// <summary>Mean, smallest and largest of a value over seeds.</summary>
public sealed record Spread(double Mean, double Min, double Max)
{
    /// <summary>The spread of the finite values; null when there is none.</summary>
    public static Spread? Of(IEnumerable<double?> values)
    {
        var finite = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        return finite.Count == 0 ? null : new Spread(finite.Average(), finite.Min(), finite.Max());
    }

    /// <summary>The spread of the finite values; null when there is none.</summary>
    public static Spread? Of(IEnumerable<double> values) => Of(values.Select(v => (double?)v));
}
