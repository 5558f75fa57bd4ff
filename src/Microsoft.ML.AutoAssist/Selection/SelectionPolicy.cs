
namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One selection method's decisions. Called from three places: <see cref="OnEpochStart"/> and
/// <see cref="SelectForBackward"/> on the trainer's thread, <see cref="DecideKeep"/> on the prefetch
/// thread, <see cref="OnFeedback"/> on the Assistant's background worker.
/// </summary>
internal abstract class SelectionPolicy
{
    protected SelectionPolicy(LossHistory losses) => Losses = losses;

    public abstract SelectionMethod Method { get; }

    /// <summary>Per-row last Boss loss, written when the trainer reports (only for policies that <see cref="ReadsLastLosses"/>).</summary>
    protected LossHistory Losses { get; }

    /// <summary>
    /// True when the policy reads <see cref="Losses"/>; for the others the session does not record
    /// them, which spares a scattered write per reported row.
    /// </summary>
    public virtual bool ReadsLastLosses => false;

    /// <summary>True when the method chooses rows after the Boss's forward pass (see <see cref="SelectForBackward"/>).</summary>
    public virtual bool SelectsAfterForward => false;

    /// <summary>Prepares the decisions of epoch <paramref name="epoch"/> (0-based) at training progress in [0, 1] (NaN when unknown).</summary>
    public virtual void OnEpochStart(int epoch, double progress)
    {
    }

    /// <summary>
    /// True when, in the epoch <see cref="OnEpochStart"/> just began, <see cref="DecideKeep"/> keeps
    /// every row at weight 1 without looking at it (uniform sampling, a first pass, a final full-data
    /// phase). Such an epoch has nothing to decide ahead of the trainer, so it runs without a prefetch thread.
    /// </summary>
    public virtual bool KeepsEveryRow => false;

    /// <summary>Writes each row's weight: 0 skips the row, otherwise the row is kept with that loss weight.</summary>
    public abstract void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random);

    /// <summary>Learns from the Boss's losses of one batch (background worker).</summary>
    public virtual void OnFeedback(ReadOnlySpan<int> rows, ReadOnlySpan<float> losses)
    {
    }

    /// <summary>Multiplies each forwarded row's weight by 0 (not backpropagated) or its weight.</summary>
    public virtual void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights, Random random)
    {
    }

    /// <summary>Adds the method's own figures to an epoch's statistics.</summary>
    public virtual void Describe(EpochStatistics statistics)
    {
    }

    /// <summary>True when <paramref name="progress"/> lies in the final full-data share of training.</summary>
    /// <remarks>Computed in double: in float, 1 − 0.2f rounds above 0.8 and the phase would miss the epoch starting at 0.8.</remarks>
    protected static bool InFinalFullDataPhase(double progress, float fraction)
        => fraction > 0 && !double.IsNaN(progress) && progress >= 1.0 - (double)fraction - 1e-6;
}
