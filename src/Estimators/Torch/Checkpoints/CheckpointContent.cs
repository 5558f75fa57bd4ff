using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// What a <see cref="TrainingCheckpoint"/> saves and restores besides the loop's
/// <see cref="TrainingLoopState"/>: any number of named modules and optimizers (a Boss step that
/// trains K blocks with K optimizers names each) and named binary entries written and read by
/// callbacks, for state that lives outside TorchSharp (e.g. the selection's state at an epoch boundary).
/// </summary>
/// <remarks>
/// Names become file names, so they may hold letters, digits, '-', '_' and '.' only. Restoring needs
/// the same names as were saved: a checkpoint with a module, optimizer or entry more or less does not fit.
/// </remarks>
internal sealed class CheckpointContent
{
    /// <summary>Modules by name; their parameters and buffers are saved.</summary>
    public Dictionary<string, nn.Module> Modules { get; } = new(StringComparer.Ordinal);

    /// <summary>Optimizers by name; their state (momentum buffers, moments, step counts, hyper-parameters) is saved.</summary>
    public Dictionary<string, OptimizerHelper> Optimizers { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra binary entries by name.</summary>
    public Dictionary<string, CheckpointEntry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>One module under the name "model" and one optimizer under the name "optimizer".</summary>
    public static CheckpointContent Single(nn.Module module, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(optimizer);
        var content = new CheckpointContent();
        content.Modules[BossStep.ModuleName] = module;
        content.Optimizers[BossStep.OptimizerName] = optimizer;
        return content;
    }
}

/// <summary>A named binary entry of a checkpoint: how to write it into a stream, and how to read it back.</summary>
/// <param name="Save">Writes the entry (the stream is flushed to disk afterwards).</param>
/// <param name="Load">Reads what <paramref name="Save"/> wrote.</param>
internal sealed record CheckpointEntry(Action<Stream> Save, Action<Stream> Load);
