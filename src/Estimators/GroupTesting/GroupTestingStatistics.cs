namespace Microsoft.ML.AutoAssist;

/// <summary>
/// What group testing spent, against testing every row on its own: rows decided, forward passes
/// (one per tested group, a row tested alone included) and the network's multiply-accumulates.
/// Counts add up over every Transform and prediction of the transformer until <see cref="Reset"/>.
/// </summary>
public sealed class GroupTestingStatistics
{
    private long _rows;
    private long _forwardPasses;
    private long _multiplyAccumulates;
    private long _individualMultiplyAccumulates;

    /// <summary>Rows decided.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Forward passes run (testing each row individually runs one per row).</summary>
    public long ForwardPasses => Interlocked.Read(ref _forwardPasses);

    /// <summary>Multiply-accumulates spent.</summary>
    public long MultiplyAccumulates => Interlocked.Read(ref _multiplyAccumulates);

    /// <summary>Multiply-accumulates that testing each row individually would have spent.</summary>
    public long IndividualMultiplyAccumulates => Interlocked.Read(ref _individualMultiplyAccumulates);

    /// <summary>Forward passes per row (1 for individual testing).</summary>
    public double ForwardPassesPerRow => Rows == 0 ? double.NaN : (double)ForwardPasses / Rows;

    /// <summary>Multiply-accumulates per row.</summary>
    public double MultiplyAccumulatesPerRow => Rows == 0 ? double.NaN : (double)MultiplyAccumulates / Rows;

    /// <summary>Compute spent as a share of individual testing's (the paper reports this, e.g. 0.264).</summary>
    public double RelativeCompute => IndividualMultiplyAccumulates == 0 ? double.NaN : (double)MultiplyAccumulates / IndividualMultiplyAccumulates;

    /// <summary>Starts counting from zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _rows, 0);
        Interlocked.Exchange(ref _forwardPasses, 0);
        Interlocked.Exchange(ref _multiplyAccumulates, 0);
        Interlocked.Exchange(ref _individualMultiplyAccumulates, 0);
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Rows} rows, {ForwardPassesPerRow:F3} forward passes per row, {RelativeCompute:P1} of individual testing's compute";

    internal void AddRows(int rows, long individualMultiplyAccumulatesPerRow)
    {
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _individualMultiplyAccumulates, rows * individualMultiplyAccumulatesPerRow);
    }

    internal void AddTests(int forwardPasses, long multiplyAccumulates)
    {
        Interlocked.Add(ref _forwardPasses, forwardPasses);
        Interlocked.Add(ref _multiplyAccumulates, multiplyAccumulates);
    }
}
