namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The three group-testing algorithms over one batch of rows: each returns one logit per row (the
/// row is predicted positive when it is above zero). Groups are consecutive rows, the last one
/// partial; a group of one is an individual test and is never retested.
/// </summary>
internal static class GroupTestingAlgorithms
{
    /// <summary>
    /// Runs <paramref name="algorithm"/> on a batch of <paramref name="count"/> rows. A test of two or
    /// more rows counts as positive when its logit is above <paramref name="groupThreshold"/>: its
    /// logit is shifted by the threshold, so that every decision below compares with zero and a row
    /// decided by such a test gets the shifted logit as its score.
    /// </summary>
    public static float[] Run(GroupTestingAlgorithm algorithm, IGroupTestSession session, int count, int groupSize, int seed, float groupThreshold = 0)
    {
        Func<IReadOnlyList<int[]>, float[]> test = groupThreshold == 0 ? session.Test : groups =>
        {
            var logits = session.Test(groups);
            for (int g = 0; g < logits.Length; g++)
            {
                if (groups[g].Length > 1)
                    logits[g] -= groupThreshold;
            }
            return logits;
        };
        return algorithm switch
        {
            GroupTestingAlgorithm.TwoRound => TwoRound(test, count, groupSize),
            GroupTestingAlgorithm.MultiRound => MultiRound(test, count, groupSize),
            GroupTestingAlgorithm.OneRound => OneRound(test, count, groupSize, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown group-testing algorithm."),
        };
    }

    /// <summary>Consecutive groups of <paramref name="groupSize"/> over <paramref name="count"/> rows, the last one partial.</summary>
    public static List<int[]> ConsecutiveGroups(int count, int groupSize)
    {
        var groups = new List<int[]>((count + groupSize - 1) / groupSize);
        for (int start = 0; start < count; start += groupSize)
            groups.Add(Enumerable.Range(start, Math.Min(groupSize, count - start)).ToArray());
        return groups;
    }

    // Round 1 tests ceil(n/M) groups; round 2 tests each member of a positive group of two or more.
    private static float[] TwoRound(Func<IReadOnlyList<int[]>, float[]> test, int count, int groupSize)
    {
        var scores = new float[count];
        var groups = ConsecutiveGroups(count, groupSize);
        var groupScores = test(groups);
        var retest = new List<int[]>();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int row in groups[g])
                scores[row] = groupScores[g];
            if (groupScores[g] > 0 && groups[g].Length > 1)
                retest.AddRange(groups[g].Select(row => new[] { row }));
        }
        if (retest.Count > 0)
        {
            var single = test(retest);
            for (int i = 0; i < retest.Count; i++)
                scores[retest[i][0]] = single[i];
        }
        return scores;
    }

    // Each round tests the halves (first half ceil(m/2)) of every group found positive in the
    // round before, until groups are single rows: an isolated positive in a group of M = 2^k costs
    // 2k tests beyond its group's.
    private static float[] MultiRound(Func<IReadOnlyList<int[]>, float[]> test, int count, int groupSize)
    {
        var scores = new float[count];
        var groups = ConsecutiveGroups(count, groupSize);
        while (groups.Count > 0)
        {
            var groupScores = test(groups);
            var next = new List<int[]>();
            for (int g = 0; g < groups.Count; g++)
            {
                var members = groups[g];
                foreach (int row in members)
                    scores[row] = groupScores[g];
                if (groupScores[g] > 0 && members.Length > 1)
                {
                    int half = (members.Length + 1) / 2;
                    next.Add(members[..half]);
                    next.Add(members[half..]);
                }
            }
            groups = next;
        }
        return scores;
    }

    // Two random partitions into groups of M (2 ceil(n/M) tests, one round); a row's logit is the
    // smaller of its two groups', so it is positive only if both are.
    private static float[] OneRound(Func<IReadOnlyList<int[]>, float[]> test, int count, int groupSize, int seed)
    {
        var random = new Random(seed);
        var first = Partition(random, count, groupSize);
        var second = Partition(random, count, groupSize);
        var groups = first.Concat(second).ToList();
        var groupScores = test(groups);
        var scores = new float[count];
        Array.Fill(scores, float.PositiveInfinity);
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int row in groups[g])
                scores[row] = Math.Min(scores[row], groupScores[g]);
        }
        return scores;
    }

    private static List<int[]> Partition(Random random, int count, int groupSize)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return ConsecutiveGroups(count, groupSize).Select(group => group.Select(i => order[i]).ToArray()).ToList();
    }
}
