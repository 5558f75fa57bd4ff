namespace Microsoft.ML.AutoAssist;

/// <summary>
/// How the image trainer's gradients flow: end-to-end backpropagation, or local learning (Laskin et
/// al. 2020, "Parallel Training of Deep Networks with Local Updates"), where the network is cut into
/// blocks, each with a small auxiliary head (global average pool + linear) and a loss of its own.
/// </summary>
public enum TrainingMode
{
    /// <summary>Ordinary backpropagation of the classifier's loss through the whole network.</summary>
    Backprop,

    /// <summary>Every residual block is its own block with its own head and loss (the stem goes with the first).</summary>
    Greedy,

    /// <summary>
    /// <see cref="ImageClassificationTrainerOptions.Blocks"/> non-overlapping blocks of consecutive
    /// residual blocks; no gradient crosses a block boundary.
    /// </summary>
    Chunked,

    /// <summary>
    /// As <see cref="Chunked"/>, but every block but the last is also trained by the next block's
    /// loss (its gradient crosses one boundary, no more).
    /// </summary>
    Overlapping,
}
