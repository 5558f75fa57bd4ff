using BenchmarkDotNet.Attributes;
using Microsoft.ML.AutoAssist.Benchmarks.Data;

namespace Microsoft.ML.AutoAssist.Benchmarks;

/// <summary>
/// The dense Assistant on its own, on one thread: scoring every cached row in blocks of 256 (what
/// an epoch does when it opens; goal ≥ 1 million rows/s) and, for scale, learning from
/// feedback batches of 128 rows (what the background worker does with the Boss's reports).
/// </summary>
public class AssistantScoringBenchmarks
{
    private const int ScoreBlock = 256;
    private const int FeedbackBatch = 128;
    private const int Rows = SyntheticImageRows.DefaultRowCount;

    private DenseAssistant _assistant = null!;
    private int[] _order = [];
    private float[] _probabilities = new float[ScoreBlock];
    private float[] _targets = [];

    /// <summary>Shuffled: a fresh random order, as every epoch visits the rows. Sequential: cache order.</summary>
    [Params(RowOrder.Shuffled, RowOrder.Sequential)]
    public RowOrder Order { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rows = SyntheticImageRows.Create(Rows);
        var store = RowStore.Load(new InMemoryImageDataView(rows),
            [InMemoryImageDataView.FeaturesColumnName, InMemoryImageDataView.LabelColumnName], CancellationToken.None);
        _assistant = new DenseAssistant(InMemoryImageDataView.FeaturesColumnName, InMemoryImageDataView.LabelColumnName);
        _assistant.Initialize(new AssistantTrainingRows(store), seed: 1);

        _order = Enumerable.Range(0, Rows).ToArray();
        if (Order == RowOrder.Shuffled)
            new Random(2).Shuffle(_order);
        _targets = _order.Select(row => rows.Labels[row] <= 3 ? 1f : 0f).ToArray();
        _probabilities = new float[ScoreBlock];
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public float Score()
    {
        float checksum = 0;
        for (int start = 0; start < _order.Length; start += ScoreBlock)
        {
            int count = Math.Min(ScoreBlock, _order.Length - start);
            _assistant.Score(_order.AsSpan(start, count), _probabilities.AsSpan(0, count));
            checksum += _probabilities[0];
        }
        return checksum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public void Update()
    {
        for (int start = 0; start < _order.Length; start += FeedbackBatch)
        {
            int count = Math.Min(FeedbackBatch, _order.Length - start);
            _assistant.Update(_order.AsSpan(start, count), _targets.AsSpan(start, count));
        }
    }

    public enum RowOrder
    {
        Shuffled,
        Sequential,
    }
}
