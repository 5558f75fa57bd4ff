using TorchSharp;
using TorchSharp.Modules;

namespace Microsoft.ML.AutoAssist;

/// <summary>Creates the optimizer named by an <see cref="OptimizerAlgorithm"/>.</summary>
/// <remarks>
/// Create the optimizer only after the module is on its final device: TorchSharp replaces the
/// Parameter objects when a module moves, and an optimizer made earlier keeps the stale ones.
/// The result is an <see cref="OptimizerHelper"/>, which is what
/// <see cref="TrainingCheckpoint"/> needs to save and restore the optimizer's state.
/// </remarks>
internal static class OptimizerFactory
{
    /// <param name="algorithm">Which optimizer.</param>
    /// <param name="parameters">The parameters to train, e.g. <c>module.parameters()</c>.</param>
    /// <param name="learningRate">Initial learning rate (a <see cref="LearningRateScheduler"/> overwrites it every step).</param>
    /// <param name="weightDecay">L2 penalty for SGD, decoupled decay for AdamW; &gt;= 0.</param>
    /// <param name="momentum">SGD's Nesterov momentum in (0, 1); AdamW ignores it (its beta1 is 0.9).</param>
    public static OptimizerHelper Create(
        OptimizerAlgorithm algorithm,
        IEnumerable<Parameter> parameters,
        double learningRate,
        double weightDecay,
        double momentum = 0.9)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(learningRate) || learningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and positive.");
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be finite and non-negative.");

        switch (algorithm)
        {
            case OptimizerAlgorithm.SgdNesterov:
                if (!(momentum > 0 && momentum < 1))
                    throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Nesterov momentum must be in (0, 1).");
                return torch.optim.SGD(parameters, learningRate, momentum: momentum, weight_decay: weightDecay, nesterov: true);
            case OptimizerAlgorithm.AdamW:
                return torch.optim.AdamW(parameters, learningRate, weight_decay: weightDecay);
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown optimizer.");
        }
    }
}
