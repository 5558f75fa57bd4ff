namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A group network whose tests of single rows run on a network trained on single rows. A network
/// trained on groups of M has never seen a group of one, so its answer on one row is poor; the
/// authors of neural group testing retest the members of positive groups with the individual
/// classifier. Groups of two or more go to <see cref="Groups"/>, single rows to <see cref="Individuals"/>,
/// and the compute saved is counted against the individual network.
/// </summary>
internal sealed class RetestingGroupTester : IGroupTester
{
    public RetestingGroupTester(IGroupTester groups, IGroupTester individuals)
    {
        if (groups.RowLength != individuals.RowLength)
            throw new ArgumentException(
                $"Group testing: the individual network reads {individuals.RowLength} values per row, the group network {groups.RowLength}; both must read the same images.",
                nameof(individuals));
        Groups = groups;
        Individuals = individuals;
    }

    /// <summary>Tests groups of two or more rows.</summary>
    public IGroupTester Groups { get; }

    /// <summary>Tests single rows.</summary>
    public IGroupTester Individuals { get; }

    public int RowLength => Groups.RowLength;

    /// <summary>Individual testing is the individual network on every row.</summary>
    public long IndividualMultiplyAccumulates => Individuals.IndividualMultiplyAccumulates;

    public IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics)
    {
        // The individual network starts on the batch only when a row is retested: most batches at a
        // low prevalence need no retest, and starting it may cost early layers for every row. The
        // rows stay valid for the session's life (the scoring batch owns them), so nothing is copied.
        return new Session(this, Groups.Begin(rows, count, statistics), rows, count, statistics);
    }

    private sealed class Session(RetestingGroupTester tester, IGroupTestSession groups, ReadOnlyMemory<float> rows, int count,
        GroupTestingStatistics statistics) : IGroupTestSession
    {
        private IGroupTestSession? _individuals;

        public float[] Test(IReadOnlyList<int[]> tests)
        {
            var scores = new float[tests.Count];
            var multiple = new List<int>();
            var single = new List<int>();
            for (int i = 0; i < tests.Count; i++)
                (tests[i].Length > 1 ? multiple : single).Add(i);
            if (multiple.Count > 0)
                Scatter(groups.Test(multiple.Select(i => tests[i]).ToList()), multiple, scores);
            if (single.Count > 0)
            {
                _individuals ??= tester.Individuals.Begin(rows, count, statistics);
                Scatter(_individuals.Test(single.Select(i => tests[i]).ToList()), single, scores);
            }
            return scores;
        }

        private static void Scatter(float[] answers, List<int> positions, float[] scores)
        {
            for (int i = 0; i < positions.Count; i++)
                scores[positions[i]] = answers[i];
        }

        public void Dispose()
        {
            _individuals?.Dispose();
            groups.Dispose();
        }
    }
}
