namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Loss-proportional importance sampling: a row is kept with probability proportional to its last
/// loss and re-weighted by the inverse of that probability, so the gradient stays unbiased.
/// </summary>
public sealed class LossSamplingOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "LossSampling";

    /// <summary>Expected share of rows kept when losses are near their mean. In (0, 1].</summary>
    public float KeepFraction = 0.5f;

    /// <summary>Lowest keep probability. In (0, 1].</summary>
    public float Floor = 0.05f;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override void Validate()
    {
        Check(KeepFraction > 0 && KeepFraction <= 1, nameof(KeepFraction), KeepFraction, "must be in (0, 1]");
        Check(Floor > 0 && Floor <= 1, nameof(Floor), Floor, "must be in (0, 1]; 0 would give rows with a tiny loss an unbounded weight");
    }

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context) => new LossSamplingPolicy(context.Losses, KeepFraction, Floor);

    /// <inheritdoc/>
    public override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(KeepFraction);
        writer.Write(Floor);
    }

    /// <inheritdoc/>
    public override void LoadOptions(BinaryReader reader, int version)
    {
        KeepFraction = reader.ReadSingle();
        Floor = reader.ReadSingle();
    }

    /// <summary>
    /// Independent keep decisions: P(keep) = clamp(keepFraction · loss / mean loss, floor, 1), weight
    /// 1 / P(keep). Rows never reported are kept with weight 1. Its only state is the loss history,
    /// which the session keeps.
    /// </summary>
    private sealed class LossSamplingPolicy(LossHistory losses, float keepFraction, float floor) : SelectionPolicy
    {
        private double _mean = double.NaN;

        public override void OnEpochStart(int epoch, double progress) => _mean = losses.MeanOfReported();

        public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                float last = losses[rows[i]];
                if (float.IsNaN(last) || !(_mean > 0))
                {
                    weights[i] = 1f;
                    continue;
                }
                float p = Math.Clamp((float)(keepFraction * last / _mean), floor, 1f);
                weights[i] = random.NextSingle() < p ? 1f / p : 0f;
            }
        }
    }
}
