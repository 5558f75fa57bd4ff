namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A lightweight model that learns, while the Boss trains, which rows the Boss still finds hard.
/// Implement it to plug a custom Assistant into <c>AutoAssistFilter</c>.
/// </summary>
/// <remarks>
/// Threading contract: <see cref="Initialize"/> runs once before training. <see cref="Update"/>
/// runs on the Assistant's background worker while the Boss trains; <see cref="Score"/> runs on the
/// trainer's thread when an epoch opens, once the worker has learned from every report, so the two
/// never overlap but do run on different threads: publish what <see cref="Update"/> learns so that
/// another thread sees it (the built-in Assistants swap in an immutable snapshot of their weights).
/// </remarks>
public interface IAssistant
{
    /// <summary>Names of the columns the Assistant reads; the filter caches them with the training rows.</summary>
    IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>Prepares the Assistant for the cached training rows (features, vocabularies, weights).</summary>
    void Initialize(AssistantTrainingRows rows, int seed);

    /// <summary>
    /// Writes, for each row index, the probability that the Boss still finds the row hard
    /// (its loss is above the threshold). Called on the trainer's thread when an epoch opens.
    /// </summary>
    void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities);

    /// <summary>
    /// Learns from one batch of Boss feedback: <paramref name="targets"/>[i] is 1 when row
    /// <paramref name="rowIndices"/>[i] was hard for the Boss, else 0. Called from the background worker.
    /// </summary>
    void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets);

    /// <summary>
    /// Learns from one batch of Boss feedback like <see cref="Update"/> and writes the probabilities
    /// the Assistant gave the rows before it learned from them (they measure its accuracy and AUC).
    /// The default scores, then learns; an Assistant whose update computes those probabilities
    /// anyway overrides it to save the second pass over the rows.
    /// </summary>
    void ScoreThenUpdate(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets, Span<float> probabilitiesBefore)
    {
        Score(rowIndices, probabilitiesBefore);
        Update(rowIndices, targets);
    }

    /// <summary>
    /// Writes what the Assistant has learned (weights, optimiser state) so that a training session can
    /// be checkpointed (<see cref="SelectiveTrainingSession.SaveState"/>). Called between epochs,
    /// never during <see cref="Update"/>. What <see cref="Initialize"/> derives from the rows again
    /// (vocabularies, standardisation) need not be written.
    /// </summary>
    /// <exception cref="NotSupportedException">The default: the Assistant cannot be checkpointed.</exception>
    void SaveState(BinaryWriter writer)
        => throw new NotSupportedException($"The Assistant {GetType().FullName} cannot save its state; implement IAssistant.SaveState and LoadState to checkpoint training with it.");

    /// <summary>Restores what <see cref="SaveState"/> wrote, after <see cref="Initialize"/> on the same rows.</summary>
    /// <exception cref="NotSupportedException">The default: the Assistant cannot be checkpointed.</exception>
    void LoadState(BinaryReader reader)
        => throw new NotSupportedException($"The Assistant {GetType().FullName} cannot load a saved state; implement IAssistant.SaveState and LoadState to checkpoint training with it.");
}
