namespace AutoAssist.Harness.Plotting;

/// <summary>An axis range widened to round numbers, with its tick values (steps of 1, 2 or 5 times a power of ten).</summary>
public sealed record AxisScale(double Min, double Max, IReadOnlyList<double> Ticks)
{
    /// <summary>A scale covering [<paramref name="low"/>, <paramref name="high"/>] with about <paramref name="targetTicks"/> ticks.</summary>
    public static AxisScale Create(double low, double high, int targetTicks = 6)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
            (low, high) = (0, 1);
        if (high < low)
            (low, high) = (high, low);
        if (high - low < 1e-12)
        {
            double pad = Math.Abs(low) > 1e-12 ? Math.Abs(low) * 0.05 : 0.5;
            (low, high) = (low - pad, high + pad);
        }

        double rough = (high - low) / Math.Max(1, targetTicks - 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(f => f * magnitude).First(s => s >= rough);
        double min = Math.Floor(low / step) * step;
        double max = Math.Ceiling(high / step) * step;
        var ticks = new List<double>();
        for (int i = 0; min + i * step <= max + step * 1e-9; i++)
            ticks.Add(Math.Round(min + i * step, 12));
        return new AxisScale(min, max, ticks);
    }

    /// <summary>The position of <paramref name="value"/> in [0, 1] along the axis.</summary>
    public double Fraction(double value) => (value - Min) / (Max - Min);

    /// <summary>Tick label text with as many decimals as the step needs.</summary>
    public string Label(double value)
    {
        double step = Ticks.Count > 1 ? Ticks[1] - Ticks[0] : 1;
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 6);
        return value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }
}
