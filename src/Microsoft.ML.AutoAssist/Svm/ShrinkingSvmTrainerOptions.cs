namespace Microsoft.ML.AutoAssist;

/// <summary>The loss of the linear SVM.</summary>
public enum SvmLoss
{
    /// <summary>max(0, 1 − y·w·x): LIBLINEAR's L1-loss SVM.</summary>
    Hinge,

    /// <summary>max(0, 1 − y·w·x)²: LIBLINEAR's L2-loss SVM (smooth).</summary>
    SquaredHinge,
}

/// <summary>Which training row each stochastic step visits, and whether it updates on it.</summary>
public enum SvmInstanceSelection
{
    /// <summary>Every row once per epoch, in a new random order each epoch; every visit updates (plain Pegasos).</summary>
    Uniform,

    /// <summary>
    /// Importance sampling: each epoch draws n rows with probability proportional to the row's
    /// objective term (λ/2·‖w‖² plus its loss), from an alias table rebuilt at the start of the epoch;
    /// the loss's step is scaled by 1/(n·p) so that the gradient stays unbiased.
    /// </summary>
    LossImportance,

    /// <summary>
    /// Importance sampling as <see cref="LossImportance"/>, but with probability proportional to the
    /// norm of the row's gradient ‖λw + ∇loss‖ at the start of the epoch.
    /// </summary>
    GradientNormImportance,

    /// <summary>
    /// AutoAssist instance shrinking as the paper's authors coded it: every row once per epoch in a
    /// random order, but a row updates the model only if u₁ &lt; <see cref="ShrinkingSvmTrainerOptions.BaseKeepProbability"/>
    /// or u₂ &lt; g − ε/(t+1), where g is ‖x‖ while the hinge is active and 0 otherwise, ε is
    /// <see cref="ShrinkingSvmTrainerOptions.ShrinkingTolerance"/> and t counts the rows visited.
    /// Skipped rows are not re-weighted.
    /// </summary>
    AutoAssistShrinking,
}

/// <summary>Options of <c>mlContext.BinaryClassification.Trainers.ShrinkingSvm</c>.</summary>
public sealed class ShrinkingSvmTrainerOptions
{
    /// <summary>Boolean label column (true is the positive class).</summary>
    public string LabelColumnName = "Label";

    /// <summary>Known-size vector of Single feature column, dense or sparse.</summary>
    public string FeatureColumnName = "Features";

    /// <summary>
    /// LIBLINEAR's cost C, positive. The objective is λ/2·‖w‖² + (1/n)·Σ loss(yᵢ·w·xᵢ) with λ = 1/(C·n),
    /// which is LIBLINEAR's ½‖w‖² + C·Σ loss divided by C·n.
    /// </summary>
    public double Cost = 1.0;

    /// <summary>Hinge (default) or squared hinge.</summary>
    public SvmLoss Loss = SvmLoss.Hinge;

    /// <summary>How rows are visited; AutoAssist shrinking by default.</summary>
    public SvmInstanceSelection Selection = SvmInstanceSelection.AutoAssistShrinking;

    /// <summary>Passes over the data, each visiting n rows. At least 1.</summary>
    public int NumberOfEpochs = 20;

    /// <summary>t₀ of the step size 1/(λ(t + t₀)), t counting rows visited. At least 1; the authors use 100.</summary>
    public double StepOffset = 100;

    /// <summary>
    /// Value of a constant feature appended to every row, as LIBLINEAR's -B: its weight, times this
    /// value, is the model's bias. The bias is therefore regularised with the other weights. 0: no bias.
    /// Finite and not negative.
    /// </summary>
    public float BiasFeatureValue = 1f;

    /// <summary>Shrinking only: every row updates with at least this probability (the authors' 0.3). In (0, 1].</summary>
    public double BaseKeepProbability = 0.3;

    /// <summary>Shrinking only: ε of the keep rule u₂ &lt; g − ε/(t+1) (the authors' code defaults it to 1). Not negative.</summary>
    public double ShrinkingTolerance = 1.0;

    /// <summary>Seed of the visiting order and the keep decisions. Null: drawn from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>Checked between blocks of rows; a cancelled token stops Fit with an <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken;

    internal ShrinkingSvmTrainerOptions Clone() => (ShrinkingSvmTrainerOptions)MemberwiseClone();

    internal void Validate()
    {
        const string owner = nameof(ShrinkingSvmTrainerOptions);
        OptionCheck.That(!string.IsNullOrEmpty(LabelColumnName), owner, nameof(LabelColumnName), LabelColumnName, "must name a column");
        OptionCheck.That(!string.IsNullOrEmpty(FeatureColumnName), owner, nameof(FeatureColumnName), FeatureColumnName, "must name a column");
        OptionCheck.That(double.IsFinite(Cost) && Cost > 0, owner, nameof(Cost), Cost, "must be positive and finite");
        OptionCheck.That(Enum.IsDefined(Loss), owner, nameof(Loss), Loss, "must be a defined SvmLoss");
        OptionCheck.That(Enum.IsDefined(Selection), owner, nameof(Selection), Selection, "must be a defined SvmInstanceSelection");
        OptionCheck.That(NumberOfEpochs >= 1, owner, nameof(NumberOfEpochs), NumberOfEpochs, "must be at least 1");
        OptionCheck.That(double.IsFinite(StepOffset) && StepOffset >= 1, owner, nameof(StepOffset), StepOffset, "must be at least 1 and finite");
        OptionCheck.That(float.IsFinite(BiasFeatureValue) && BiasFeatureValue >= 0, owner, nameof(BiasFeatureValue), BiasFeatureValue, "must be finite and not negative");
        OptionCheck.That(BaseKeepProbability > 0 && BaseKeepProbability <= 1, owner, nameof(BaseKeepProbability), BaseKeepProbability, "must be in (0, 1]");
        OptionCheck.That(double.IsFinite(ShrinkingTolerance) && ShrinkingTolerance >= 0, owner, nameof(ShrinkingTolerance), ShrinkingTolerance, "must be finite and not negative");
    }
}
