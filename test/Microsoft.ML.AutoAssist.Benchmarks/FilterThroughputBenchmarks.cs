using BenchmarkDotNet.Attributes;
using Microsoft.ML.AutoAssist.Benchmarks.Data;
using Microsoft.ML.AutoAssist.Benchmarks.Harness;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Benchmarks;

/// <summary>
/// A whole AutoAssist epoch after the first pass: opening it has the Assistant score every row and
/// drop most easy ones; the consumer reads the kept rows (MoveNext, id, features). One
/// operation is one row considered, so Rows/s is the rows the filter gets through per second.
/// No losses are reported here, so the Assistant, and with it the kept share, stays the same from
/// one measured epoch to the next. A uniform epoch consumed the same way is the baseline.
/// </summary>
public class FilterThroughputBenchmarks
{
    private const int Rows = SyntheticImageRows.DefaultRowCount;

    private readonly MLContext _ml = new(seed: 1);
    private SelectiveTrainingSession _autoAssist = null!;
    private SelectiveTrainingSession _uniform = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = new InMemoryImageDataView(SyntheticImageRows.Create(Rows));
        string[] columns = [InMemoryImageDataView.FeaturesColumnName, InMemoryImageDataView.LabelColumnName];
        _uniform = SelectiveTrainingSession.Open(_ml, data, columns, seed: 3);

        var filtered = _ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Seed = 3 }).Fit(data).Transform(data);
        _autoAssist = SelectiveTrainingSession.Open(_ml, filtered, columns, seed: 3);
        // The first pass keeps every row and teaches the Assistant from the Boss's losses.
        using (var firstPass = _autoAssist.OpenEpoch())
            new BossLoop().Run<FirstPassLoop>(firstPass, _autoAssist);
        if (!_autoAssist.WaitForAssistant(TimeSpan.FromMinutes(2)))
            throw new TimeoutException("The Assistant did not catch up with the first pass within two minutes.");
        Console.WriteLine($"// First pass: {_autoAssist.Statistics.Last}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public long UniformEpoch() => Consume(_uniform);

    [Benchmark(OperationsPerInvoke = Rows)]
    public long AutoAssistEpoch() => Consume(_autoAssist);

    [GlobalCleanup]
    public void Cleanup()
    {
        var later = _autoAssist.Statistics.Epochs.Skip(1).ToArray();
        if (later.Length > 0)
            Console.WriteLine($"// AutoAssist epochs after the first pass: {later.Length}, kept fraction mean {later.Average(e => e.KeptFraction):P1} " +
                              $"(min {later.Min(e => e.KeptFraction):P1}, max {later.Max(e => e.KeptFraction):P1})");
        _autoAssist.Dispose();
        _uniform.Dispose();
    }

    private static long Consume(SelectiveTrainingSession session)
    {
        using var epoch = session.OpenEpoch();
        var idGetter = epoch.GetIdGetter();
        var featureGetter = epoch.GetGetter<VBuffer<float>>(epoch.Schema[InMemoryImageDataView.FeaturesColumnName]);
        DataViewRowId id = default;
        VBuffer<float> features = default;
        long checksum = 0;
        while (epoch.MoveNext())
        {
            idGetter(ref id);
            featureGetter(ref features);
            checksum += (long)id.Low + features.Length;
        }
        return checksum;
    }

    private struct FirstPassLoop;
}
