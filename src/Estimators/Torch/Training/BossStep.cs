using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The standard Boss step: the Boss's one module and one optimizer; forward per-row losses, their
/// weighted mean, backward, optimizer step. Every batch runs in its own dispose scope.
/// </summary>
internal sealed class BossStep : IBossStep
{
    /// <summary>The name of the module in checkpoints.</summary>
    public const string ModuleName = "model";

    /// <summary>The name of the optimizer in checkpoints.</summary>
    public const string OptimizerName = "optimizer";

    private readonly IBossModel _boss;
    private readonly OptimizerHelper _optimizer;
    private readonly double? _maxGradientNorm;

    /// <param name="boss">The model (already on its device).</param>
    /// <param name="optimizer">An optimizer over the model's parameters, created after the model reached its device.</param>
    /// <param name="maxGradientNorm">Clip the gradients' global L2 norm to this before the update; null: no clipping.</param>
    public BossStep(IBossModel boss, OptimizerHelper optimizer, double? maxGradientNorm = null)
    {
        _boss = boss;
        _optimizer = optimizer;
        _maxGradientNorm = maxGradientNorm;
        Modules = new Dictionary<string, nn.Module> { [ModuleName] = boss.Module };
        Optimizers = new Dictionary<string, OptimizerHelper> { [OptimizerName] = optimizer };
    }

    public IReadOnlyDictionary<string, nn.Module> Modules { get; }

    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers { get; }

    public BossStepResult Train(RowBatch batch, double learningRate, bool rowLosses)
    {
        LearningRateScheduler.SetRate(_optimizer, learningRate);
        using var scope = NewDisposeScope();
        _boss.Module.train();
        _optimizer.zero_grad();
        var losses = _boss.PerRowLoss(batch, training: true);
        using var weights = tensor(batch.Weights.AsSpan(0, batch.Count).ToArray(), device: losses.device);
        // Mean of weighted per-row losses: re-weighting methods stay unbiased against full-data training.
        var loss = (losses * weights).sum() / batch.Count;
        loss.backward();
        if (_maxGradientNorm is double maxNorm)
            nn.utils.clip_grad_norm_(_boss.Module.parameters(), maxNorm);
        _optimizer.step();
        return new BossStepResult(loss.item<float>(), rowLosses ? losses.detach().cpu().data<float>().ToArray() : null);
    }

    public float[] Losses(RowBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Eval mode, as Selective Backprop's authors score rows (net.eval() under no_grad): batch norm
        // then uses its running statistics and, above all, does not update them, so a scoring pass
        // over rows that are mostly not trained on leaves the model as the training steps made it.
        _boss.Module.eval();
        return _boss.PerRowLoss(batch, training: false).cpu().data<float>().ToArray();
    }

    public void Dispose() => _optimizer.Dispose();
}
