using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;
using AutoAssist.Harness.Store;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>Made-up frontier runs and a task that trains nothing, for checking the frontier's arithmetic and bookkeeping.</summary>
internal static class MadeUpFrontier
{
    public const int Rows = 1000;

    public static readonly MachineDescription Machine = new("Test CPU", 2, 8L << 30, "Linux (X64)", "10.0.0");

    /// <summary>
    /// A stored run whose curve passes through (step, seconds, metric); the final step is the last
    /// point's. Rows backpropagated grow by 100 per step.
    /// </summary>
    public static StoredRun Run(string method, double fraction, int seed, params (long Step, double Seconds, double Metric)[] curve)
    {
        long steps = curve.Length == 0 ? 0 : curve[^1].Step;
        return new StoredRun
        {
            Commit = "c0ffee" + seed,
            CodeCommit = "c0ffee",
            Dirty = false,
            Method = method,
            SettingsHash = "hash-" + method,
            Fraction = fraction,
            Steps = steps,
            Seed = seed,
            ReferenceSteps = 100,
            Task = "image",
            Dataset = "fashion-mnist",
            Model = "resnet8",
            Metric = "accuracy",
            CurveSplit = "test",
            EvaluationIntervalSteps = 10,
            Command = "dotnet run -c Release --project test/AutoAssist.Harness -- --fractions 0.5,1",
            Date = $"2025-01-0{seed}T00:00:00Z",
            Machine = Machine,
            LoadAverageStart = [0.5, 0.4, 0.3],
            LoadAverageEnd = [1.5, 0.9, 0.4],
            Settings = new JsonObject { ["data"] = new JsonObject { ["training_rows"] = Rows }, ["filter"] = new JsonObject(), ["trainer"] = new JsonObject() },
            Result = new RunResult
            {
                Method = method,
                Seed = seed,
                RowCount = Rows,
                TrainingSeconds = curve.Length == 0 ? 0 : curve[^1].Seconds,
                EvaluationSeconds = 1,
                RowsForwarded = steps * 100,
                RowsBackpropagated = steps * 100,
                Steps = steps,
                Epochs = 1,
                Curve = curve.Select(p => new CurvePoint(p.Seconds, p.Step, 0, p.Step * 100, p.Step * 100, p.Metric)).ToList(),
                FinalTestMetric = curve.Length == 0 ? null : curve[^1].Metric,
            },
        };
    }
}

/// <summary>
/// A task that trains nothing: each "run" returns a made-up curve that depends on the method, the
/// seed and the step budget, and every call is recorded.
/// </summary>
internal sealed class FakeTask : IBenchmarkTask
{
    public List<(string Method, int Seed, long? MaxSteps)> Calls { get; } = [];

    public string MetricName => "accuracy";

    public string ModelName => "resnet8";

    public string CurveSplit => "test";

    public int TrainingRowCount => 1000;

    public int ValidationRowCount => 100;

    public int TestRowCount => 500;

    public void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions)
    {
        filterOptions.FeatureColumnName = "Pixels";
    }

    public object TrainerOptionsFor(BenchmarkMethod method, int seed, long? maxSteps)
        => new ImageClassificationTrainerOptions { Seed = seed, MaxSteps = maxSteps, EvaluationIntervalSteps = 5, Architecture = ResNetArchitecture.ResNet8 };

    public JsonObject DescribeData() => new() { ["dataset"] = "fake", ["training_rows"] = TrainingRowCount, ["test_rows"] = TestRowCount };

    public RunResult Train(BenchmarkMethod benchmarkMethod, AutoAssistFilterOptions filterOptions, int seed, long? maxSteps, IProgress<TrainingProgress> progress)
    {
        string method = benchmarkMethod.Name;
        Calls.Add((method, seed, maxSteps));
        long steps = maxSteps ?? 100;
        // Accuracy rises with steps, a little differently per seed; any method but uniform learns faster.
        // Measured every 5 steps and at the end.
        double Metric(long step) => 0.5 + 0.4 * step / (step + 20.0) + 0.001 * seed + (method == "uniform" ? 0 : 0.06);
        var curve = new List<CurvePoint>();
        for (long step = 5; step < steps; step += 5)
            curve.Add(new CurvePoint(step * 0.1, step, 0, step * 10, step * 10, Metric(step)));
        curve.Add(new CurvePoint(steps * 0.1, steps, 0, steps * 10, steps * 10, Metric(steps)));
        return new RunResult
        {
            Method = method,
            Seed = seed,
            RowCount = TrainingRowCount,
            TrainingSeconds = steps * 0.1,
            EvaluationSeconds = 0.5,
            RowsForwarded = steps * 10,
            RowsBackpropagated = steps * 10,
            Steps = steps,
            Epochs = 1,
            Curve = curve,
            SelectionEpochs =
            [
                new SelectionEpochRecord(0, 1000, 600, 0.6, 600, 0.6, double.NaN, 0.8, 0.9, 0.7, 0.3, 0) { KeptByClass = [200, 400], ConsideredByClass = [500, 500] },
            ],
            FinalTestMetric = Metric(steps),
            FinalValidationMetric = Metric(steps) - 0.01,
        };
    }
}
