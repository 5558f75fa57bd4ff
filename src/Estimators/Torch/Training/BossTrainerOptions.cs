namespace Microsoft.ML.AutoAssist;

/// <summary>Settings every TorchSharp Boss trainer shares: budget, optimizer, schedule, checkpoints, progress.</summary>
public abstract class BossTrainerOptions
{
    /// <summary>Label column (a key).</summary>
    public string LabelColumnName = "Label";

    /// <summary>Rows per optimizer step.</summary>
    public int BatchSize = 128;

    /// <summary>
    /// Training budget in passes over the data. With a selection method that skips rows an epoch is
    /// shorter, so the same budget costs less Boss compute. Ignored when <see cref="MaxSteps"/> is set.
    /// </summary>
    public int Epochs = 10;

    /// <summary>Budget in optimizer steps (equal Boss compute for every selection method); null: use <see cref="Epochs"/>.</summary>
    public long? MaxSteps;

    /// <summary>Optimizer.</summary>
    public OptimizerAlgorithm Optimizer = OptimizerAlgorithm.SgdNesterov;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate = 0.1;

    /// <summary>SGD momentum (Nesterov).</summary>
    public double Momentum = 0.9;

    /// <summary>Weight decay (L2 for SGD, decoupled for AdamW).</summary>
    public double WeightDecay = 5e-4;

    /// <summary>Learning-rate schedule over training progress, so it stays right when epochs change length.</summary>
    public LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Cosine;

    /// <summary>Share of training spent warming the learning rate up linearly from 0.</summary>
    public double WarmupFraction;

    /// <summary>Learning rate the cosine schedule ends at.</summary>
    public double MinLearningRate;

    /// <summary>Step decay: progress points (in (0, 1)) where the rate is multiplied by <see cref="StepDecayGamma"/>.</summary>
    public double[] StepDecayMilestones = [0.5, 0.75];

    /// <summary>Step decay factor.</summary>
    public double StepDecayGamma = 0.1;

    /// <summary>Validation data: the metric is computed on it every <see cref="EvaluationIntervalSteps"/> steps and at the end of each epoch.</summary>
    public IDataView? ValidationSet;

    /// <summary>Steps between validation measurements; null: only at the end of each epoch.</summary>
    public long? EvaluationIntervalSteps;

    /// <summary>Seed of the weights, the epoch order and the augmentation. Null: drawn from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>Folder for a checkpoint after each epoch; a later Fit with the same folder resumes from it.</summary>
    public string? CheckpointFolder;

    /// <summary>Receives a report after each epoch and each validation measurement.</summary>
    public IProgress<TrainingProgress>? Progress;

    /// <summary>Stops training (Fit throws <see cref="OperationCanceledException"/>; the last checkpoint stays).</summary>
    public CancellationToken CancellationToken;

    /// <summary>Threads TorchSharp may use on the CPU; null: TorchSharp's default.</summary>
    public int? TorchThreads;

    internal virtual void Validate()
    {
        static void Check(bool ok, string name, object? value, string rule)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
        }
        Check(!string.IsNullOrEmpty(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "must name the label column");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        Check(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        Check(MaxSteps is null || MaxSteps >= 1, nameof(MaxSteps), MaxSteps, "must be at least 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive");
        Check(WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be zero or positive");
        Check(WarmupFraction >= 0 && WarmupFraction < 1, nameof(WarmupFraction), WarmupFraction, "must be in [0, 1)");
        Check(EvaluationIntervalSteps is null || EvaluationIntervalSteps >= 1, nameof(EvaluationIntervalSteps), EvaluationIntervalSteps, "must be at least 1");
        Check(TorchThreads is null || TorchThreads >= 1, nameof(TorchThreads), TorchThreads, "must be at least 1");
    }
}
