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
