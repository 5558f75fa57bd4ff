using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Microsoft.ML.AutoAssist.Benchmarks.Harness;

/// <summary>
/// One short job for every benchmark, so that the whole suite runs in a few minutes on a 2-core
/// machine. <c>--quick</c> trims it further, for checking that everything runs.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create(bool quick)
    {
        var job = quick
            ? Job.Default.WithId("Quick").WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            : Job.Default.WithId("Short").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15);
        return ManualConfig.Create(DefaultConfig.Instance)
            // AsDefault: a class's own [WarmupCount]/[IterationCount] attributes still apply.
            .AddJob(job.AsDefault())
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max, new RowsPerSecondColumn())
            .AddDiagnoser(MemoryDiagnoser.Default);
    }
}
