using SkiaSharp;

namespace AutoAssist.Harness.Plotting;

/// <summary>One legend entry: a colour and the lines drawn in it (e.g. one line per seed).</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Lines)
{
    /// <summary>Points drawn as dots with min–max bars in both directions (e.g. the spread over seeds).</summary>
    public IReadOnlyList<SpreadPoint> Points { get; init; } = [];
}

/// <summary>A point at the means, with the smallest and largest value in each direction.</summary>
public sealed record SpreadPoint(double X, double XMin, double XMax, double Y, double YMin, double YMax);

/// <summary>
/// A line chart drawn with SkiaSharp straight to PNG: axes with round ticks, a legend, and an
/// optional dashed horizontal reference line (the target). SkiaSharp 2.88 is the version ML.NET's
/// ImageAnalytics needs, so the harness and the tests share one SkiaSharp in one process.
/// </summary>
public sealed class LineChart
{
    private static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xd6, 0x27, 0x28), new(0x2c, 0xa0, 0x2c), new(0xff, 0x7f, 0x0e),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f),
        new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    /// <summary>Title above the plot.</summary>
    public string Title { get; init; } = "";

    /// <summary>X axis label.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>Y axis label.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>The series, coloured in order.</summary>
    public List<ChartSeries> Series { get; } = new();

    /// <summary>A dashed horizontal line (the target) and its label; null: none.</summary>
    public (double Y, string Label)? ReferenceLine { get; init; }

    /// <summary>Renders the chart as PNG bytes.</summary>
    public byte[] RenderPng(int width = 1000, int height = 640)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}x{height} surface.");
        Draw(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the chart as PNG.");
        return png.ToArray();
    }

    private void Draw(SKCanvas canvas, int width, int height)
    {
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 14, Typeface = typeface };
        using var titleText = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 18, Typeface = typeface, FakeBoldText = true };
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var grid = new SKPaint { Color = new SKColor(0xe0, 0xe0, 0xe0), StrokeWidth = 1, Style = SKPaintStyle.Stroke };

        var points = Series.SelectMany(s => s.Lines).SelectMany(l => l)
            .Concat(Series.SelectMany(s => s.Points).SelectMany(p => new (double X, double Y)[] { (p.XMin, p.YMin), (p.XMax, p.YMax) }))
            .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        double yLow = points.Count == 0 ? 0 : points.Min(p => p.Y), yHigh = points.Count == 0 ? 1 : points.Max(p => p.Y);
        if (ReferenceLine is { } reference && double.IsFinite(reference.Y))
            (yLow, yHigh) = (Math.Min(yLow, reference.Y), Math.Max(yHigh, reference.Y));
        var xScale = AxisScale.Create(0, points.Count == 0 ? 1 : points.Max(p => p.X));
        var yScale = AxisScale.Create(yLow, yHigh);

        var plot = new SKRect(80, 50, width - 30, height - 130);
        float X(double x) => plot.Left + (float)xScale.Fraction(x) * plot.Width;
        float Y(double y) => plot.Bottom - (float)yScale.Fraction(y) * plot.Height;

        canvas.DrawText(Title, (width - titleText.MeasureText(Title)) / 2, 30, titleText);
        foreach (double tick in xScale.Ticks)
        {
            canvas.DrawLine(X(tick), plot.Top, X(tick), plot.Bottom, grid);
            string label = xScale.Label(tick);
            canvas.DrawText(label, X(tick) - text.MeasureText(label) / 2, plot.Bottom + 20, text);
        }
        foreach (double tick in yScale.Ticks)
        {
            canvas.DrawLine(plot.Left, Y(tick), plot.Right, Y(tick), grid);
            string label = yScale.Label(tick);
            canvas.DrawText(label, plot.Left - 8 - text.MeasureText(label), Y(tick) + 5, text);
        }
        canvas.DrawRect(plot, axis);
        canvas.DrawText(XLabel, plot.MidX - text.MeasureText(XLabel) / 2, plot.Bottom + 45, text);
        canvas.Save();
        canvas.RotateDegrees(-90);
        canvas.DrawText(YLabel, -plot.MidY - text.MeasureText(YLabel) / 2, 25, text);
        canvas.Restore();

        canvas.Save();
        canvas.ClipRect(plot);
        if (ReferenceLine is { } line && double.IsFinite(line.Y))
        {
            using var dashed = new SKPaint
            {
                Color = SKColors.Black, StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke,
                PathEffect = SKPathEffect.CreateDash([8, 6], 0),
            };
            canvas.DrawLine(plot.Left, Y(line.Y), plot.Right, Y(line.Y), dashed);
            canvas.DrawText(line.Label, plot.Left + 6, Y(line.Y) - 6, text);
        }
        for (int s = 0; s < Series.Count; s++)
        {
            using var stroke = new SKPaint { Color = Palette[s % Palette.Length], StrokeWidth = 2, IsAntialias = true, Style = SKPaintStyle.Stroke };
            foreach (var seedLine in Series[s].Lines)
            {
                using var path = new SKPath();
                bool started = false;
                foreach (var (x, y) in seedLine.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)))
                {
                    if (started)
                        path.LineTo(X(x), Y(y));
                    else
                        path.MoveTo(X(x), Y(y));
                    started = true;
                }
                canvas.DrawPath(path, stroke);
            }
            using var fill = new SKPaint { Color = Palette[s % Palette.Length], IsAntialias = true, Style = SKPaintStyle.Fill };
            using var whisker = new SKPaint { Color = Palette[s % Palette.Length], StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
            foreach (var p in Series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)))
            {
                canvas.DrawLine(X(p.XMin), Y(p.Y), X(p.XMax), Y(p.Y), whisker);
                canvas.DrawLine(X(p.X), Y(p.YMin), X(p.X), Y(p.YMax), whisker);
                canvas.DrawCircle(X(p.X), Y(p.Y), 4, fill);
            }
        }
        canvas.Restore();

        // Legend below the plot, in rows that wrap at the chart's width.
        float legendX = plot.Left, legendY = plot.Bottom + 75;
        for (int s = 0; s < Series.Count; s++)
        {
            float entryWidth = 40 + text.MeasureText(Series[s].Label) + 24;
            if (legendX + entryWidth > width - 10 && legendX > plot.Left)
                (legendX, legendY) = (plot.Left, legendY + 22);
            using var swatch = new SKPaint { Color = Palette[s % Palette.Length], StrokeWidth = 3, IsAntialias = true };
            canvas.DrawLine(legendX, legendY - 5, legendX + 30, legendY - 5, swatch);
            canvas.DrawText(Series[s].Label, legendX + 38, legendY, text);
            legendX += entryWidth;
        }
    }
}
