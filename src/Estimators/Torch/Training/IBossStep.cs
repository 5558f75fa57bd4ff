using Microsoft.ML.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One optimizer step of a Boss as the shared loop calls it: forward the batch to per-row losses,
/// take their weighted mean, backpropagate and update. <see cref="BossStep"/> is the standard step
/// (one module, one optimizer); a step of its own can own several modules and optimizers (e.g. K
/// blocks trained on local losses) as long as it names them for the checkpoint.
/// </summary>
internal interface IBossStep : IDisposable
{
    /// <summary>The trained modules by name (checkpointed).</summary>
    IReadOnlyDictionary<string, nn.Module> Modules { get; }

    /// <summary>The optimizers by name (checkpointed; the learning rate is set on all of them).</summary>
    IReadOnlyDictionary<string, OptimizerHelper> Optimizers { get; }

    /// <summary>One training step on the first <see cref="RowBatch.Count"/> rows of <paramref name="batch"/>.</summary>
    /// <param name="batch">The rows and their weights.</param>
    /// <param name="learningRate">The rate the schedule gives for this step.</param>
    /// <param name="rowLosses">Whether to return the per-row losses (for the selection's feedback).</param>
    BossStepResult Train(RowBatch batch, double learningRate, bool rowLosses);

    /// <summary>Per-row losses without gradients or updates (batch-norm running statistics included), for methods that choose rows after the forward pass.</summary>
    float[] Losses(RowBatch batch);
}

/// <summary>What a training step reports back to the loop.</summary>
/// <param name="Loss">The step's loss: the mean of the weighted per-row losses.</param>
/// <param name="RowLosses">Each row's loss, when asked for; null otherwise.</param>
internal readonly record struct BossStepResult(float Loss, float[]? RowLosses);

/// <summary>
/// A step that may finish a batch after the loop has moved on: a pipeline of blocks, in which block 0
/// starts batch t while the last block still works on batch t − K + 1. The loop submits each batch
/// and reports each finished step's losses under the ids of the rows that step trained, so the
/// selection hears about a batch a few steps late. It drains the step before anything that needs a
/// settled model or every loss so far: an evaluation, a forward-only scoring pass, an epoch's end
/// (and so a checkpoint).
/// </summary>
internal interface ILaggingBossStep : IBossStep
{
    /// <summary>Starts a training step on the first <see cref="RowBatch.Count"/> rows of <paramref name="batch"/> (it copies what it needs); returns the steps that finished meanwhile, oldest first.</summary>
    IReadOnlyList<FinishedStep> Submit(RowBatch batch, double learningRate, bool rowLosses);

    /// <summary>Waits for every step in flight; returns them oldest first.</summary>
    IReadOnlyList<FinishedStep> Drain();
}

/// <summary>A step a <see cref="ILaggingBossStep"/> finished, with the ids of the rows it trained.</summary>
internal readonly record struct FinishedStep(BossStepResult Result, DataViewRowId[] RowIds);
