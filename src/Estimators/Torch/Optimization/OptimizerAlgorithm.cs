namespace Microsoft.ML.AutoAssist;

/// <summary>The optimizers the TorchSharp trainers can use.</summary>
public enum OptimizerAlgorithm
{
    /// <summary>Stochastic gradient descent with Nesterov momentum and L2 weight decay (the usual choice for ResNets).</summary>
    SgdNesterov,

    /// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019; the usual choice for Transformers).</summary>
    AdamW,
}
