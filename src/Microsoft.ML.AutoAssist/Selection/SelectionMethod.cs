namespace Microsoft.ML.AutoAssist;

/// <summary>
/// How training rows are chosen for the Boss. Every method runs through the same training
/// protocol, so one trainer can run each of them on the same data and be compared fairly.
/// </summary>
public enum SelectionMethod
{
    /// <summary>Every row, every epoch (plain training).</summary>
    Uniform,

    /// <summary>
    /// AutoAssist instance shrinking (Zhang, Yu, Dhillon 2019): an Assistant trained on the Boss's
    /// losses predicts which rows are still hard; a row is kept with probability base + (1 − base)·p.
    /// </summary>
    AutoAssist,

    /// <summary>
    /// InfoBatch (Qin et al. 2024): a random share of the rows whose last loss is below the mean is
    /// skipped each epoch and the kept ones are up-weighted; the last epochs use all the data.
    /// </summary>
    InfoBatch,

    /// <summary>
    /// Selective Backprop (Jiang et al. 2019): every row is forwarded; a row is backpropagated with
    /// probability max(floor, percentile(loss)^β) among recent losses.
    /// </summary>
    SelectiveBackprop,

    /// <summary>
    /// Loss-proportional importance sampling: a row is kept with probability proportional to its last
    /// loss and re-weighted by the inverse of that probability, so the gradient stays unbiased.
    /// </summary>
    LossSampling,
}
