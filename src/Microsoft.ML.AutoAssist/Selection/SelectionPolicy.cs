namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One selection method's decisions during a training session; created by
/// <see cref="SelectionMethodOptions.CreatePolicy"/>. Derive from it to plug in a method of your
/// own, as an <see cref="IAssistant"/> plugs in an Assistant of your own.
/// </summary>
/// <remarks>
/// Threading: <see cref="OnEpochStart"/>, <see cref="OnProgress"/>, <see cref="DecideKeep"/> and <see cref="SelectForBackward"/>
/// run on the trainer's thread; <see cref="OnFeedback"/> runs on the Assistant's background worker.
/// The session waits for the worker to learn from every report before it starts or closes an epoch,
/// so <see cref="OnEpochStart"/>, <see cref="DecideKeep"/>, <see cref="Describe"/> and the state
/// methods never overlap <see cref="OnFeedback"/>; <see cref="SelectForBackward"/> may, so state it
/// shares with <see cref="OnFeedback"/> needs care. Decisions must depend only on the policy's state and the
/// random generator they are given, so that a seeded session decides the same way every run and
/// after <see cref="SelectiveTrainingSession.LoadState"/>.
/// </remarks>
public abstract class SelectionPolicy
{
    /// <summary>True when the method chooses rows after the Boss's forward pass (see <see cref="SelectForBackward"/>).</summary>
    public virtual bool SelectsAfterForward => false;

    /// <summary>
    /// True when each training batch's weights should be scaled to average 1 (see
    /// <see cref="SelectiveTrainingSession.NormalizesWeightsPerBatch"/>): the weights then decide how
    /// much each row counts within a step, not how large the step is.
    /// </summary>
    public virtual bool NormalizesWeightsPerBatch => false;

    /// <summary>Prepares the decisions of epoch <paramref name="epoch"/> (0-based) at training progress in [0, 1] (NaN when unknown).</summary>
    public virtual void OnEpochStart(int epoch, double progress)
    {
    }

    /// <summary>
    /// Told the training progress in [0, 1] as the trainer advances within an epoch (after each
    /// optimizer step). Returns true when the decisions of the epoch's rows not yet reached would
    /// now differ, e.g. because a final full-data phase begins: the session then waits for the
    /// Assistant and calls <see cref="DecideKeep"/> again for those rows. This is what places
    /// "the end of training" in steps rather than at an epoch's start, so it also happens when the
    /// whole budget is only a few passes. It may run while <see cref="OnFeedback"/> does, so it
    /// should read only state that <see cref="OnFeedback"/> does not write.
    /// </summary>
    public virtual bool OnProgress(double progress) => false;

    /// <summary>
    /// Decides an epoch's rows: writes each row's weight, 0 to skip the row, otherwise the loss
    /// weight it is kept with. <paramref name="rows"/> are cache indices in the epoch's order: all of
    /// them when the epoch opens, the rows not yet reached after <see cref="OnProgress"/> returned true.
    /// </summary>
    public abstract void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random);

    /// <summary>Learns from the Boss's losses of one batch (background worker; only for methods whose options set <see cref="SelectionMethodOptions.UsesAssistant"/>).</summary>
    public virtual void OnFeedback(ReadOnlySpan<int> rows, ReadOnlySpan<float> losses)
    {
    }

    /// <summary>Multiplies each forwarded row's weight by 0 (not backpropagated) or leaves it.</summary>
    public virtual void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights, Random random)
    {
    }

    /// <summary>Adds the method's own figures to an epoch's statistics.</summary>
    public virtual void Describe(EpochStatistics statistics)
    {
    }

    /// <summary>
    /// Writes the state the policy carries from epoch to epoch (thresholds, running means, histories),
    /// for <see cref="SelectiveTrainingSession.SaveState"/>. Stateless policies write nothing.
    /// </summary>
    public virtual void SaveState(BinaryWriter writer)
    {
    }

    /// <summary>Reads what <see cref="SaveState"/> wrote, into a policy created with the same options.</summary>
    public virtual void LoadState(BinaryReader reader)
    {
    }

    /// <summary>True when <paramref name="progress"/> lies in the final full-data share of training.</summary>
    /// <remarks>Policies with such a phase check it in <see cref="OnEpochStart"/> and in <see cref="OnProgress"/>, so that it starts at its step, mid-epoch if need be.</remarks>
    /// <remarks>Computed in double: in float, 1 − 0.2f rounds above 0.8 and the phase would miss the epoch starting at 0.8.</remarks>
    protected static bool InFinalFullDataPhase(double progress, float fraction)
        => fraction > 0 && !double.IsNaN(progress) && progress >= 1.0 - (double)fraction - 1e-6;
}
