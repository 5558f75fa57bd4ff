namespace Microsoft.ML.AutoAssist;

/// <summary>
/// InfoBatch: rows whose last loss is below the mean are skipped with probability
/// <c>pruneRatio</c> and the kept ones are weighted 1 / (1 − pruneRatio); rows never seen and all
/// rows in the final full-data phase are kept with weight 1.
/// </summary>
internal sealed class InfoBatchPolicy : SelectionPolicy
{
    private readonly float _pruneRatio;
    private readonly float _finalFullDataFraction;
    private double _mean = double.NaN;
    private bool _fullData;

    public InfoBatchPolicy(LossHistory losses, float pruneRatio, float finalFullDataFraction) : base(losses)
    {
        _pruneRatio = pruneRatio;
        _finalFullDataFraction = finalFullDataFraction;
    }

    public override SelectionMethod Method => SelectionMethod.InfoBatch;

    public override bool ReadsLastLosses => true;

    public override void OnEpochStart(int epoch, double progress)
    {
        _mean = Losses.MeanOfReported();
        _fullData = InFinalFullDataPhase(progress, _finalFullDataFraction);
    }

    // In the final full-data phase, and before any loss is known, no row is prunable.
    public override bool KeepsEveryRow => _fullData || double.IsNaN(_mean);

    public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
    {
        float upWeight = 1f / (1f - _pruneRatio);
        for (int i = 0; i < rows.Length; i++)
        {
            float last = Losses[rows[i]];
            bool prunable = !_fullData && !float.IsNaN(last) && last < _mean;
            weights[i] = !prunable ? 1f : random.NextSingle() < _pruneRatio ? 0f : upWeight;
        }
    }
}
