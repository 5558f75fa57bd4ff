using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

public class SelectionPolicyTests
{
    private static LossHistory History(int count, Func<int, float> loss)
    {
        var history = new LossHistory(count);
        for (int i = 0; i < count; i++)
            history.Record(i, loss(i), epoch: 0);
        return history;
    }

    private static SelectionPolicy Policy(SelectionMethodOptions options, LossHistory history) => options.CreatePolicy(new SelectionContext(history, null, seed: 1));

    private static float[] Decide(SelectionPolicy policy, int count, int seed = 1)
    {
        var rows = Enumerable.Range(0, count).ToArray();
        var weights = new float[count];
        policy.DecideKeep(rows, weights, new Random(seed));
        return weights;
    }

    [Fact]
    public void InfoBatchPrunesHalfOfTheBelowMeanRowsAndUpWeightsTheRest()
    {
        var policy = Policy(new InfoBatchOptions { PruneRatio = 0.5f, FinalFullDataFraction = 0.125f }, History(10_000, i => i));
        policy.OnEpochStart(1, progress: 0.3);
        var weights = Decide(policy, 10_000);
        var below = weights.Take(5000).ToArray();
        Assert.All(weights.Skip(5000), w => Assert.Equal(1f, w));
        Assert.All(below, w => Assert.True(w == 0f || w == 2f));
        Assert.InRange(below.Count(w => w == 0f), 2300, 2700);

        policy.OnEpochStart(9, progress: 0.9);
        Assert.All(Decide(policy, 10_000), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void InfoBatchKeepsRowsItHasNotSeen()
    {
        var policy = Policy(new InfoBatchOptions { PruneRatio = 0.5f, FinalFullDataFraction = 0f }, new LossHistory(100));
        policy.OnEpochStart(0, double.NaN);
        Assert.All(Decide(policy, 100), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void LossSamplingIsUnbiased()
    {
        var history = History(20_000, i => 0.1f + (i % 10));
        var policy = Policy(new LossSamplingOptions { KeepFraction = 0.5f, Floor = 0.05f }, history);
        policy.OnEpochStart(1, 0.5);
        var weights = Decide(policy, 20_000);
        // E[weight] = 1 for every row, so the weighted count estimates the row count.
        Assert.InRange(weights.Sum(), 18_500, 21_500);
        Assert.InRange(weights.Count(w => w > 0), 8_000, 12_500);
        // Rows with a high loss are kept more often.
        Assert.True(weights.Where((w, i) => i % 10 == 9).Count(w => w > 0) > weights.Where((w, i) => i % 10 == 0).Count(w => w > 0) * 5);
    }

    [Fact]
    public void SelectiveBackpropBackpropagatesTheHighLossRows()
    {
        var policy = Policy(new SelectiveBackpropOptions { Beta = 2f, Floor = 0.05f, HistorySize = 1024 }, new LossHistory(1));
        Assert.True(policy.SelectsAfterForward);
        Assert.All(Decide(policy, 50), w => Assert.Equal(1f, w));
        var random = new Random(3);
        int low = 0, high = 0, total = 0;
        for (int batch = 0; batch < 200; batch++)
        {
            var losses = Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray();
            var weights = Enumerable.Repeat(1f, 64).ToArray();
            policy.SelectForBackward(losses, weights, random);
            for (int i = 0; i < 64; i++)
            {
                if (weights[i] == 0)
                    continue;
                total++;
                if (losses[i] < 0.2f) low++;
                if (losses[i] > 0.8f) high++;
            }
        }
        // E[percentile^2] = 1/3 of the rows, mostly the high-loss ones.
        Assert.InRange(total / (200.0 * 64), 0.28, 0.40);
        Assert.True(high > 5 * low, $"high {high}, low {low}");
    }

    [Fact]
    public void UniformKeepsEverything()
    {
        Assert.All(Decide(Policy(new UniformOptions(), new LossHistory(10)), 10), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void AucMatchesHandComputedValues()
    {
        Assert.Equal(1.0, AssistantQuality.ComputeAuc([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true]));
        Assert.Equal(0.0, AssistantQuality.ComputeAuc([0.9f, 0.8f, 0.2f, 0.1f], [false, false, true, true]));
        Assert.Equal(0.5, AssistantQuality.ComputeAuc([0.5f, 0.5f, 0.5f, 0.5f], [false, true, false, true]));
        Assert.Equal(0.75, AssistantQuality.ComputeAuc([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]));
        Assert.True(double.IsNaN(AssistantQuality.ComputeAuc([0.1f], [true])));
    }

    [Fact]
    public void ALossHistoryWhoseEpochsDoNotFitTheSessionIsRefused()
    {
        var history = new LossHistory(3);
        history.Record(0, 1f, epoch: 2);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            history.Save(writer);

        // Saved by a session that ran epochs 0 and 1 only: a report from epoch 2 cannot be.
        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => new LossHistory(3).Load(new BinaryReader(stream), withEpochs: true, lastEpoch: 1));
        Assert.Contains("row 0", error.Message);

        stream.Position = 0;
        var loaded = new LossHistory(3);
        loaded.Load(new BinaryReader(stream), withEpochs: true, lastEpoch: 2);
        Assert.Equal(2, loaded.EpochOf(0));
        Assert.Equal(1f, loaded[0]);
        Assert.Equal(-1, loaded.EpochOf(1));
    }
}
