using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

/// <summary>
/// Retests on the individual network: groups go to the group network, single rows to the network
/// trained on single rows, and the compute is counted against the latter.
/// </summary>
public class GroupTestingRetestTests
{
    /// <summary>A poor group network: every group of two or more tests positive. Counts what it is asked.</summary>
    private sealed class AlwaysPositiveTester : IGroupTester
    {
        public int Begins;
        public int SingleRowTests;

        public int RowLength => GroupRows.Size * GroupRows.Size;

        public long IndividualMultiplyAccumulates => 1;

        public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
        {
            Begins++;
            return new Session(this, statistics);
        }

        private sealed class Session(AlwaysPositiveTester tester, GroupTestingStatistics statistics) : IGroupTestSession
        {
            public float[] Test(IReadOnlyList<int[]> groups)
            {
                tester.SingleRowTests += groups.Count(g => g.Length == 1);
                statistics.AddTests(groups.Count, groups.Count);
                return groups.Select(_ => 1f).ToArray();
            }

            public void Dispose()
            {
            }
        }
    }

    /// <summary>The exact oracle, counting how many batches it was started on.</summary>
    private sealed class CountingOracle : IGroupTester
    {
        private readonly OracleTester _oracle = new();
        public int Begins;

        public int RowLength => _oracle.RowLength;

        public long IndividualMultiplyAccumulates => 2;

        public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
        {
            Begins++;
            return _oracle.Begin(rows, count, statistics);
        }
    }

    private static GroupTestingTransformer Model(MLContext ml, IGroupTester tester, GroupTestingAlgorithm algorithm, int groupSize)
        => new(ml, tester, "Features", new GroupTestingInferenceOptions { Algorithm = algorithm, GroupSize = groupSize }, ResNetArchitecture.ResNet8, 1);

    // Two-round screening in groups of 16 on groups, retesting single rows on individuals.
    private static GroupTestingTransformer Screening(MLContext ml, IGroupTester groups, IGroupTester individuals)
        => Model(ml, groups, GroupTestingAlgorithm.TwoRound, 16).WithIndividualRetests(Model(ml, individuals, GroupTestingAlgorithm.TwoRound, 1));

    [Fact]
    public void SingleRowsGoToTheIndividualNetworkAndGroupsToTheGroupNetwork()
    {
        var ml = new MLContext(1);
        var groups = new AlwaysPositiveTester();
        var individuals = new CountingOracle();
        var screening = Screening(ml, groups, individuals);
        Assert.True(screening.RetestsIndividually);

        // 100 rows in groups of 16 (the last of 4): the group network flags all 7, so every row is
        // retested, on the individual oracle, which finds exactly the positives.
        int[] positives = [3, 40, 41, 98];
        var predicted = screening.Transform(GroupRows.Load(ml, 100, positives)).GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(positives.Contains), predicted);
        Assert.Equal(0, groups.SingleRowTests);
        Assert.Equal(7 + 100, screening.Statistics.ForwardPasses);
        // Compute against testing each row on the individual network (2 per row): (7 + 100) / 200.
        Assert.Equal((7 + 100) / 200.0, screening.Statistics.RelativeCompute, precision: 12);
    }

    [Fact]
    public void TheIndividualNetworkStartsOnlyWhenARowIsRetested()
    {
        var ml = new MLContext(1);
        var groups = new CountingOracle();
        var individuals = new CountingOracle();
        var screening = Screening(ml, groups, individuals);

        // 512 rows are two scoring batches of 256; only the second holds a positive.
        var predicted = screening.Transform(GroupRows.Load(ml, 512, [300])).GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();
        Assert.Equal(Enumerable.Range(0, 512).Select(i => i == 300), predicted);
        Assert.Equal(2, groups.Begins);
        Assert.Equal(1, individuals.Begins);
    }

    [Fact]
    public void OtherInferenceSettingsKeepTheRetests()
    {
        var ml = new MLContext(1);
        var screening = Screening(ml, new AlwaysPositiveTester(), new OracleTester());
        var multiRound = ml.BinaryClassification.GroupTesting(screening, GroupTestingAlgorithm.MultiRound, groupSize: 8);
        Assert.True(multiRound.RetestsIndividually);
        var predicted = multiRound.Transform(GroupRows.Load(ml, 40, [9])).GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i == 9), predicted);
    }

    [Fact]
    public void RetestsRefuseAnotherImageSizeOrANestedRetester()
    {
        var ml = new MLContext(1);
        var groups = Model(ml, new OracleTester(), GroupTestingAlgorithm.TwoRound, 16);
        var otherSize = Model(ml, new WideTester(), GroupTestingAlgorithm.TwoRound, 1);
        var error = Assert.Throws<ArgumentException>(() => groups.WithIndividualRetests(otherSize));
        Assert.Contains("reads 512 values per row, the group network 256", error.Message);

        var retesting = groups.WithIndividualRetests(Model(ml, new OracleTester(), GroupTestingAlgorithm.TwoRound, 1));
        error = Assert.Throws<ArgumentException>(() => groups.WithIndividualRetests(retesting));
        Assert.Contains("plain network trained on single rows", error.Message);
        Assert.Throws<ArgumentNullException>(() => groups.WithIndividualRetests(null!));
    }

    private sealed class WideTester : IGroupTester
    {
        public int RowLength => 512;

        public long IndividualMultiplyAccumulates => 1;

        public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics) => throw new NotSupportedException();
    }
}
