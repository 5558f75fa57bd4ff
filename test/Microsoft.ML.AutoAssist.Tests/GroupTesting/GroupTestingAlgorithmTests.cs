using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

/// <summary>The algorithms against an oracle network: every positive found, with the number of tests their definitions give.</summary>
public class GroupTestingAlgorithmTests
{
    /// <summary>The counts of one pass over the data (every pass, e.g. each GetColumn, screens again).</summary>
    private sealed record Counts(long Rows, long ForwardPasses, double RelativeCompute);

    private static (bool[] Predicted, int[] Ids, Counts Statistics) Screen(
        GroupTestingAlgorithm algorithm, int groupSize, int count, int[] positives, int seed = 0)
    {
        var ml = new MLContext(1);
        var model = GroupRows.Oracle(ml, algorithm, groupSize, seed);
        var scored = model.Transform(GroupRows.Load(ml, count, positives));
        var predicted = scored.GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();
        var counts = new Counts(model.Statistics.Rows, model.Statistics.ForwardPasses, model.Statistics.RelativeCompute);
        var ids = scored.GetColumn<int>("Id").ToArray();
        return (predicted, ids, counts);
    }

    private static bool[] Truth(int count, int[] positives) => Enumerable.Range(0, count).Select(positives.Contains).ToArray();

    [Fact]
    public void TwoRoundRetestsEveryMemberOfEachPositiveGroup()
    {
        // 100 rows in groups of 16: 7 groups, the last of 4. Positive groups: 0 (row 3), 2 (rows 40
        // and 41), 6 (row 98, the partial group of 4): 7 + 16 + 16 + 4 tests.
        int[] positives = [3, 40, 41, 98];
        var (predicted, ids, statistics) = Screen(GroupTestingAlgorithm.TwoRound, 16, 100, positives);
        Assert.Equal(Truth(100, positives), predicted);
        Assert.Equal(Enumerable.Range(0, 100), ids);
        Assert.Equal(100, statistics.Rows);
        Assert.Equal(7 + 16 + 16 + 4, statistics.ForwardPasses);
    }

    [Fact]
    public void TwoRoundMatchesTheFormulaOnFullGroups()
    {
        // ceil(n/M) + M * (positive groups), over two scoring batches (256 rows per batch at M = 16).
        int[] positives = [0, 17, 18, 300, 511];
        var (predicted, _, statistics) = Screen(GroupTestingAlgorithm.TwoRound, 16, 512, positives);
        Assert.Equal(Truth(512, positives), predicted);
        Assert.Equal(512 / 16 + 16 * 4, statistics.ForwardPasses);
    }

    [Fact]
    public void MultiRoundHalvesPositiveGroupsDownToSingleRows()
    {
        // An isolated positive in a group of M = 2^k costs 2k tests beyond its group's test:
        // 64 rows, M = 16, positives 5 and 37 in different groups: 4 + 2 * (2 * 4) tests.
        int[] positives = [5, 37];
        var (predicted, ids, statistics) = Screen(GroupTestingAlgorithm.MultiRound, 16, 64, positives);
        Assert.Equal(Truth(64, positives), predicted);
        Assert.Equal(Enumerable.Range(0, 64), ids);
        Assert.Equal(4 + 2 * 2 * 4, statistics.ForwardPasses);
    }

    [Fact]
    public void MultiRoundSplitsAPartialGroupUnevenly()
    {
        // 21 rows, M = 8: groups of 8, 8, 5. Row 20 is positive: 3 tests, then the 5 split into
        // 3 + 2 (2 tests), the 2 into 1 + 1 (2 tests): 7 tests.
        var (predicted, _, statistics) = Screen(GroupTestingAlgorithm.MultiRound, 8, 21, [20]);
        Assert.Equal(Truth(21, [20]), predicted);
        Assert.Equal(7, statistics.ForwardPasses);
    }

    [Fact]
    public void OneRoundTestsTwoRandomPartitionsAndFindsEveryPositive()
    {
        int[] positives = [7, 50, 99];
        var (predicted, ids, statistics) = Screen(GroupTestingAlgorithm.OneRound, 8, 100, positives, seed: 4);
        Assert.All(positives, row => Assert.True(predicted[row]));
        Assert.Equal(Enumerable.Range(0, 100), ids);
        // One round of 2 * ceil(n/M) tests, whatever the positives.
        Assert.Equal(2 * 13, statistics.ForwardPasses);
        // A negative is flagged only if both its groups hold a positive; with 3 positives, at most 3 groups per partition do.
        Assert.True(predicted.Count(p => p) <= 3 * 8, $"{predicted.Count(p => p)} rows flagged");
    }

    [Fact]
    public void OneRoundRepeatsWithTheSameSeed()
    {
        var first = Screen(GroupTestingAlgorithm.OneRound, 4, 60, [1, 2, 30], seed: 9).Predicted;
        var second = Screen(GroupTestingAlgorithm.OneRound, 4, 60, [1, 2, 30], seed: 9).Predicted;
        Assert.Equal(first, second);
    }

    [Fact]
    public void GroupsOfOneAreIndividualTests()
    {
        int[] positives = [2, 3];
        foreach (var algorithm in new[] { GroupTestingAlgorithm.TwoRound, GroupTestingAlgorithm.MultiRound })
        {
            var (predicted, _, statistics) = Screen(algorithm, 1, 10, positives);
            Assert.Equal(Truth(10, positives), predicted);
            Assert.Equal(10, statistics.ForwardPasses);
            Assert.Equal(1.0, statistics.RelativeCompute);
        }
    }

    [Fact]
    public void NoPositivesCostOneTestPerGroup()
    {
        var (predicted, _, statistics) = Screen(GroupTestingAlgorithm.TwoRound, 16, 160, []);
        Assert.DoesNotContain(true, predicted);
        Assert.Equal(10, statistics.ForwardPasses);
        Assert.Equal(1.0 / 16, statistics.RelativeCompute, 6);
    }

    [Fact]
    public void EvaluatesAndPredictsLikeABinaryClassifier()
    {
        var ml = new MLContext(1);
        var model = GroupRows.Oracle(ml, GroupTestingAlgorithm.TwoRound, 16);
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(GroupRows.Load(ml, 64, [9, 33])));
        Assert.Equal(1.0, metrics.PositiveRecall);
        Assert.Equal(1.0, metrics.Accuracy);

        var engine = ml.Model.CreatePredictionEngine<GroupRows.Row, Prediction>(model);
        var rows = GroupRows.Make(4, [1]);
        Assert.False(engine.Predict(rows[0]).PredictedLabel);
        Assert.True(engine.Predict(rows[1]).PredictedLabel);
        Assert.True(engine.Predict(rows[1]).Score > 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void RefusesAGroupSizeOutsideOneToSixteen(int groupSize)
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GroupRows.Oracle(ml, GroupTestingAlgorithm.TwoRound, groupSize));
        Assert.Contains("GroupTestingInferenceOptions.GroupSize must be between 1 and 16", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.GroupTestingResNet(groupSize: groupSize));
        Assert.Contains("GroupTestingTrainerOptions.GroupSize must be between 1 and 16", error.Message);
    }

    [Fact]
    public void RefusesAnUnknownDesignOrAlgorithm()
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.GroupTestingResNet(design: (GroupTestingDesign)7));
        Assert.Contains("GroupTestingTrainerOptions.Design is not a known design", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => GroupRows.Oracle(ml, (GroupTestingAlgorithm)5, 4));
        Assert.Contains("GroupTestingInferenceOptions.Algorithm", error.Message);
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }
    }
}
