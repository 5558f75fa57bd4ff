namespace Microsoft.ML.AutoAssist;

/// <summary>Choosing the group threshold on validation data.</summary>
public sealed partial class GroupTestingTransformer
{
    /// <summary>
    /// The group threshold (<see cref="GroupTestingInferenceOptions.GroupThreshold"/>) at which the group
    /// network finds at least <paramref name="sensitivity"/> of the groups that hold one positive, the
    /// hardest positive group to find. Each positive row of <paramref name="validation"/> is tested once,
    /// in a group of <see cref="GroupSize"/> with negatives drawn at random from the same data. When the
    /// model retests individually (<see cref="WithIndividualRetests"/>), only the positives its
    /// individual network finds on their own count: no group threshold gives back a positive that the
    /// retest misses. Pass the result to <see cref="WithInference"/>; a higher sensitivity flags more
    /// negative groups, and each flagged group costs a retest of its rows.
    /// </summary>
    /// <param name="validation">Rows the networks were not trained on, with the model's image column and a Boolean label.</param>
    /// <param name="sensitivity">The share of one-positive groups to flag, above 0 and at most 1.</param>
    /// <param name="labelColumnName">The Boolean label column (true = positive).</param>
    /// <param name="seed">Seeds the choice of each group's negatives.</param>
    /// <exception cref="InvalidOperationException">The model tests single rows (GroupSize 1), so a group threshold does not apply.</exception>
    /// <exception cref="ArgumentException">The data has no positive to calibrate on, or fewer than GroupSize − 1 negatives.</exception>
    public float CalibrateGroupThreshold(IDataView validation, double sensitivity = 0.99, string labelColumnName = "Label", int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (!(sensitivity is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "Group testing: the sensitivity to calibrate for must be above 0 and at most 1.");
        if (GroupSize == 1)
            throw new InvalidOperationException("Group testing: the model tests single rows (GroupSize = 1); a group threshold applies to groups of two or more.");
        var (pixels, labels) = GroupTestingRows.Read(validation, FeatureColumnName, labelColumnName, Tester.RowLength);
        var negatives = Enumerable.Range(0, labels.Length).Where(i => !labels[i]).ToArray();
        var positives = Enumerable.Range(0, labels.Length).Where(i => labels[i]).ToArray();
        if (Tester is RetestingGroupTester retesting)
            positives = FoundAlone(retesting.Individuals, pixels, positives);
        if (positives.Length == 0)
            throw new ArgumentException(
                $"Group testing: the validation data has no positive row in label column '{labelColumnName}'{(RetestsIndividually ? " that the individual network finds" : "")} to calibrate on.",
                nameof(validation));
        if (negatives.Length < GroupSize - 1)
            throw new ArgumentException(
                $"Group testing: calibrating groups of {GroupSize} needs at least {GroupSize - 1} negative rows; the validation data has {negatives.Length}.", nameof(validation));

        var random = new Random(seed);
        var logits = new List<float>(positives.Length);
        foreach (var chunk in positives.Chunk(GroupTestingScoring.GroupsPerBatch))
        {
            var rows = new int[chunk.Length * GroupSize];
            for (int g = 0; g < chunk.Length; g++)
            {
                var group = rows.AsSpan(g * GroupSize, GroupSize);
                group[0] = chunk[g];
                for (int m = 1; m < GroupSize; m++)
                    group[m] = negatives[random.Next(negatives.Length)];
                // The position of the positive must not matter to the answer, nor be the same each time.
                random.Shuffle(group);
            }
            logits.AddRange(Test(GroupTester, pixels, rows, GroupTestingAlgorithms.ConsecutiveGroups(rows.Length, GroupSize)));
        }
        logits.Sort();
        // At most this many one-positive groups may fall at or below the threshold.
        int missed = (int)Math.Floor((1 - sensitivity) * logits.Count + 1e-9);
        return MathF.BitDecrement(logits[Math.Min(missed, logits.Count - 1)]);
    }

    // The positives the individual network flags when each is tested alone.
    private static int[] FoundAlone(IGroupTester individual, float[] pixels, int[] positives)
    {
        var found = new List<int>();
        foreach (var chunk in positives.Chunk(256))
        {
            var logits = Test(individual, pixels, chunk, Enumerable.Range(0, chunk.Length).Select(i => new[] { i }).ToList());
            found.AddRange(chunk.Where((_, i) => logits[i] > 0));
        }
        return found.ToArray();
    }

    // One batched call: the rows gathered into a batch, the groups indexing into it.
    private static float[] Test(IGroupTester tester, float[] pixels, int[] rows, IReadOnlyList<int[]> groups)
    {
        var batch = GroupTestingRows.Gather(pixels, rows, tester.RowLength);
        // Calibration's tests are not the model's screening, so they count in statistics of their own.
        using var session = tester.Begin(batch, rows.Length, new GroupTestingStatistics());
        return session.Test(groups);
    }
}
