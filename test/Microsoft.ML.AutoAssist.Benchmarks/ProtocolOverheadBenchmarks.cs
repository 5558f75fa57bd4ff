using BenchmarkDotNet.Attributes;
using Microsoft.ML.AutoAssist.Benchmarks.Data;
using Microsoft.ML.AutoAssist.Benchmarks.Harness;

namespace Microsoft.ML.AutoAssist.Benchmarks;

/// <summary>
/// What the protocol costs a trainer per epoch when every row is kept: the same Boss loop (id,
/// features and label of every row, losses batched by 128) over a plain cursor, over a uniform
/// session's epoch, and over an AutoAssist epoch with BaseKeepProbability = 1 (every row kept, so
/// nothing needs scoring, but every batch is reported and the Assistant learns from it on its
/// background worker). Goal: under 2% overhead.
/// Epochs visit the rows in a fresh random order, as training needs, so the baseline is
/// <see cref="ShuffledPlainCursor"/>: the plain loop a trainer without AutoAssist runs, in a random
/// order, over the very arrays the uniform session cached (the same values copied elsewhere read up
/// to 10% faster or slower in a random order on a VM, depending on where their pages lie).
/// <see cref="ShuffledInputCursor"/> is the same loop over the input's own arrays (same values,
/// other memory), to show how much that alone moves the time; <see cref="PlainCursor"/> reads the
/// input in storage order, to show what the random order costs.
/// </summary>
/// <remarks>
/// One operation is one row. The sessions are opened once (their one-time cost is
/// <see cref="SessionOpenBenchmarks"/>). The Assistant learns on a background thread while the epoch
/// runs, as in training; after each iteration the benchmark waits for it to catch up, outside the
/// measured time, so that one epoch's backlog does not slow the next one.
/// An iteration is one epoch, so more warm-up and iterations than the other benchmarks.
/// BenchmarkDotNet runs one benchmark after the other; <see cref="Harness.PairedProtocolRun"/>
/// runs the same epochs interleaved, which the machine's drift affects far less.
/// </remarks>
[WarmupCount(10)]
[IterationCount(40)]
public class ProtocolOverheadBenchmarks
{
    internal const int Rows = SyntheticImageRows.DefaultRowCount;

    /// <summary>Rows of made-up data (BenchmarkDotNet runs use <see cref="Rows"/>; the paired run may choose).</summary>
    internal int RowCount { get; init; } = Rows;

    private readonly MLContext _ml = new(seed: 1);
    private readonly BossLoop _loop = new();
    private InMemoryImageDataView _data = null!;
    private InMemoryImageDataView _uniformCache = null!;
    private int _shuffleSeed = 1;
    private SelectiveTrainingSession _uniform = null!;
    private SelectiveTrainingSession _autoAssist = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = new InMemoryImageDataView(SyntheticImageRows.Create(RowCount));
        string[] columns = [InMemoryImageDataView.FeaturesColumnName, InMemoryImageDataView.LabelColumnName];
        _uniform = SelectiveTrainingSession.Open(_ml, _data, columns, seed: 3);
        _uniformCache = new InMemoryImageDataView(SyntheticImageRows.CachedBy(_uniform, columns[0], columns[1]));

        var keepAll = new AutoAssistFilterOptions { Selection = new AutoAssistOptions { BaseKeepProbability = 1f }, Seed = 3 };
        var filtered = _ml.Transforms.AutoAssistFilter(keepAll).Fit(_data).Transform(_data);
        _autoAssist = SelectiveTrainingSession.Open(_ml, filtered, columns, seed: 3);
        // Past the first pass (which keeps all without scoring), so every measured epoch scores every row.
        using (var firstPass = _autoAssist.OpenEpoch())
            _loop.Run<AutoAssistKeepAllEpochLoop>(firstPass, _autoAssist);
        _autoAssist.WaitForAssistant(TimeSpan.FromMinutes(2));
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double PlainCursor()
    {
        using var cursor = _data.GetRowCursor(_data.Schema);
        return _loop.Run<PlainCursorLoop>(cursor, session: null);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public double ShuffledPlainCursor()
    {
        using var cursor = _uniformCache.GetRowCursor(_uniformCache.Schema, new Random(_shuffleSeed++));
        return _loop.Run<ShuffledPlainCursorLoop>(cursor, session: null);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double ShuffledInputCursor()
    {
        using var cursor = _data.GetRowCursor(_data.Schema, new Random(_shuffleSeed++));
        return _loop.Run<ShuffledInputCursorLoop>(cursor, session: null);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double UniformEpoch()
    {
        using var epoch = _uniform.OpenEpoch();
        return _loop.Run<UniformEpochLoop>(epoch, _uniform);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double AutoAssistKeepAllEpoch()
    {
        using var epoch = _autoAssist.OpenEpoch();
        return _loop.Run<AutoAssistKeepAllEpochLoop>(epoch, _autoAssist);
    }

    // One marker per benchmark: each gets its own compiled copy of the Boss loop (see BossLoop.Run).
    private struct PlainCursorLoop;
    private struct ShuffledPlainCursorLoop;
    private struct ShuffledInputCursorLoop;
    private struct UniformEpochLoop;
    private struct AutoAssistKeepAllEpochLoop;

    [IterationCleanup]
    public void LetAssistantCatchUp()
    {
        if (_autoAssist is not null && !_autoAssist.WaitForAssistant(TimeSpan.FromMinutes(2)))
            throw new TimeoutException("The Assistant did not catch up with one epoch of feedback within two minutes.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var dropped = _autoAssist.Statistics.Epochs.Sum(e => e.RowsFeedbackDropped);
        Console.WriteLine($"// AutoAssist keep-all epochs: {_autoAssist.Statistics.Epochs.Count}, feedback rows dropped: {dropped}, " +
                          $"last: {_autoAssist.Statistics.Last}");
        _uniform.Dispose();
        _autoAssist.Dispose();
    }
}
