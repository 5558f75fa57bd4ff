using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// What the shared training loop needs from a Boss: its module, a batch type for its inputs, and
/// the per-row loss of a batch (reduction none, so selection methods get one loss per row).
/// </summary>
internal interface IBossModel
{
    /// <summary>The network, on its device.</summary>
    nn.Module Module { get; }

    /// <summary>The columns the Boss reads from the training epochs.</summary>
    IReadOnlyList<string> InputColumns { get; }

    /// <summary>A batch buffer for the Boss's inputs.</summary>
    RowBatch CreateBatch(int capacity);

    /// <summary>Forward pass on the first <see cref="RowBatch.Count"/> rows; returns their losses, shape (N).</summary>
    /// <param name="batch">The rows.</param>
    /// <param name="training">True for a training step (augmentation on); false for scoring rows only.</param>
    Tensor PerRowLoss(RowBatch batch, bool training);

    /// <summary>Random-generator states to checkpoint (by name), and to restore on resume.</summary>
    Dictionary<string, byte[]> GetRandomStates();

    /// <inheritdoc cref="GetRandomStates"/>
    void SetRandomStates(IReadOnlyDictionary<string, byte[]> states);
}
