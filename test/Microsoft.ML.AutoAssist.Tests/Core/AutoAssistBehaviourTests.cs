using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

public class AutoAssistBehaviourTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private static SelectiveTrainingSession OpenSession(MLContext ml, IDataView data, AutoAssistFilterOptions options, int seed = 7)
    {
        var view = ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data);
        Assert.IsType<AutoAssistDataView>(view);
        return SelectiveTrainingSession.Open(ml, view, ["Features", "Label"], seed);
    }

    private static AutoAssistFilterOptions Options(float baseKeep = 0.3f, int seed = 3) => new()
    {
        FeatureColumnName = "Features",
        LabelColumnName = "Label",
        Selection = new AutoAssistOptions { BaseKeepProbability = baseKeep },
        AssistantLearningRate = 0.5f,
        Seed = seed,
    };

    /// <summary>Trains the Assistant for some epochs, waiting for it after each so results do not depend on timing.</summary>
    private static void Teach(SelectiveTrainingSession session, int epochs, int seed = 5)
    {
        var random = new Random(seed);
        for (int e = 0; e < epochs; e++)
        {
            EpochDriver.Run(session, f => SyntheticRows.BossLoss(f, random));
            Assert.True(session.WaitForAssistant(Settle));
        }
    }

    [Fact]
    public void KeepsFewEasyRowsAndAlmostAllHardRows()
    {
        var ml = new MLContext(1);
        using var session = OpenSession(ml, SyntheticRows.Load(ml, 2000), Options());

        var first = EpochDriver.Run(session, null);
        Assert.Equal(2000, first.KeptIds.Count); // the first pass keeps everything
        var random = new Random(5);
        session.ReportLosses(first.KeptIds.ToArray(), first.KeptFeatures.Select(f => SyntheticRows.BossLoss(f, random)).ToArray());
        Assert.True(session.WaitForAssistant(Settle));
        Teach(session, 4);

        var epoch = EpochDriver.Run(session, null);
        int easyKept = epoch.KeptFeatures.Count(f => f[0] < 0);
        int hardKept = epoch.KeptFeatures.Count(f => f[0] > 0);
        Assert.True(easyKept < 500, $"kept {easyKept} of 1000 easy rows");
        Assert.True(hardKept > 900, $"kept {hardKept} of 1000 hard rows");

        var stats = session.Statistics.Epochs;
        Assert.Equal(6, stats.Count);
        Assert.Equal(1.0, stats[0].KeptFraction);
        Assert.True(stats[^1].KeptFraction < 0.8);
        Assert.True(stats[^2].AssistantAccuracy > 0.9, stats[^2].ToString());
        Assert.True(stats[^2].AssistantAuc > 0.9, stats[^2].ToString());
        Assert.InRange(stats[^2].Threshold, 0.05, 2.0);
    }

    [Fact]
    public void BaseProbabilityOneKeepsEveryRow()
    {
        var ml = new MLContext(1);
        using var session = OpenSession(ml, SyntheticRows.Load(ml, 600), Options(baseKeep: 1f));
        Teach(session, 3);
        var epoch = EpochDriver.Run(session, null);
        Assert.Equal(600, epoch.KeptIds.Distinct().Count());
        Assert.All(epoch.Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void SameSeedGivesSameDecisions()
    {
        List<string> Decisions()
        {
            var ml = new MLContext(1);
            using var session = OpenSession(ml, SyntheticRows.Load(ml, 800), Options(seed: 11), seed: 4);
            Teach(session, 3);
            return EpochDriver.Run(session, null).KeptIds.Select(id => id.ToString()).ToList();
        }
        var a = Decisions();
        var b = Decisions();
        Assert.True(a.Count < 800, "the Assistant should have dropped rows");
        Assert.Equal(a, b);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentOrders()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 300);
        using var s1 = OpenSession(ml, data, Options(seed: 1), seed: 1);
        using var s2 = OpenSession(ml, data, Options(seed: 2), seed: 2);
        Assert.NotEqual(EpochDriver.Run(s1, null).KeptIds, EpochDriver.Run(s2, null).KeptIds);
    }

    [Fact]
    public void ReweightingGivesKeptRowsInverseProbabilityWeights()
    {
        var ml = new MLContext(1);
        var options = Options();
        ((AutoAssistOptions)options.Selection).Reweight = true;
        using var session = OpenSession(ml, SyntheticRows.Load(ml, 1000), options);
        Teach(session, 4);
        var epoch = EpochDriver.Run(session, null);
        Assert.All(epoch.Weights, w => Assert.InRange(w, 1f, 1f / 0.3f + 1e-3f));
        // Easy rows are rarely kept, so when kept they carry a weight near 1 / base.
        Assert.True(epoch.Weights.Zip(epoch.KeptFeatures).Where(p => p.Second[0] < 0).Average(p => p.First) > 2f);
    }

    [Fact]
    public void FinalFullDataPhaseKeepsEveryRow()
    {
        var ml = new MLContext(1);
        var options = Options();
        ((AutoAssistOptions)options.Selection).FinalFullDataFraction = 0.2f;
        using var session = OpenSession(ml, SyntheticRows.Load(ml, 1000), options);
        Teach(session, 4);
        Assert.True(EpochDriver.Run(session, null, progress: 0.5).KeptIds.Count < 1000);
        Assert.Equal(1000, EpochDriver.Run(session, null, progress: 0.85).KeptIds.Count);
        // The last of five epochs starts at progress 4/5: it is in a final 20% phase.
        Assert.Equal(1000, EpochDriver.Run(session, null, progress: 4.0 / 5).KeptIds.Count);
    }

    [Fact]
    public void AdaptiveFloorRisesWhenTheAssistantIsUnsure()
    {
        var ml = new MLContext(1);
        var options = Options(baseKeep: 0.1f);
        ((AutoAssistOptions)options.Selection).AdaptiveFloor = true;
        using var session = OpenSession(ml, SyntheticRows.Load(ml, 1000), options);
        // Losses unrelated to the features: the Assistant cannot beat a coin by much.
        var random = new Random(9);
        for (int e = 0; e < 3; e++)
        {
            EpochDriver.Run(session, _ => (float)random.NextDouble());
            Assert.True(session.WaitForAssistant(Settle));
        }
        EpochDriver.Run(session, null);
        Assert.True(session.Statistics.Last!.BaseKeepProbability > 0.3, session.Statistics.Last.ToString());
    }
}
