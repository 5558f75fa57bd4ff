using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>Runs with hand-written curves, for checking the report's arithmetic.</summary>
internal static class MadeUpRuns
{
    public const int Rows = 1000;

    /// <summary>A run whose curve passes through (seconds, metric) with rows backpropagated = 100 per second.</summary>
    public static RunResult Run(string method, int seed, params (double Seconds, double Metric)[] curve) => new()
    {
        Method = method,
        Seed = seed,
        RowCount = Rows,
        TrainingSeconds = curve.Length == 0 ? 0 : curve[^1].Seconds,
        EvaluationSeconds = 1,
        RowsForwarded = curve.Length == 0 ? 0 : (long)(curve[^1].Seconds * 100),
        RowsBackpropagated = curve.Length == 0 ? 0 : (long)(curve[^1].Seconds * 100),
        Steps = curve.Length,
        Epochs = 1,
        Curve = curve.Select((p, i) => new CurvePoint(p.Seconds, i + 1, 0, (long)(p.Seconds * 100), (long)(p.Seconds * 100), p.Metric)).ToList(),
        SelectionEpochs = [new SelectionEpochRecord(0, Rows, Rows / 2, 0.5, Rows / 2, 0.5, 1.5, 0.8, 0.9, 0.7, 0.3, 0)],
    };

    public static ReportContext Context(double? target = null, double margin = 0, params string[] methods) => new()
    {
        Task = "image",
        Dataset = "fashion-mnist",
        Model = "resnet8",
        Metric = "accuracy",
        Command = "dotnet run -c Release --project test/AutoAssist.Harness -- --smoke",
        Date = "2025-01-01T00:00:00Z",
        Machine = "test machine",
        Methods = (methods.Length == 0 ? BenchmarkMethod.AllNames.ToArray() : methods).Select(BenchmarkMethod.Parse).ToList(),
        Target = target,
        TargetMargin = margin,
        TrainingRows = Rows,
    };
}
