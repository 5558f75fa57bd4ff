using System.Text.Json.Nodes;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The training loop's own state that a checkpoint stores beside the weights and the optimizer:
/// where training stands, the random streams, and anything else the loop wants back.
/// </summary>
internal sealed class TrainingLoopState
{
    /// <summary>Passes over the data completed.</summary>
    public int Epoch { get; set; }

    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; set; }

    /// <summary>Fraction of the planned optimizer steps completed, the input of <see cref="LearningRateScheduler"/>.</summary>
    public double Progress { get; set; }

    /// <summary>
    /// Random-generator states by name, e.g. <see cref="BatchAugmenter.GetRandomState"/> or
    /// <c>torch.Generator.get_state()</c>. (System.Random cannot be serialized: reseed it from a
    /// seed and the epoch instead.)
    /// </summary>
    public Dictionary<string, byte[]> RandomStates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What identifies the run's training data and settings (<see cref="TrainingFingerprint"/>); a
    /// resume compares it with the new run's. Null in checkpoints written before fingerprints.
    /// </summary>
    public Dictionary<string, string>? Fingerprint { get; set; }

    /// <summary>Anything else the caller wants back (thresholds, counters, histories), as JSON.</summary>
    public JsonObject Values { get; set; } = new();
}
