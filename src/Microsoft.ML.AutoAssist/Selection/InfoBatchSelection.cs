namespace Microsoft.ML.AutoAssist;

/// <summary>
/// InfoBatch (Qin et al. 2024): a random share of the rows whose last loss is below the mean is
/// skipped each epoch and the kept ones are up-weighted; the last share of training uses all the
/// data. Defaults are the authors' (prune ratio 0.5, pruning over the first δ = 0.875 of training).
/// </summary>
public sealed class InfoBatchOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "InfoBatch";

    /// <summary>Share of the below-mean-loss rows skipped each epoch; the kept ones get weight 1 / (1 − ratio). In (0, 1).</summary>
    public float PruneRatio = 0.5f;

    /// <summary>
    /// The last share of training (by the trainer's progress: steps under a step budget) that uses all
    /// the data; 1 − δ in the authors' terms. It starts at its step, mid-epoch if need be. In [0, 1).
    /// </summary>
    public float FinalFullDataFraction = 0.125f;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override void Validate()
    {
        Check(PruneRatio > 0 && PruneRatio < 1, nameof(PruneRatio), PruneRatio, "must be in (0, 1); 1 would skip every below-mean row with an infinite weight");
        Check(FinalFullDataFraction >= 0 && FinalFullDataFraction < 1, nameof(FinalFullDataFraction), FinalFullDataFraction, "must be in [0, 1)");
    }

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context) => new InfoBatchPolicy(context.Losses, PruneRatio, FinalFullDataFraction);

    /// <inheritdoc/>
    public override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(PruneRatio);
        writer.Write(FinalFullDataFraction);
    }

    /// <inheritdoc/>
    public override void LoadOptions(BinaryReader reader, int version)
    {
        PruneRatio = reader.ReadSingle();
        FinalFullDataFraction = reader.ReadSingle();
    }

    /// <summary>
    /// Rows whose last loss is below the mean are skipped with probability pruneRatio and the kept
    /// ones weighted 1 / (1 − pruneRatio); rows never seen and all rows in the final full-data phase
    /// are kept with weight 1. Its only state is the loss history, which the session keeps.
    /// </summary>
    private sealed class InfoBatchPolicy(LossHistory losses, float pruneRatio, float finalFullDataFraction) : SelectionPolicy
    {
        private double _mean = double.NaN;
        private bool _fullData;

        public override void OnEpochStart(int epoch, double progress)
        {
            _mean = losses.MeanOfReported();
            _fullData = InFinalFullDataPhase(progress, finalFullDataFraction);
        }

        public override bool OnProgress(double progress)
        {
            if (_fullData || !InFinalFullDataPhase(progress, finalFullDataFraction))
                return false;
            _fullData = true;
            return true;
        }

        public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
        {
            float upWeight = 1f / (1f - pruneRatio);
            for (int i = 0; i < rows.Length; i++)
            {
                float last = losses[rows[i]];
                bool prunable = !_fullData && !float.IsNaN(last) && last < _mean;
                weights[i] = !prunable ? 1f : random.NextSingle() < pruneRatio ? 0f : upWeight;
            }
        }
    }
}
