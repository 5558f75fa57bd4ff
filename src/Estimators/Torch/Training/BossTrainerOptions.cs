namespace Microsoft.ML.AutoAssist;

/// <summary>Settings every TorchSharp Boss trainer shares: budget, optimizer, schedule, checkpoints, progress.</summary>
/// <remarks>
/// A trainer copies its options when it is created and validates the copy, so changing this object
/// afterwards does not change (or bypass the checks of) a trainer already made from it.
/// </remarks>
public abstract class BossTrainerOptions
{
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

    /// <summary>Peak learning rate, finite and positive.</summary>
    public double LearningRate = 0.1;

    /// <summary>SGD's Nesterov momentum, in (0, 1); AdamW ignores it.</summary>
    public double Momentum = 0.9;

    /// <summary>Weight decay (L2 for SGD, decoupled for AdamW), zero or positive.</summary>
    public double WeightDecay = 5e-4;

    /// <summary>
    /// Gradients are rescaled so their global L2 norm is at most this (clipping, as Transformers are
    /// usually trained); null: no clipping. Finite and positive.
    /// </summary>
    public double? MaxGradientNorm;

    /// <summary>Learning-rate schedule over training progress, so it stays right when epochs change length.</summary>
    public LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Cosine;

    /// <summary>Share of training spent warming the learning rate up linearly from 0, in [0, 1).</summary>
    public double WarmupFraction;

    /// <summary>Learning rate the cosine schedule ends at, in [0, <see cref="LearningRate"/>].</summary>
    public double MinLearningRate;

    /// <summary>Step decay: increasing progress points in (0, 1) where the rate is multiplied by <see cref="StepDecayGamma"/>.</summary>
    public double[] StepDecayMilestones = [0.5, 0.75];

    /// <summary>Step decay factor, in (0, 1].</summary>
    public double StepDecayGamma = 0.1;

    /// <summary>
    /// Validation data: the metric is computed on it every <see cref="EvaluationIntervalSteps"/> steps
    /// and at the end of each epoch (or, without <see cref="EvaluateAtEpochEnd"/>, at the last step);
    /// never twice at the same step.
    /// </summary>
    public IDataView? ValidationSet;

    /// <summary>Steps between validation measurements; null: only at the end of each epoch.</summary>
    public long? EvaluationIntervalSteps;

    /// <summary>
    /// Measure the validation metric at the end of each epoch (the default). Turn it off to measure
    /// only every <see cref="EvaluationIntervalSteps"/> steps and once at the last step, so that
    /// methods whose epochs differ in length are measured at the same steps (the benchmark harness's
    /// frontier does).
    /// </summary>
    public bool EvaluateAtEpochEnd = true;

    /// <summary>
    /// Steps between progress reports (to <see cref="Progress"/> and the MLContext log), besides the
    /// one at the end of each epoch; null: only at the end of each epoch.
    /// </summary>
    public long? ProgressIntervalSteps = 50;

    /// <summary>
    /// Seed of the weights, the epoch order and the augmentation, drawn from random generators the
    /// trainer owns (TorchSharp's global generator is neither seeded nor read). Null: drawn from the
    /// MLContext's seed.
    /// </summary>
    public int? Seed;

    /// <summary>
    /// Folder for a checkpoint after each epoch; a later Fit with the same folder resumes from it. A
    /// checkpoint records a fingerprint of the training data and of the settings that change
    /// training, and a Fit whose data or settings differ refuses to resume from it.
    /// </summary>
    public string? CheckpointFolder;

    /// <summary>Receives a report every <see cref="ProgressIntervalSteps"/> steps, after each validation measurement and once at the end of each epoch.</summary>
    public IProgress<TrainingProgress>? Progress;

    /// <summary>Stops training (Fit throws <see cref="OperationCanceledException"/>; the last checkpoint stays).</summary>
    public CancellationToken CancellationToken;

    /// <summary>
    /// Threads TorchSharp may use on the CPU; null: leave TorchSharp's setting alone. TorchSharp's
    /// intra-op thread count is global to the process: setting it here changes it for every other
    /// TorchSharp user in the process too (and the last trainer to start wins).
    /// </summary>
    public int? TorchThreads;

    /// <summary>A copy the trainer keeps; arrays are copied too, so later edits of this object cannot reach it.</summary>
    internal BossTrainerOptions Clone()
    {
        var copy = (BossTrainerOptions)MemberwiseClone();
        copy.StepDecayMilestones = (double[])StepDecayMilestones?.Clone()!;
        return copy;
    }

    /// <summary>
    /// The settings that change what training computes, by name, for the checkpoint fingerprint (a
    /// resume with other values is refused). Not here: validation, progress, checkpoint folder,
    /// cancellation and threads, which change how training is watched or run but not its result;
    /// the seed, which the trainer adds once it is resolved.
    /// </summary>
    internal virtual IEnumerable<KeyValuePair<string, object?>> TrainingSettings() =>
    [
        new(nameof(BatchSize), BatchSize),
        new(nameof(Epochs), Epochs),
        new(nameof(MaxSteps), MaxSteps),
        new(nameof(Optimizer), Optimizer),
        new(nameof(LearningRate), LearningRate),
        new(nameof(Momentum), Momentum),
        new(nameof(WeightDecay), WeightDecay),
        new(nameof(MaxGradientNorm), MaxGradientNorm),
        new(nameof(LearningRateSchedule), LearningRateSchedule),
        new(nameof(WarmupFraction), WarmupFraction),
        new(nameof(MinLearningRate), MinLearningRate),
        new(nameof(StepDecayMilestones), StepDecayMilestones),
        new(nameof(StepDecayGamma), StepDecayGamma),
    ];

    /// <summary>Checks every option under its public name; trainers call it when they are created.</summary>
    internal virtual void Validate()
    {
        void Check(bool ok, string name, object? value, string rule) => OptionCheck.That(ok, GetType().Name, name, value, rule);

        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        Check(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        Check(MaxSteps is null || MaxSteps >= 1, nameof(MaxSteps), MaxSteps, "must be at least 1");
        Check(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "is not a known optimizer");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be finite and positive");
        Check(Optimizer != OptimizerAlgorithm.SgdNesterov || (Momentum > 0 && Momentum < 1), nameof(Momentum), Momentum, "must be in (0, 1) for SgdNesterov");
        Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "must be finite and zero or positive");
        Check(Enum.IsDefined(LearningRateSchedule), nameof(LearningRateSchedule), LearningRateSchedule, "is not a known schedule");
        Check(MaxGradientNorm is null || (MaxGradientNorm > 0 && double.IsFinite(MaxGradientNorm.Value)), nameof(MaxGradientNorm), MaxGradientNorm, "must be finite and positive, or null");
        Check(WarmupFraction >= 0 && WarmupFraction < 1, nameof(WarmupFraction), WarmupFraction, "must be in [0, 1)");
        Check(LearningRateSchedule != LearningRateSchedule.InverseSquareRoot || WarmupFraction > 0, nameof(WarmupFraction), WarmupFraction,
            "must be above 0 for the InverseSquareRoot schedule");
        Check(MinLearningRate >= 0 && MinLearningRate <= LearningRate, nameof(MinLearningRate), MinLearningRate, $"must be in [0, LearningRate = {LearningRate}]");
        Check(StepDecayMilestones is not null && LearningRateScheduler.AreValidMilestones(StepDecayMilestones), nameof(StepDecayMilestones),
            StepDecayMilestones is null ? null : $"[{string.Join(", ", StepDecayMilestones)}]", "must be increasing fractions in (0, 1)");
        Check(StepDecayGamma > 0 && StepDecayGamma <= 1, nameof(StepDecayGamma), StepDecayGamma, "must be in (0, 1]");
        Check(EvaluationIntervalSteps is null || EvaluationIntervalSteps >= 1, nameof(EvaluationIntervalSteps), EvaluationIntervalSteps, "must be at least 1");
        Check(ProgressIntervalSteps is null || ProgressIntervalSteps >= 1, nameof(ProgressIntervalSteps), ProgressIntervalSteps, "must be at least 1");
        Check(CheckpointFolder is null || CheckpointFolder.Length > 0, nameof(CheckpointFolder), CheckpointFolder, "must be a folder path or null");
        Check(TorchThreads is null || TorchThreads >= 1, nameof(TorchThreads), TorchThreads, "must be at least 1");
    }

}
