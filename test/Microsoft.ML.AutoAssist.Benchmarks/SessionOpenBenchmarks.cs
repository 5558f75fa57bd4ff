using BenchmarkDotNet.Attributes;
using Microsoft.ML.AutoAssist.Benchmarks.Data;

namespace Microsoft.ML.AutoAssist.Benchmarks;

/// <summary>
/// The one-time cost of opening a session on 60,000 rows: reading the trainer's columns into the
/// in-memory cache (and, for AutoAssist, the Assistant's standardisation statistics and its worker).
/// One operation is one whole open + dispose; compare it with the per-epoch cost of the other benchmarks.
/// </summary>
[WarmupCount(2)]
[IterationCount(8)]
public class SessionOpenBenchmarks
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string[] _columns = [InMemoryImageDataView.FeaturesColumnName, InMemoryImageDataView.LabelColumnName];
    private IDataView _data = null!;
    private IDataView _filtered = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = new InMemoryImageDataView(SyntheticImageRows.Create());
        _filtered = _ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Seed = 3 }).Fit(_data).Transform(_data);
    }

    [Benchmark(Baseline = true)]
    public int OpenUniform()
    {
        using var session = SelectiveTrainingSession.Open(_ml, _data, _columns, seed: 3);
        return session.RowCount;
    }

    [Benchmark]
    public int OpenAutoAssist()
    {
        using var session = SelectiveTrainingSession.Open(_ml, _filtered, _columns, seed: 3);
        return session.RowCount;
    }
}
