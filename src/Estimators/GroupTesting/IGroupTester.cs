namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The network behind group testing, as the algorithms see it: the seam where tests inject an
/// oracle. A session holds one batch of rows (and, for feature and tree merge, their early
/// features, computed once and reused by every round).
/// </summary>
internal interface IGroupTester
{
    /// <summary>Values per row the tester reads.</summary>
    int RowLength { get; }

    /// <summary>Multiply-accumulates of testing one row on its own.</summary>
    long IndividualMultiplyAccumulates { get; }

    /// <summary>Starts a batch of <paramref name="count"/> rows (row-major in <paramref name="rows"/>, unchanged until the session ends).</summary>
    IGroupTestSession Begin(ReadOnlyMemory<float> rows, int count, GroupTestingStatistics statistics);
}

/// <summary>One batch of rows under test.</summary>
internal interface IGroupTestSession : IDisposable
{
    /// <summary>
    /// Tests every group (indices into the batch, a group of one being an individual test) in one
    /// batched call; returns each group's logit of "some member is positive".
    /// </summary>
    float[] Test(IReadOnlyList<int[]> groups);
}
