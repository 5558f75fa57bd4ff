namespace Microsoft.ML.AutoAssist;

/// <summary>
/// How the learning rate changes over training. Every schedule is a function of training progress
/// (the fraction of the planned optimizer steps already taken), not of epochs, so it stays correct
/// when an instance-shrinking filter changes how many batches an epoch has.
/// </summary>
public enum LearningRateSchedule
{
    /// <summary>The base learning rate throughout (after any warm-up).</summary>
    Constant,

    /// <summary>Half a cosine from the base learning rate down to the minimum learning rate at the end of training.</summary>
    Cosine,

    /// <summary>The base learning rate multiplied by gamma at each milestone (fractions of training, e.g. 0.5 and 0.75).</summary>
    StepDecay,

    /// <summary>
    /// The Transformer schedule (Vaswani et al. 2017): after the warm-up the rate falls with the inverse
    /// square root of progress, base × sqrt(warm-up fraction / progress). Needs a warm-up fraction above 0.
    /// </summary>
    InverseSquareRoot,
}
