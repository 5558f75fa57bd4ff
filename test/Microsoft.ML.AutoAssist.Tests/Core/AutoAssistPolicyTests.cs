using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>
/// AutoAssist's keep rule element by element, on the policy itself with an Assistant whose
/// predictions are fixed: with re-weighting on, a kept row's weight is 1 / P(keep), so the weights
/// show the probability each row was kept with.
/// </summary>
public class AutoAssistPolicyTests
{
    /// <summary>An Assistant that predicts a fixed p(hard) per row and learns nothing.</summary>
    private sealed class FixedAssistant(Func<int, float> probability) : IAssistant
    {
        public int ScoreCalls { get; private set; }
        public IReadOnlyList<string> InputColumnNames => ["Features"];
        public void Initialize(AssistantTrainingRows rows, int seed) { }
        public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities)
        {
            ScoreCalls++;
            for (int i = 0; i < rowIndices.Length; i++)
                probabilities[i] = probability(rowIndices[i]);
        }
        public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets) { }
        public void SaveState(BinaryWriter writer) { }
        public void LoadState(BinaryReader reader) { }
    }

    private static SelectionPolicy Policy(AutoAssistOptions options, LossHistory history, Func<int, float> probability, uint[]? classes = null)
    {
        options.Validate();
        return options.CreatePolicy(new SelectionContext(history, new FixedAssistant(probability), seed: 1, classes ?? [], classes is null ? 0 : (int)classes.Max()));
    }

    private static float[] Decide(SelectionPolicy policy, int count, int seed = 1)
    {
        var rows = Enumerable.Range(0, count).ToArray();
        var weights = new float[count];
        policy.DecideKeep(rows, weights, new Random(seed));
        return weights;
    }

    /// <summary>Sets the threshold to 5: the first feedback's mean loss (one row at 0, one at 10).</summary>
    private static void ThresholdAtFive(SelectionPolicy policy) => policy.OnFeedback([0, 1], [0f, 10f]);

    private static void AllKeptWith(IEnumerable<float> weights, double keepProbability)
    {
        var kept = weights.Where(w => w > 0).ToArray();
        Assert.NotEmpty(kept);
        Assert.All(kept, w => Assert.Equal(1 / keepProbability, w, 3));
    }

    [Fact]
    public void ARowsOwnLastLossCountsByItsAgeAndTheAssistantCoversTheRest()
    {
        // Rows 0-499: last loss 10 (above the threshold), rows 500-999: 0, both reported in epoch 0; rows 1000-1199 never reported.
        var history = new LossHistory(1200);
        for (int i = 0; i < 1000; i++)
            history.Record(i, i < 500 ? 10f : 0f, epoch: 0);
        var options = new AutoAssistOptions { BaseKeepProbability = 0.3f, FirstPassKeepsAll = false, StalenessDiscount = 0.5f };
        var policy = Policy(options, history, _ => 0.2f);
        ThresholdAtFive(policy);

        // Age 1: hardness 0.5·1 + 0.5·0.2 = 0.6 (keep 0.3 + 0.7·0.6 = 0.72) and 0.5·0 + 0.5·0.2 = 0.1 (keep 0.37).
        policy.OnEpochStart(1, double.NaN);
        var weights = Decide(policy, 1200);
        AllKeptWith(weights.Take(500), 0.72);
        AllKeptWith(weights.Skip(500).Take(500), 0.37);
        AllKeptWith(weights.Skip(1000), 0.3 + 0.7 * 0.2); // the Assistant alone

        // Age 3: the loss weighs 0.125: hardness 0.125 + 0.875·0.2 = 0.3, keep 0.51.
        policy.OnEpochStart(3, double.NaN);
        AllKeptWith(Decide(policy, 1200).Take(500), 0.51);

        // The loss counts as a share of the threshold: a fresh loss of 2.5 (half the threshold) at discount 1 gives hardness 0.5, keep 0.65.
        var graded = new LossHistory(10);
        for (int i = 0; i < 10; i++)
            graded.Record(i, 2.5f, epoch: 0);
        var lossOnly = Policy(new AutoAssistOptions { BaseKeepProbability = 0.3f, FirstPassKeepsAll = false, StalenessDiscount = 1f }, graded, _ => 0f);
        ThresholdAtFive(lossOnly);
        lossOnly.OnEpochStart(1, double.NaN);
        AllKeptWith(Decide(lossOnly, 10, seed: 3), 0.65);

        // Discount 0 is the paper's rule: the Assistant alone.
        var paper = Policy(new AutoAssistOptions { BaseKeepProbability = 0.3f, FirstPassKeepsAll = false, StalenessDiscount = 0 }, history, _ => 0.2f);
        ThresholdAtFive(paper);
        paper.OnEpochStart(1, double.NaN);
        AllKeptWith(Decide(paper, 1200), 0.44);
    }

    [Fact]
    public void EasyOnlyKeepsEveryRowPredictedHardAndAShareBaseOfTheEasyOnes()
    {
        var options = new AutoAssistOptions { KeepRule = AutoAssistKeepRule.EasyOnly, BaseKeepProbability = 0.4f, FirstPassKeepsAll = false };
        var policy = Policy(options, new LossHistory(10_000), row => row % 2 == 0 ? 0.9f : 0.1f);
        policy.OnEpochStart(1, double.NaN);
        var weights = Decide(policy, 10_000);
        Assert.All(weights.Where((_, i) => i % 2 == 0), w => Assert.Equal(1f, w));
        var easy = weights.Where((_, i) => i % 2 == 1).ToArray();
        Assert.InRange(easy.Count(w => w > 0), 1850, 2150);
        AllKeptWith(easy, 0.4);
    }

    [Fact]
    public void NoClassFallsBelowItsMinimumShare()
    {
        // Class 1 (rows 0-999) is all easy, class 2 (rows 1000-1999) all hard. The paper's rule at base 0.1
        // would keep a tenth of class 1; the minimum keeps half of it, in expectation, and leaves class 2 alone.
        var classes = Enumerable.Range(0, 2000).Select(i => i < 1000 ? 1u : 2u).ToArray();
        var options = new AutoAssistOptions { BaseKeepProbability = 0.1f, FirstPassKeepsAll = false, MinClassKeepShare = 0.5f };
        var policy = Policy(options, new LossHistory(2000), row => row < 1000 ? 0f : 1f, classes);
        policy.OnEpochStart(1, double.NaN);
        for (int seed = 1; seed <= 5; seed++)
        {
            var weights = Decide(policy, 2000, seed);
            Assert.InRange(weights.Take(1000).Count(w => w > 0), 440, 560);
            AllKeptWith(weights.Take(1000), 0.5);
            Assert.All(weights.Skip(1000), w => Assert.Equal(1f, w));
        }

        // A minimum of 1 keeps every row.
        var all = Policy(new AutoAssistOptions { BaseKeepProbability = 0.1f, FirstPassKeepsAll = false, MinClassKeepShare = 1f }, new LossHistory(2000), _ => 0f, classes);
        all.OnEpochStart(1, double.NaN);
        Assert.All(Decide(all, 2000), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void TheEvidenceGateKeepsEveryRowUntilTheAssistantsAucClearsTheBar()
    {
        var rows = Enumerable.Range(0, 1000).ToArray();
        var losses = rows.Select(i => i % 2 == 0 ? 10f : 0f).ToArray();
        var options = new AutoAssistOptions { BaseKeepProbability = 0.2f, FirstPassKeepsAll = false, MinAssistantAuc = 0.8f };

        // No feedback yet: no evidence, every row kept even without a full first pass.
        var informative = Policy(options, new LossHistory(1000), row => row % 2 == 0 ? 0.9f : 0.1f);
        informative.OnEpochStart(0, double.NaN);
        Assert.All(Decide(informative, 1000), w => Assert.Equal(1f, w));
        // An Assistant that tells hard from easy (AUC 1) opens the gate.
        informative.OnFeedback(rows, losses);
        informative.OnEpochStart(1, double.NaN);
        Assert.Contains(0f, Decide(informative, 1000));

        // One that cannot (the same score for every row: AUC 0.5) never does.
        var useless = Policy(options, new LossHistory(1000), _ => 0.5f);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            useless.OnEpochStart(epoch, double.NaN);
            Assert.All(Decide(useless, 1000), w => Assert.Equal(1f, w));
            useless.OnFeedback(rows, losses);
        }
        var statistics = new EpochStatistics();
        useless.Describe(statistics);
        Assert.Equal(0.5, statistics.AssistantAuc, 6);
    }

    [Fact]
    public void ShrinkingRampsUpOverTheGivenEpochs()
    {
        // The rule drops 0.6 of every row (base 0.4, p = 0); a ramp of 2 drops a third, two thirds, then all of that.
        var options = new AutoAssistOptions { BaseKeepProbability = 0.4f, ShrinkRampEpochs = 2 };
        var policy = Policy(options, new LossHistory(1000), _ => 0f);
        double[] expectedKeep = [1, 0.8, 0.6, 0.4, 0.4];
        for (int epoch = 0; epoch < expectedKeep.Length; epoch++)
        {
            policy.OnEpochStart(epoch, double.NaN);
            var weights = Decide(policy, 1000, seed: epoch);
            if (epoch == 0)
                Assert.All(weights, w => Assert.Equal(1f, w)); // the full first pass is not a ramp step
            else
                AllKeptWith(weights, expectedKeep[epoch]);
        }
    }

    [Fact]
    public void BatchWeightsAreNormalisedToAverageOne()
    {
        float[] weights = [4f, 0f, 2f, 2f];
        SelectiveTrainingSession.NormalizeBatchWeights(weights);
        Assert.Equal(new[] { 2f, 0f, 1f, 1f }, weights);
        float[] none = [0f, 0f];
        SelectiveTrainingSession.NormalizeBatchWeights(none);
        Assert.Equal(new[] { 0f, 0f }, none);

        Assert.True(Policy(new AutoAssistOptions { NormalizeWeightsPerBatch = true }, new LossHistory(10), _ => 0f).NormalizesWeightsPerBatch);
        Assert.False(Policy(new AutoAssistOptions(), new LossHistory(10), _ => 0f).NormalizesWeightsPerBatch);
        Assert.False(new InfoBatchOptions().CreatePolicy(new SelectionContext(new LossHistory(10), null, 1)).NormalizesWeightsPerBatch);
    }

    private static AutoAssistOptions EveryElement() => new()
    {
        KeepRule = AutoAssistKeepRule.EasyOnly,
        BaseKeepProbability = 0.3f,
        StalenessDiscount = 0.5f,
        MinClassKeepShare = 0.4f,
        MinAssistantAuc = 0.6f,
        ShrinkRampEpochs = 1,
        NormalizeWeightsPerBatch = true,
        FinalFullDataFraction = 0.2f,
    };

    [Fact]
    public void TheSameSeedGivesTheSameDecisions()
    {
        var classes = Enumerable.Range(0, 3000).Select(i => (uint)(i % 3 + 1)).ToArray();
        float[] Run(int seed)
        {
            var history = new LossHistory(3000);
            for (int i = 0; i < 2000; i++)
                history.Record(i, i % 7, epoch: i % 2);
            var policy = Policy(EveryElement(), history, row => (row * 37 % 100) / 100f, classes);
            policy.OnFeedback(Enumerable.Range(0, 3000).ToArray(), Enumerable.Range(0, 3000).Select(i => (float)(i * 37 % 100)).ToArray());
            policy.OnEpochStart(2, 0.5);
            return Decide(policy, 3000, seed);
        }
        var first = Run(seed: 4);
        Assert.Equal(first, Run(seed: 4));
        Assert.Contains(0f, first);
        Assert.NotEqual(first, Run(seed: 5));
    }

    [Fact]
    public void ACustomAssistantPlugsInWithEveryElementOn()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 2000);
        var assistant = new FixedAssistant(row => row % 2 == 1 ? 0.95f : 0.05f);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => assistant, Selection = EveryElement(), Seed = 2 };
        using var session = SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data), ["Features"], seed: 1);
        Assert.True(session.NormalizesWeightsPerBatch);
        var kept = new List<int>();
        for (int e = 0; e < 4; e++)
            kept.Add(EpochDriver.Run(session, features => features[0] > 0 ? 2f : 0.01f, progress: e / 10.0).KeptIds.Count);
        // The first pass keeps all; then the Assistant (AUC 1 on this Boss) drops easy rows, half as many in the ramp's first epoch.
        Assert.Equal(2000, kept[0]);
        Assert.True(assistant.ScoreCalls > 0);
        Assert.InRange(kept[1], 1500, 1850);
        Assert.InRange(kept[2], 1220, 1380);
        var statistics = session.Statistics.Epochs;
        Assert.True(statistics[^1].AssistantAuc > 0.99, statistics[^1].ToString());
        // Each class is half hard, so the class prior knows little (only that hard rows grow commoner as easy ones are dropped).
        Assert.InRange(statistics[^1].ClassPriorAuc, 0.4, 0.75);
    }

    [Theory]
    [InlineData(nameof(AutoAssistOptions.StalenessDiscount), "must be in [0, 1]")]
    [InlineData(nameof(AutoAssistOptions.MinClassKeepShare), "must be in [0, 1]")]
    [InlineData(nameof(AutoAssistOptions.MinAssistantAuc), "must be in [0, 1)")]
    [InlineData(nameof(AutoAssistOptions.ShrinkRampEpochs), "must be at least 0")]
    [InlineData(nameof(AutoAssistOptions.KeepRule), "must be Proportional or EasyOnly")]
    public void BadSettingsAreRefusedByName(string setting, string rule)
    {
        var options = new AutoAssistOptions();
        switch (setting)
        {
            case nameof(AutoAssistOptions.StalenessDiscount): options.StalenessDiscount = 1.5f; break;
            case nameof(AutoAssistOptions.MinClassKeepShare): options.MinClassKeepShare = -0.1f; break;
            case nameof(AutoAssistOptions.MinAssistantAuc): options.MinAssistantAuc = 1f; break;
            case nameof(AutoAssistOptions.ShrinkRampEpochs): options.ShrinkRampEpochs = -1; break;
            case nameof(AutoAssistOptions.KeepRule): options.KeepRule = (AutoAssistKeepRule)7; break;
        }
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains($"AutoAssistOptions.{setting}", error.Message);
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void EverySettingSurvivesSaveAndLoad()
    {
        var saved = EveryElement();
        saved.StalenessDiscount = 0.25f;   // not the default, so a setting lost on the way shows
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            saved.SaveOptions(writer);
        stream.Position = 0;
        var loaded = new AutoAssistOptions();
        loaded.LoadOptions(new BinaryReader(stream), saved.OptionsVersion);
        Assert.Equal(stream.Length, stream.Position);
        foreach (var field in typeof(AutoAssistOptions).GetFields())
        {
            if (!field.IsLiteral)
                Assert.Equal(field.GetValue(saved), field.GetValue(loaded));
        }
    }
}
