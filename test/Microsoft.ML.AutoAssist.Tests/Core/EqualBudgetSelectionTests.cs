using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>
/// What an equal-budget comparison needs of the selection methods: the random-subset control arm,
/// phases "at the end of training" placed in steps, the peers at their authors' defaults, and
/// per-class counts in the epoch statistics.
/// </summary>
public class EqualBudgetSelectionTests
{
    private static SelectiveTrainingSession Open(MLContext ml, IDataView data, SelectionMethodOptions selection, int seed = 1)
        => SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = selection, Seed = seed }).Fit(data).Transform(data),
            ["Features"], seed: 1);

    private static HashSet<ulong> KeptRows(SelectiveTrainingSession session)
    {
        using var epoch = session.OpenEpoch();
        return EpochDriver.ReadIds(epoch).Select(id => id.Low).ToHashSet();
    }

    [Fact]
    public void RandomSubsetKeepsTheSameShareOfRowsEveryPassWithWeightOne()
    {
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, 1000), new RandomSubsetOptions { KeepFraction = 0.3f });
        var first = EpochDriver.Run(session, loss: _ => 1f);
        Assert.Equal(300, first.KeptIds.Count);
        Assert.All(first.Weights, w => Assert.Equal(1f, w));
        var subset = first.KeptIds.Select(id => id.Low).ToHashSet();
        for (int pass = 1; pass < 4; pass++)
        {
            var again = EpochDriver.Run(session, loss: _ => 1f);
            Assert.Equal(subset, again.KeptIds.Select(id => id.Low).ToHashSet());
            // The same rows, in a fresh order each pass.
            Assert.NotEqual(first.KeptIds, again.KeptIds);
        }
        Assert.Equal(0.3, session.Statistics.Last!.KeptFraction);
    }

    [Fact]
    public void RandomSubsetDrawsItsSubsetFromTheSeed()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 500);
        using var a = Open(ml, data, new RandomSubsetOptions(), seed: 7);
        using var b = Open(ml, data, new RandomSubsetOptions(), seed: 7);
        using var c = Open(ml, data, new RandomSubsetOptions(), seed: 8);
        var subset = KeptRows(a);
        Assert.Equal(250, subset.Count);
        Assert.Equal(subset, KeptRows(b));
        Assert.NotEqual(subset, KeptRows(c));
    }

    [Fact]
    public void RandomSubsetOptionsRoundTripAndAreChecked()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            SelectionMethods.Save(writer, new RandomSubsetOptions { KeepFraction = 0.7f });
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var loaded = Assert.IsType<RandomSubsetOptions>(SelectionMethods.Load(reader));
        Assert.Equal(0.7f, loaded.KeepFraction);
        Assert.IsType<RandomSubsetOptions>(SelectionMethods.Create("randomsubset"));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSubsetOptions { KeepFraction = 0f }.Validate());
        Assert.Contains("RandomSubsetOptions.KeepFraction", error.Message);
        new RandomSubsetOptions { KeepFraction = 1f }.Validate();
    }

    [Fact]
    public void RandomSubsetKeepsItsSubsetAfterSaveStateAndLoadState()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 400);
        using var first = Open(ml, data, new RandomSubsetOptions { KeepFraction = 0.4f });
        var subset = KeptRows(first);
        using var state = new MemoryStream();
        first.SaveState(state);
        using var resumed = Open(ml, data, new RandomSubsetOptions { KeepFraction = 0.4f });
        state.Position = 0;
        resumed.LoadState(state);
        Assert.Equal(1, resumed.NextEpoch);
        Assert.Equal(subset, KeptRows(resumed));
    }

    /// <summary>
    /// Plays a trainer that reports its progress after every step, as the Boss's loop does, and
    /// returns for every step whether its batch held an up-weighted (pruned-around) row, and the
    /// share of the passes done when each step ran.
    /// </summary>
    private static List<(bool Pruning, double PassesDone)> TrainInfoBatch(int passes, bool stepBudget)
    {
        const int rows = 400, batchSize = 20;
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, rows), new InfoBatchOptions());
        long maxSteps = passes * rows / batchSize;
        var steps = new List<(bool, double)>();
        var random = new Random(2);
        for (int pass = 0; pass < (stepBudget ? int.MaxValue : passes) && steps.Count < maxSteps; pass++)
        {
            double Progress(SelectionEpoch e) => stepBudget ? (double)steps.Count / maxSteps : (pass + e.FractionConsidered) / passes;
            using var epoch = session.OpenEpoch(stepBudget ? (double)steps.Count / maxSteps : (double)pass / passes);
            var id = epoch.GetIdGetter();
            var ids = new List<DataViewRowId>();
            var weights = new List<float>();
            DataViewRowId value = default;
            while (steps.Count < maxSteps && epoch.MoveNext())
            {
                id(ref value);
                ids.Add(value);
                weights.Add(epoch.Weight);
                if (ids.Count < batchSize)
                    continue;
                session.ReportLosses(ids.ToArray(), ids.Select(_ => (float)random.NextDouble()).ToArray());
                steps.Add((weights.Any(w => w != 1f), pass + epoch.FractionConsidered));
                session.ReportProgress(Progress(epoch));
                ids.Clear();
                weights.Clear();
            }
        }
        return steps;
    }

    [Theory]
    [InlineData(5)]
    [InlineData(50)]
    public void InfoBatchsFullDataPhaseCoversTheLastEighthOfAStepBudget(int passes)
    {
        var steps = TrainInfoBatch(passes, stepBudget: true);
        int total = passes * 20;
        Assert.Equal(total, steps.Count);
        int fullDataSteps = steps.Count - 1 - steps.FindLastIndex(s => s.Pruning);
        // The phase starts after step 0.875 · N: the last eighth of the steps, mid-epoch at 5 passes.
        Assert.Equal(total - (int)Math.Ceiling(0.875 * total), fullDataSteps);
        Assert.True(steps.Take(steps.Count - fullDataSteps - 10).Count(s => s.Pruning) > (steps.Count - fullDataSteps) / 2, "pruning before the phase");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(50)]
    public void InfoBatchsFullDataPhaseCoversTheLastEighthOfTheEpochs(int passes)
    {
        var steps = TrainInfoBatch(passes, stepBudget: false);
        // Under an epoch budget the schedule runs over passes, and the phase covers the last eighth of them.
        // The last pruned batch is the one that crosses 87.5% of the passes (about 1/15 of a pass, so
        // 1.3% of training at 5 passes); from the next step on every row is kept with weight 1.
        var lastPruning = steps.FindLastIndex(s => s.Pruning);
        Assert.True(steps[lastPruning - 1].PassesDone / passes < 0.875);
        Assert.InRange(steps[lastPruning].PassesDone / passes, 0.875, 0.875 + 0.07 / passes);
        Assert.All(steps.Skip(lastPruning + 1), s => Assert.False(s.Pruning));
    }

    public static TheoryData<SelectionMethodOptions> FinalFullDataMethods => new(
        new InfoBatchOptions { FinalFullDataFraction = 0.5f },
        new AutoAssistOptions { FinalFullDataFraction = 0.5f, BaseKeepProbability = 0.1f });

    [Theory]
    [MemberData(nameof(FinalFullDataMethods))]
    public void AFinalFullDataPhaseStartsMidEpochAtItsProgress(SelectionMethodOptions selection)
    {
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, 1000), selection);
        var random = new Random(1);
        EpochDriver.Run(session, features => SyntheticRows.BossLoss(features, random), progress: 0);
        session.WaitForAssistant(Timeout.InfiniteTimeSpan);

        var epoch = session.OpenEpoch(progress: 0.25);
        var before = new List<float>();
        while (epoch.FractionConsidered < 0.5 && epoch.MoveNext())
            before.Add(epoch.Weight);
        int keptBefore = epoch.KeptCount;
        session.ReportProgress(0.49); // not yet
        Assert.Equal(keptBefore, epoch.KeptCount);
        int reached = (int)Math.Round(epoch.FractionConsidered * 1000);
        session.ReportProgress(0.5);
        Assert.Equal(before.Count + (1000 - reached), epoch.KeptCount);
        var after = new List<float>();
        while (epoch.MoveNext())
            after.Add(epoch.Weight);
        // Pruned before the phase; every remaining row kept with weight 1 from the step it began.
        Assert.True(before.Count < 450, $"{before.Count} rows kept in the first half");
        Assert.Contains(before, w => w != 1f);
        Assert.Equal(1000 - reached, after.Count);
        Assert.All(after, w => Assert.Equal(1f, w));
        epoch.Dispose();
        Assert.Equal(before.Count + after.Count, session.Statistics.Last!.RowsKept);
    }

    [Fact]
    public void PeersRunAtTheirAuthorsDefaults()
    {
        var infoBatch = new InfoBatchOptions();
        Assert.Equal(0.5f, infoBatch.PruneRatio);
        Assert.Equal(0.125f, infoBatch.FinalFullDataFraction); // δ = 0.875
        var selectiveBackprop = new SelectiveBackpropOptions();
        Assert.Equal(3f, selectiveBackprop.Beta);
        Assert.Equal(1024, selectiveBackprop.HistorySize);
        Assert.Equal(0f, selectiveBackprop.Floor);
        Assert.Equal(1, selectiveBackprop.PrimeEpochs);
        selectiveBackprop.Validate();
    }

    [Fact]
    public void SelectiveBackpropBackpropagatesEveryRowOfItsPrimingPass()
    {
        var ml = new MLContext(1);
        using var session = Open(ml, SyntheticRows.Load(ml, 400), new SelectiveBackpropOptions());
        var random = new Random(3);
        long Dropped()
        {
            long dropped = 0;
            using var epoch = session.OpenEpoch();
            foreach (var batch in EpochDriver.ReadIds(epoch).Chunk(40))
            {
                var losses = batch.Select(_ => (float)random.NextDouble()).ToArray();
                var weights = Enumerable.Repeat(1f, batch.Length).ToArray();
                session.ReportLosses(batch, losses);
                session.SelectForBackward(batch, losses, weights);
                dropped += weights.Count(w => w == 0);
            }
            return dropped;
        }

        Assert.Equal(0, Dropped());
        Assert.Equal(400, session.Statistics.Last!.RowsBackpropagated);
        Assert.Equal(new long[] { 200, 200 }, session.Statistics.Last!.BackpropagatedByClass);
        Assert.True(Dropped() > 200); // then about three rows in four are dropped (E[percentile³] = 1/4 kept)
        var selecting = session.Statistics.Last!;
        Assert.Equal(selecting.RowsBackpropagated, selecting.BackpropagatedByClass!.Sum());
        Assert.Equal(new long[] { 200, 200 }, selecting.KeptByClass);
    }

    [Fact]
    public void SelectiveBackpropOptionsOfTheFirstLayoutLoadWithoutPriming()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(SelectiveBackpropOptions.MethodName);
            writer.Write(1);
            writer.Write(12);
            writer.Write(2f);
            writer.Write(0.05f);
            writer.Write(256);
        }
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var loaded = Assert.IsType<SelectiveBackpropOptions>(SelectionMethods.Load(reader));
        Assert.Equal((2f, 0.05f, 256, 0), (loaded.Beta, loaded.Floor, loaded.HistorySize, loaded.PrimeEpochs));
    }

    [Fact]
    public void EpochStatisticsCountRowsPerClassAndShowASkewedSelection()
    {
        var ml = new MLContext(1);
        // SyntheticRows: class 1 (key 1) = rows 0, 1 mod 4, class 2 = rows 2, 3 mod 4; every other row is "hard".
        using var session = Open(ml, SyntheticRows.Load(ml, 800), new InfoBatchOptions { FinalFullDataFraction = 0 });
        // Class 1 gets low losses, class 2 high ones: InfoBatch prunes only below-mean rows, so class 1 only.
        EpochDriver.Run(session, features => (int)features[1] % 4 < 2 ? 0.1f : 5f);
        var all = session.Statistics.Last!;
        Assert.Equal(new long[] { 400, 400 }, all.ConsideredByClass);
        Assert.Equal(new long[] { 400, 400 }, all.KeptByClass);

        EpochDriver.Run(session, loss: null, progress: 0.5);
        var skewed = session.Statistics.Last!;
        Assert.Equal(new long[] { 400, 400 }, skewed.ConsideredByClass);
        Assert.Equal(400, skewed.KeptByClass![1]);
        Assert.InRange(skewed.KeptByClass[0], 150, 250);
        Assert.Equal(skewed.RowsKept, skewed.KeptByClass.Sum());
        // InfoBatch backpropagates what it keeps.
        Assert.Equal(skewed.KeptByClass, skewed.BackpropagatedByClass);
    }

    [Fact]
    public void WithoutAKeyLabelThereAreNoPerClassCounts()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 100);
        var options = new AutoAssistFilterOptions { Selection = new UniformOptions(), LabelColumnName = null };
        using var session = SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data), ["Features"], seed: 1);
        EpochDriver.Run(session, loss: null);
        Assert.Null(session.Statistics.Last!.KeptByClass);
        Assert.Null(session.Statistics.Last!.ConsideredByClass);
    }
}
