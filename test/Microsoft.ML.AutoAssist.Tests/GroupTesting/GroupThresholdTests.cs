using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

/// <summary>
/// The group threshold: it moves the decision of tests of two or more rows only, travels with the
/// model, and is chosen on validation data for a sensitivity.
/// </summary>
public class GroupThresholdTests
{
    /// <summary>A graded fake network: a test's logit is its members' largest first value, less one half.</summary>
    private sealed class MaxScoreTester : IGroupTester
    {
        public int RowLength => GroupRows.Size * GroupRows.Size;

        public long IndividualMultiplyAccumulates => 1;

        public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
        {
            var first = new float[count];
            for (int i = 0; i < count; i++)
                first[i] = rows.Span[i * RowLength];
            return new Session(first, statistics);
        }

        private sealed class Session(float[] first, GroupTestingStatistics statistics) : IGroupTestSession
        {
            public float[] Test(IReadOnlyList<int[]> groups)
            {
                statistics.AddTests(groups.Count, groups.Count);
                return groups.Select(g => g.Max(row => first[row]) - 0.5f).ToArray();
            }

            public void Dispose()
            {
            }
        }
    }

    private static GroupTestingTransformer Model(MLContext ml, IGroupTester tester, int groupSize, float threshold = 0,
        GroupTestingAlgorithm algorithm = GroupTestingAlgorithm.TwoRound)
        => new(ml, tester, "Features", new GroupTestingInferenceOptions { Algorithm = algorithm, GroupSize = groupSize, GroupThreshold = threshold },
            ResNetArchitecture.ResNet8, 1);

    // Rows whose first value is the given one (0.1 for the negatives); positive when it is above one half.
    private static IDataView Rows(MLContext ml, IEnumerable<float> firstValues)
        => ml.Data.LoadFromEnumerable(firstValues.Select((v, i) =>
        {
            var features = new float[GroupRows.Size * GroupRows.Size];
            features[0] = v;
            return new GroupRows.Row { Features = features, Label = v > 0.5f, Id = i };
        }).ToList());

    [Fact]
    public void AHighThresholdClearsEveryGroupAndALowOneRetestsEveryRow()
    {
        var ml = new MLContext(1);
        int[] positives = [3, 40, 41, 98];
        var data = GroupRows.Load(ml, 100, positives);

        // The oracle's logits are +1 and -1: above 1 no group is positive, so nothing is retested.
        var strict = GroupRows.Oracle(ml, GroupTestingAlgorithm.TwoRound, 16).WithInference(new GroupTestingInferenceOptions { GroupSize = 16, GroupThreshold = 1.5f });
        var predicted = strict.Transform(data).GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();
        Assert.All(predicted, Assert.False);
        Assert.Equal(7, strict.Statistics.ForwardPasses);

        // Below -1 every group is positive: every row is retested alone, at threshold 0, so the rows are decided exactly.
        var lenient = strict.WithInference(new GroupTestingInferenceOptions { GroupSize = 16, GroupThreshold = -1.5f });
        predicted = lenient.Transform(data).GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(positives.Contains), predicted);
        Assert.Equal(7 + 100, lenient.Statistics.ForwardPasses);
    }

    [Fact]
    public void AGroupDecidedRowScoresItsLogitLessTheThreshold()
    {
        var ml = new MLContext(1);
        // One group of 4: the largest first value is 0.9, so the group's logit is 0.4.
        var data = Rows(ml, [0.1f, 0.9f, 0.1f, 0.1f]);
        var model = Model(ml, new MaxScoreTester(), groupSize: 4, threshold: 0.6f);
        var scores = model.Transform(data).GetColumn<float>(GroupTestingTransformer.ScoreColumnName).ToArray();
        Assert.All(scores, s => Assert.Equal(0.4f - 0.6f, s, 6));
    }

    [Theory]
    [InlineData(GroupTestingAlgorithm.TwoRound)]
    [InlineData(GroupTestingAlgorithm.MultiRound)]
    [InlineData(GroupTestingAlgorithm.OneRound)]
    public void GroupsOfOneIgnoreTheThreshold(GroupTestingAlgorithm algorithm)
    {
        var ml = new MLContext(1);
        var data = Rows(ml, [0.1f, 0.7f, 0.45f, 0.55f, 0.9f]);
        float[] Scores(float threshold) => Model(ml, new MaxScoreTester(), groupSize: 1, threshold, algorithm)
            .Transform(data).GetColumn<float>(GroupTestingTransformer.ScoreColumnName).ToArray();
        Assert.Equal(Scores(0), Scores(5));
    }

    [Fact]
    public void ANonFiniteThresholdIsRefused()
    {
        var ml = new MLContext(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => GroupRows.Oracle(ml, GroupTestingAlgorithm.TwoRound, 16).WithInference(new GroupTestingInferenceOptions { GroupThreshold = float.NaN }));
        Assert.Contains("GroupThreshold", error.Message);
    }

    [Fact]
    public void TheSimpleCatalogOverloadKeepsTheThreshold()
    {
        var ml = new MLContext(1);
        var model = Model(ml, new MaxScoreTester(), groupSize: 16, threshold: -0.25f);
        Assert.Equal(-0.25f, ml.BinaryClassification.GroupTesting(model, GroupTestingAlgorithm.MultiRound, groupSize: 8).GroupThreshold);
    }

    [Fact]
    public void CalibrationFlagsTheAskedShareOfOnePositiveGroups()
    {
        var ml = new MLContext(1);
        // Ten positives, 0.55 to 1.0, among 60 negatives: a one-positive group's logit is its positive's value less 0.5.
        var positives = Enumerable.Range(0, 10).Select(i => 0.55f + 0.05f * i).ToArray();
        var data = Rows(ml, positives.Concat(Enumerable.Repeat(0.1f, 60)));
        var model = Model(ml, new MaxScoreTester(), groupSize: 8);

        // 80 %: two groups may be missed, so the threshold falls just below the third smallest logit.
        float threshold = model.CalibrateGroupThreshold(data, sensitivity: 0.8);
        Assert.True(threshold < positives[2] - 0.5f);
        Assert.Equal(threshold, MathF.BitDecrement(positives[2] - 0.5f));
        Assert.Equal(8, positives.Count(p => p - 0.5f > threshold));

        // All of them: just below the smallest.
        Assert.Equal(MathF.BitDecrement(positives[0] - 0.5f), model.CalibrateGroupThreshold(data, sensitivity: 1));
    }

    [Fact]
    public void WithIndividualRetestsOnlyThePositivesTheIndividualNetworkFindsCount()
    {
        var ml = new MLContext(1);
        var positives = Enumerable.Range(0, 10).Select(i => 0.55f + 0.05f * i).ToArray();
        var data = Rows(ml, positives.Concat(Enumerable.Repeat(0.1f, 60)));
        // The oracle's individual network finds every positive (first value above one half): the same as without retests.
        var retesting = Model(ml, new MaxScoreTester(), groupSize: 8).WithIndividualRetests(GroupRows.Oracle(ml, GroupTestingAlgorithm.TwoRound, 1));
        Assert.Equal(MathF.BitDecrement(positives[0] - 0.5f), retesting.CalibrateGroupThreshold(data, sensitivity: 1));

        // An individual network that finds only the positives above 0.8 leaves 0.85 the smallest that counts.
        var strictIndividual = Model(ml, new ShiftedTester(new MaxScoreTester(), -0.3f), groupSize: 1);
        retesting = Model(ml, new MaxScoreTester(), groupSize: 8).WithIndividualRetests(strictIndividual);
        Assert.Equal(MathF.BitDecrement(0.85f - 0.5f), retesting.CalibrateGroupThreshold(data, sensitivity: 1));
    }

    /// <summary>Another tester's logits plus a constant.</summary>
    private sealed class ShiftedTester(IGroupTester inner, float shift) : IGroupTester
    {
        public int RowLength => inner.RowLength;

        public long IndividualMultiplyAccumulates => inner.IndividualMultiplyAccumulates;

        public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
            => new Session(inner.Begin(rows, count, statistics), shift);

        private sealed class Session(IGroupTestSession inner, float shift) : IGroupTestSession
        {
            public float[] Test(IReadOnlyList<int[]> groups) => inner.Test(groups).Select(l => l + shift).ToArray();

            public void Dispose() => inner.Dispose();
        }
    }

    [Fact]
    public void CalibrationRefusesWhatItCannotCalibrate()
    {
        var ml = new MLContext(1);
        var data = Rows(ml, [0.9f, 0.1f, 0.1f, 0.1f, 0.1f]);
        var model = Model(ml, new MaxScoreTester(), groupSize: 4);

        Assert.Contains("sensitivity", Assert.Throws<ArgumentOutOfRangeException>(() => model.CalibrateGroupThreshold(data, sensitivity: 0)).Message);
        Assert.Contains("GroupSize = 1", Assert.Throws<InvalidOperationException>(
            () => Model(ml, new MaxScoreTester(), groupSize: 1).CalibrateGroupThreshold(data)).Message);
        Assert.Contains("no positive row in label column 'Label'", Assert.Throws<ArgumentException>(
            () => model.CalibrateGroupThreshold(Rows(ml, [0.1f, 0.1f, 0.1f, 0.1f]))).Message);
        Assert.Contains("needs at least 3 negative rows", Assert.Throws<ArgumentException>(
            () => model.CalibrateGroupThreshold(Rows(ml, [0.9f, 0.1f, 0.1f]))).Message);
        Assert.Contains("'Missing' was not found", Assert.ThrowsAny<ArgumentException>(
            () => model.CalibrateGroupThreshold(data, labelColumnName: "Missing")).Message);
    }
}
