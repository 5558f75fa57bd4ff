namespace Microsoft.ML.AutoAssist;

/// <summary>
/// What a fitted Boss plugs into the shared scoring machinery (<see cref="BossScoredDataView"/> for
/// Transform, <see cref="BossRowMapper"/> for a PredictionEngine): the input columns its network
/// reads, and a batch that forwards rows once and serves every output column from that one pass.
/// </summary>
/// <remarks>
/// The output columns are the ones the transformer's output schema appends after the input's, in
/// that order; output index 0 is the first appended column.
/// </remarks>
internal interface IBossScoring
{
    /// <summary>The input columns the network reads.</summary>
    IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>A batch buffer for up to <paramref name="capacity"/> rows.</summary>
    ScoringBatch CreateBatch(int capacity);
}
