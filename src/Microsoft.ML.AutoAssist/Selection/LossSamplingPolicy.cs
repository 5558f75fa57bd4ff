namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Loss-proportional importance sampling as independent keep decisions: P(keep) =
/// clamp(keepFraction · loss / mean loss, floor, 1), weight 1 / P(keep) (unbiased). Rows never
/// reported are kept with weight 1.
/// </summary>
internal sealed class LossSamplingPolicy : SelectionPolicy
{
    private readonly float _keepFraction;
    private readonly float _floor;
    private double _mean = double.NaN;

    public LossSamplingPolicy(LossHistory losses, float keepFraction, float floor) : base(losses)
    {
        _keepFraction = keepFraction;
        _floor = floor;
    }

    public override SelectionMethod Method => SelectionMethod.LossSampling;

    public override bool ReadsLastLosses => true;

    public override void OnEpochStart(int epoch, double progress) => _mean = Losses.MeanOfReported();

    // Before any loss is known (the first epoch) every row is kept at weight 1.
    public override bool KeepsEveryRow => !(_mean > 0);

    public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            float last = Losses[rows[i]];
            if (float.IsNaN(last) || !(_mean > 0))
            {
                weights[i] = 1f;
                continue;
            }
            float p = Math.Clamp((float)(_keepFraction * last / _mean), _floor, 1f);
            weights[i] = random.NextSingle() < p ? 1f / p : 0f;
        }
    }
}
