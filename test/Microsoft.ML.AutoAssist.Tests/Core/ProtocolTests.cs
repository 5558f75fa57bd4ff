using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

public class ProtocolTests
{
    /// <summary>An Assistant whose learning is held on a gate the test controls.</summary>
    private sealed class GatedAssistant(ManualResetEventSlim gate) : IAssistant
    {
        public int UpdatesStarted;
        public IReadOnlyList<string> InputColumnNames => ["Features"];
        public void Initialize(AssistantTrainingRows rows, int seed) { }
        public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities) => probabilities.Fill(0.5f);
        public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets)
        {
            Interlocked.Increment(ref UpdatesStarted);
            gate.Wait();
        }
    }

    private sealed class ThrowingAssistant : IAssistant
    {
        public IReadOnlyList<string> InputColumnNames => ["Features"];
        public void Initialize(AssistantTrainingRows rows, int seed) { }
        public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities) => probabilities.Fill(0.5f);
        public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets) => throw new InvalidDataException("assistant exploded");
    }

    private sealed class NeverHardAssistant : IAssistant
    {
        public IReadOnlyList<string> InputColumnNames => ["Features"];
        public void Initialize(AssistantTrainingRows rows, int seed) { }
        public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities) => probabilities.Clear();
        public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets) { }
    }

    private static SelectiveTrainingSession Open(MLContext ml, IDataView data, AutoAssistFilterOptions options)
        => SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data), ["Features"], 3);

    [Fact]
    public void ReportsNeverWaitForTheAssistantAndTheEpochEndsOnceItCaughtUp()
    {
        var ml = new MLContext(1);
        using var gate = new ManualResetEventSlim(false);
        var assistant = new GatedAssistant(gate);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => assistant, FeedbackQueueCapacity = 4, Seed = 1 };
        try
        {
            using var session = Open(ml, SyntheticRows.Load(ml, 1000), options);
            var epoch = session.OpenEpoch();
            var ids = EpochDriver.ReadIds(epoch);
            // A report every 32 rows while the Assistant is stuck in its first update: if
            // reporting waited for the Assistant, this would never finish.
            foreach (var batch in ids.Chunk(32))
                session.ReportLosses(batch, Enumerable.Repeat(1f, batch.Length).ToArray());
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref assistant.UpdatesStarted) == 1, TimeSpan.FromSeconds(30)));
            // The epoch's statistics and the next epoch's decisions take every report into account, so closing it waits for the Assistant.
            var closing = new Thread(epoch.Dispose);
            closing.Start();
            Assert.False(closing.Join(TimeSpan.FromMilliseconds(300)));
            gate.Set();
            Assert.True(closing.Join(TimeSpan.FromSeconds(30)));
            Assert.True(session.Statistics.Last!.RowsFeedbackDropped > 0);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public void AnAssistantFailureSurfacesInTheTrainer()
    {
        var ml = new MLContext(1);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => new ThrowingAssistant(), Seed = 1 };
        using var session = Open(ml, SyntheticRows.Load(ml, 500), options);
        var epoch = EpochDriver.Run(session, null);
        session.ReportLosses(epoch.KeptIds.Take(64).ToArray(), Enumerable.Repeat(1f, 64).ToArray());
        // The trainer's next call after the failure throws it; waiting for the Assistant is one such call.
        var error = Assert.Throws<InvalidOperationException>(() => session.WaitForAssistant(TimeSpan.FromSeconds(30)));
        Assert.Contains("assistant exploded", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
        // The failure is not swallowed: every later protocol call reports it too, none hangs.
        Assert.Throws<InvalidOperationException>(() => session.OpenEpoch());
        Assert.Throws<InvalidOperationException>(() => session.ReportLosses([epoch.KeptIds[0]], [1f]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CancellationStopsAnEpochCleanly(bool selective)
    {
        // A uniform epoch keeps every row; an AutoAssist epoch with no first pass and floor 0.5 keeps about half.
        var ml = new MLContext(1);
        var options = selective
            ? new AutoAssistFilterOptions { Seed = 1, AssistantFactory = () => new NeverHardAssistant(), Selection = new AutoAssistOptions { FirstPassKeepsAll = false, BaseKeepProbability = 0.5f } }
            : new AutoAssistFilterOptions { Seed = 1, Selection = new UniformOptions() };
        using var session = Open(ml, SyntheticRows.Load(ml, 5000), options);
        using var cts = new CancellationTokenSource();
        using var epoch = session.OpenEpoch(cancellation: cts.Token);
        for (int i = 0; i < 100; i++)
            Assert.True(epoch.MoveNext());
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            while (epoch.MoveNext()) { }
        });
        // The session stays usable: the next epoch runs in full.
        var next = EpochDriver.Run(session, null).KeptIds.Count;
        if (selective)
            Assert.InRange(next, 2000, 3000);
        else
            Assert.Equal(5000, next);
    }

    [Fact]
    public void AnAssistantFailureSurfacesInsideAnEpoch()
    {
        // The cursor looks for the worker's failure as it goes, not only when the next epoch opens.
        var ml = new MLContext(1);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => new ThrowingAssistant(), Seed = 1 };
        using var session = Open(ml, SyntheticRows.Load(ml, 5000), options);
        using var epoch = session.OpenEpoch();
        var idGetter = epoch.GetIdGetter();
        var ids = new DataViewRowId[64];
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.True(epoch.MoveNext());
            idGetter(ref ids[i]);
        }
        session.ReportLosses(ids, Enumerable.Repeat(1f, ids.Length).ToArray());
        Assert.True(SpinWait.SpinUntil(() => Faulted(session), TimeSpan.FromSeconds(30)));
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            while (epoch.MoveNext()) { }
        });
        Assert.Contains("assistant exploded", error.Message);
    }

    private static bool Faulted(SelectiveTrainingSession session)
    {
        try
        {
            session.ThrowIfAssistantFaulted();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    [Fact]
    public void AnEpochsOrderDependsOnTheSeedAndTheEpochOnly()
    {
        // Epoch 1 of a uniform session and of a loss-sampling session that saw equal losses for
        // every row (so it keeps every row at weight 1): same seed, same epoch, same rows in the same order.
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 700);
        using var uniform = Open(ml, data, new AutoAssistFilterOptions { Seed = 1, Selection = new UniformOptions() });
        using var sampling = Open(ml, data, new AutoAssistFilterOptions { Seed = 1, Selection = new LossSamplingOptions { KeepFraction = 1f } });
        EpochDriver.Run(uniform, null);
        EpochDriver.Run(sampling, _ => 1f);
        var walked = EpochDriver.Run(uniform, null);
        var prefetched = EpochDriver.Run(sampling, _ => 1f);
        Assert.Equal(700, walked.KeptIds.Distinct().Count());
        Assert.Equal(walked.KeptIds, prefetched.KeptIds);
        Assert.All(prefetched.Weights, w => Assert.Equal(1f, w));
        Assert.All(walked.Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void ReportsLargerThanAStackBufferAreRecorded()
    {
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, 3000), new AutoAssistFilterOptions { Seed = 1, Selection = new InfoBatchOptions() });
        var first = EpochDriver.Run(session, null);
        // One report of all 3,000 rows: low losses for the first half of the epoch's order, high for the rest.
        var losses = first.KeptIds.Select((_, i) => i < 1500 ? 0.01f : 5f).ToArray();
        session.ReportLosses(first.KeptIds.ToArray(), losses);
        var second = EpochDriver.Run(session, null);
        // InfoBatch prunes only rows below the mean loss, so every high-loss row is still there.
        var kept = second.KeptIds.ToHashSet();
        Assert.All(first.KeptIds.Skip(1500), id => Assert.Contains(id, kept));
        Assert.InRange(second.KeptIds.Count, 1500 + 500, 3000 - 500);
    }

    [Fact]
    public void UnknownRowIdIsAnError()
    {
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, 100), new AutoAssistFilterOptions { Seed = 1 });
        var error = Assert.Throws<ArgumentException>(() => session.ReportLosses([new DataViewRowId(12345, 0)], [1f]));
        Assert.Contains("12345", error.Message);
    }

    [Fact]
    public void NonFiniteLossIsAnError()
    {
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, 100), new AutoAssistFilterOptions { Seed = 1 });
        var ids = EpochDriver.Run(session, null).KeptIds;
        var error = Assert.Throws<ArgumentException>(() => session.ReportLosses([ids[0]], [float.NaN]));
        Assert.Contains("non-finite", error.Message);
    }

    [Fact]
    public void KeptRowsCarryTheirOwnValuesEpochAfterEpoch()
    {
        // Epochs that keep different rows in different orders: a misplaced row or id would show.
        var ml = new MLContext(1);
        var source = SyntheticRows.Make(1000);
        var options = new AutoAssistFilterOptions { Selection = new AutoAssistOptions { BaseKeepProbability = 0.3f }, Seed = 4 };
        using var session = Open(ml, ml.Data.LoadFromEnumerable(source), options);
        var random = new Random(2);
        var idOfRow = new Dictionary<int, DataViewRowId>();
        for (int e = 0; e < 4; e++)
        {
            var epoch = EpochDriver.Run(session, f => SyntheticRows.BossLoss(f, random), batchSize: 50);
            Assert.True(session.WaitForAssistant(TimeSpan.FromSeconds(30)));
            if (e > 0)
                Assert.InRange(epoch.KeptIds.Count, 1, 999);
            Assert.Equal(epoch.KeptIds.Count, epoch.KeptIds.Distinct().Count());
            foreach (var (id, features) in epoch.KeptIds.Zip(epoch.KeptFeatures))
            {
                int row = (int)features[1];
                Assert.Equal(source[row].Features, features);
                Assert.Equal(idOfRow.GetValueOrDefault(row, id), id);
                idOfRow[row] = id;
            }
        }
    }

    [Fact]
    public void AClosedEpochGivesNoValues()
    {
        // Reading through a getter kept from a closed epoch must fail, not return another epoch's row.
        var ml = new MLContext(1);
        using var session = SelectiveTrainingSession.Open(ml, SyntheticRows.Load(ml, 300), ["Features", "Label"], 3);
        var epoch = session.OpenEpoch();
        var features = epoch.GetGetter<VBuffer<float>>(epoch.Schema["Features"]);
        var label = epoch.GetGetter<uint>(epoch.Schema["Label"]);
        var id = epoch.GetIdGetter();
        Assert.True(epoch.MoveNext());
        VBuffer<float> values = default;
        features(ref values);
        epoch.Dispose();
        using var next = session.OpenEpoch();
        Assert.True(next.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => features(ref values));
        uint key = 0;
        Assert.Throws<ObjectDisposedException>(() => label(ref key));
        DataViewRowId rowId = default;
        Assert.Throws<ObjectDisposedException>(() => id(ref rowId));
    }

    [Fact]
    public void RowIdsWithGapsStillFindTheirRows()
    {
        // Filtering keeps the source's ids, so ids no longer count 0, 1, 2, ...: the cache's
        // shortcut (id = index) must not take id 150 for the row cached at index 150.
        var ml = new MLContext(1);
        var kept = ml.Data.FilterRowsByColumn(SyntheticRows.Load(ml, 1000), "RowNumber", lowerBound: 100);
        var store = RowStore.Load(kept, ["Features"], CancellationToken.None);
        Assert.Equal(900, store.Count);
        for (int i = 0; i < store.Count; i++)
        {
            Assert.True(store.TryGetIndex(store.Ids[i], out int index));
            Assert.Equal(i, index);
        }
        Assert.False(store.TryGetIndex(new DataViewRowId(5, 0), out _));
        Assert.True(store.TryGetIndex(new DataViewRowId(150, 0), out int at));
        Assert.Equal(50, at);
    }

    [Fact]
    public void RowIdsMatchThroughShuffleRows()
    {
        var ml = new MLContext(1);
        var shuffled = ml.Data.ShuffleRows(SyntheticRows.Load(ml, 400), seed: 5);
        using var session = Open(ml, shuffled, new AutoAssistFilterOptions { Seed = 1, Selection = new InfoBatchOptions() });
        var epoch = EpochDriver.Run(session, null);
        // Report each row's own number as its loss, by id, then check the loss landed on that row.
        session.ReportLosses(epoch.KeptIds.ToArray(), epoch.KeptFeatures.Select(f => f[1]).ToArray());
        var idsOfShuffled = ReadIds(shuffled);
        foreach (var (id, features) in epoch.KeptIds.Zip(epoch.KeptFeatures))
        {
            Assert.Contains(id, idsOfShuffled.Keys);
            Assert.Equal(idsOfShuffled[id], features[1]);
        }
        // InfoBatch's next epoch prunes among rows below the mean loss (row number < ~200) only.
        var next = EpochDriver.Run(session, null);
        Assert.All(next.KeptFeatures.Zip(next.Weights).Where(p => p.Second > 1f), p => Assert.True(p.First[1] < 200));
    }

    [Fact]
    public void RowIdsMatchThroughSeveralCursors()
    {
        var ml = new MLContext(1);
        var rows = SyntheticRows.Make(300);
        var split = new SplitCursorDataView(ml.Data.LoadFromEnumerable(rows), cursors: 3);
        using var fromSplit = Open(ml, split, new AutoAssistFilterOptions { Seed = 1 });
        using var fromSingle = Open(ml, ml.Data.LoadFromEnumerable(rows), new AutoAssistFilterOptions { Seed = 1 });
        var a = EpochDriver.Run(fromSplit, null);
        var b = EpochDriver.Run(fromSingle, null);
        Assert.Equal(b.KeptIds, a.KeptIds);
        Assert.Equal(b.KeptFeatures.Select(f => f[1]), a.KeptFeatures.Select(f => f[1]));
        fromSplit.ReportLosses(a.KeptIds.ToArray(), a.KeptFeatures.Select(f => f[1]).ToArray());
    }

    [Fact]
    public void PlainDataTrainsUniformlyThroughTheSameProtocol()
    {
        var ml = new MLContext(1);
        using var session = SelectiveTrainingSession.Open(ml, SyntheticRows.Load(ml, 250), ["Features", "Label"], seed: 1);
        Assert.Equal(UniformOptions.MethodName, session.Method);
        for (int e = 0; e < 2; e++)
        {
            var epoch = EpochDriver.Run(session, f => f[0] + 2);
            Assert.Equal(250, epoch.KeptIds.Distinct().Count());
        }
    }

    [Fact]
    public void APolicyThatKeepsNoRowIsAnError()
    {
        var ml = new MLContext(1);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => new NeverHardAssistant(), Selection = new AutoAssistOptions { BaseKeepProbability = 1e-6f, StalenessDiscount = 0 }, Seed = 1 };
        using var session = Open(ml, SyntheticRows.Load(ml, 10), options);
        EpochDriver.Run(session, _ => 1f);
        var error = Assert.Throws<InvalidOperationException>(() => EpochDriver.Run(session, _ => 1f));
        Assert.Contains("kept none", error.Message);
        Assert.Contains("BaseKeepProbability", error.Message);
    }

    private static Dictionary<DataViewRowId, float> ReadIds(IDataView data)
    {
        var result = new Dictionary<DataViewRowId, float>();
        using var cursor = data.GetRowCursor(data.Schema);
        var id = cursor.GetIdGetter();
        var features = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
        DataViewRowId value = default;
        VBuffer<float> f = default;
        while (cursor.MoveNext())
        {
            id(ref value);
            features(ref f);
            result[value] = f.GetValues()[1];
        }
        return result;
    }
}
