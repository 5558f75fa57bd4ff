namespace Microsoft.ML.AutoAssist;

/// <summary>How AutoAssist turns a row's hardness h (in [0, 1]) into its chance of being kept.</summary>
public enum AutoAssistKeepRule
{
    /// <summary>P(keep) = base + (1 − base)·h, the paper's rule: every row may be dropped, easy ones more often.</summary>
    Proportional,

    /// <summary>
    /// Rows predicted hard (h ≥ 0.5) are always kept; rows predicted easy are kept with probability
    /// base. So at most a share 1 − base of the easy rows is dropped, and no hard row is.
    /// </summary>
    EasyOnly,
}

/// <summary>
/// AutoAssist instance shrinking (Zhang, Yu, Dhillon 2019): the filter's Assistant, trained on the
/// Boss's losses, predicts which rows are still hard, and the easy ones are dropped with a
/// probability set by <see cref="KeepRule"/>. The other settings bound, stratify, gate and
/// re-weight the dropping.
/// </summary>
public sealed class AutoAssistOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "AutoAssist";

    /// <summary>
    /// The keep floor: with the <see cref="AutoAssistKeepRule.Proportional"/> rule every row is kept
    /// with at least this probability; with <see cref="AutoAssistKeepRule.EasyOnly"/> it is the
    /// probability of keeping a row predicted easy. In (0, 1]. Measured (docs/benchmarks.md, the
    /// settings study at equal passes): 0.5 kept more rows and ended higher, 0.15 saved compute and
    /// ended lower; 0.3 is the paper's.
    /// </summary>
    public float BaseKeepProbability = 0.3f;

    /// <summary>
    /// How a row's hardness becomes its chance of being kept. Measured (docs/benchmarks.md, the
    /// settings study at equal budget): EasyOnly kept fewer rows and ended 0.24 points below the
    /// paper's Proportional rule on validation, so Proportional stays the default.
    /// </summary>
    public AutoAssistKeepRule KeepRule = AutoAssistKeepRule.Proportional;

    /// <summary>The first pass over the data keeps every row while the Assistant learns (the paper's choice; not varied in the studies).</summary>
    public bool FirstPassKeepsAll = true;

    /// <summary>Momentum of the loss threshold, an EMA of the Boss's batch mean loss. In [0, 1). Measured: 0.95 instead of 0.75 changed little.</summary>
    public float ThresholdMomentum = 0.75f;

    /// <summary>Raise the keep floor to max(base, 1 − confidence) each epoch, confidence being the Assistant's accuracy EMA (the authors' option; not measured here).</summary>
    public bool AdaptiveFloor;

    /// <summary>
    /// Weight kept rows by 1 / P(keep) so that the expected gradient is unbiased. On by default: in
    /// the study recorded in docs/benchmarks.md it gave a higher final accuracy than unweighted
    /// shrinking at the same compute on every seed.
    /// </summary>
    public bool Reweight = true;

    /// <summary>
    /// The last share of training (by the trainer's progress: steps under a step budget) keeps every
    /// row; it starts at its step, mid-epoch if need be. In [0, 1). Measured (the settings study at
    /// equal budget): 0.125 ended 0.07 points below none on validation, within the noise; off.
    /// </summary>
    public float FinalFullDataFraction;

    /// <summary>
    /// How much a row's own last loss counts next to the Assistant. A row's hardness is
    /// w·m + (1 − w)·p, where m = min(1, last reported loss / threshold), p the Assistant's
    /// prediction, and w = discount^age, age being the passes since the loss was reported (at least
    /// 1). Rows never reported use p alone. 0: the Assistant alone (the paper); 1: the last loss
    /// whenever there is one (with the proportional rule, importance sampling by loss with a floor).
    /// In [0, 1]. Default 0.5: of the settings study's single changes (docs/benchmarks.md, "AutoAssist
    /// settings study at equal budget"), it had the highest mean validation accuracy, though its gain
    /// over the Assistant alone is within the seeds' spread.
    /// </summary>
    public float StalenessDiscount = 0.5f;

    /// <summary>
    /// Every class keeps at least this share of its rows in expectation: where the rule would drop
    /// more of a class, that class's drop probabilities are scaled down (the kept rows' weights
    /// follow). Needs the filter's <see cref="AutoAssistFilterOptions.LabelColumnName"/> to be a key
    /// column; otherwise it has no effect. 0: no minimum. In [0, 1]. Measured (the settings study at
    /// equal budget): 0.5 evened the classes' kept shares and ended 0.15 points below none on
    /// validation (no seed above); off.
    /// </summary>
    public float MinClassKeepShare;

    /// <summary>
    /// The evidence gate: every row is kept until the Assistant's ROC AUC over its recent feedback
    /// (scored before it learned from it) reaches this, checked when an epoch opens; once reached,
    /// the gate stays open. 0: no gate. In [0, 1). Measured (the settings study at equal budget,
    /// 0.75 with <see cref="ShrinkRampEpochs"/> 1): 0.10 points below no gate on validation, within
    /// the noise; off. The Assistant's AUC on Fashion-MNIST pixels is about 0.8 after one pass.
    /// </summary>
    public float MinAssistantAuc;

    /// <summary>
    /// Shrinking starts gradually: the k-th epoch that may drop rows (k = 0, 1, ...) drops
    /// (k + 1) / (ramp + 1) of what the rule says, so the full rule applies from epoch k = ramp on.
    /// 0: at once. At least 0. Measured only together with the gate (see <see cref="MinAssistantAuc"/>); off.
    /// </summary>
    public int ShrinkRampEpochs;

    /// <summary>
    /// Scale each training batch's weights to average 1 (see <see cref="SelectiveTrainingSession.NormalizesWeightsPerBatch"/>):
    /// re-weighting then shifts how much each row counts within a step without changing the step's size.
    /// Measured (the settings study at equal budget): 0.35 points below not normalising on validation,
    /// on every seed; off.
    /// </summary>
    public bool NormalizeWeightsPerBatch;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    /// <remarks>2: the keep rule, staleness discount, class minimum, evidence gate, ramp and per-batch normalisation.</remarks>
    public override int OptionsVersion => 2;

    /// <inheritdoc/>
    public override bool UsesAssistant => true;

    /// <inheritdoc/>
    public override void Validate()
    {
        Check(BaseKeepProbability > 0 && BaseKeepProbability <= 1, nameof(BaseKeepProbability), BaseKeepProbability,
            "must be in (0, 1]; 0 could keep zero rows once the Assistant is confident");
        Check(Enum.IsDefined(KeepRule), nameof(KeepRule), KeepRule, "must be Proportional or EasyOnly");
        Check(ThresholdMomentum >= 0 && ThresholdMomentum < 1, nameof(ThresholdMomentum), ThresholdMomentum, "must be in [0, 1)");
        Check(FinalFullDataFraction >= 0 && FinalFullDataFraction < 1, nameof(FinalFullDataFraction), FinalFullDataFraction, "must be in [0, 1)");
        Check(StalenessDiscount >= 0 && StalenessDiscount <= 1, nameof(StalenessDiscount), StalenessDiscount, "must be in [0, 1]");
        Check(MinClassKeepShare >= 0 && MinClassKeepShare <= 1, nameof(MinClassKeepShare), MinClassKeepShare, "must be in [0, 1]");
        Check(MinAssistantAuc >= 0 && MinAssistantAuc < 1, nameof(MinAssistantAuc), MinAssistantAuc, "must be in [0, 1); an AUC of 1 is never measured on real feedback");
        Check(ShrinkRampEpochs >= 0, nameof(ShrinkRampEpochs), ShrinkRampEpochs, "must be at least 0");
    }

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context)
        => new AutoAssistPolicy(context.Assistant ?? throw new ArgumentException("AutoAssist selection needs the filter's Assistant.", nameof(context)), context, this);

    /// <inheritdoc/>
    public override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(BaseKeepProbability);
        writer.Write(FirstPassKeepsAll);
        writer.Write(ThresholdMomentum);
        writer.Write(AdaptiveFloor);
        writer.Write(Reweight);
        writer.Write(FinalFullDataFraction);
        writer.Write((int)KeepRule);
        writer.Write(StalenessDiscount);
        writer.Write(MinClassKeepShare);
        writer.Write(MinAssistantAuc);
        writer.Write(ShrinkRampEpochs);
        writer.Write(NormalizeWeightsPerBatch);
    }

    /// <summary>
    /// Sets every setting layout 1 did not have to the value that selects as layout 1 did (the
    /// paper's rule, nothing added), whatever today's defaults are: for models saved before them.
    /// </summary>
    internal void SelectAsLayout1()
    {
        KeepRule = AutoAssistKeepRule.Proportional;
        StalenessDiscount = 0;
        MinClassKeepShare = 0;
        MinAssistantAuc = 0;
        ShrinkRampEpochs = 0;
        NormalizeWeightsPerBatch = false;
    }

    /// <inheritdoc/>
    /// <remarks>Layout 1 predates the settings of layout 2; a model saved then selects as it did (the paper's rule, nothing added).</remarks>
    public override void LoadOptions(BinaryReader reader, int version)
    {
        BaseKeepProbability = reader.ReadSingle();
        FirstPassKeepsAll = reader.ReadBoolean();
        ThresholdMomentum = reader.ReadSingle();
        AdaptiveFloor = reader.ReadBoolean();
        Reweight = reader.ReadBoolean();
        FinalFullDataFraction = reader.ReadSingle();
        if (version < 2)
        {
            SelectAsLayout1();
            return;
        }
        KeepRule = (AutoAssistKeepRule)reader.ReadInt32();
        StalenessDiscount = reader.ReadSingle();
        MinClassKeepShare = reader.ReadSingle();
        MinAssistantAuc = reader.ReadSingle();
        ShrinkRampEpochs = reader.ReadInt32();
        NormalizeWeightsPerBatch = reader.ReadBoolean();
    }
}

/// <summary>
/// AutoAssist's keep rule. The Assistant learns target = 1 when the Boss's loss on a row exceeds a
/// running threshold (an EMA of the Boss's batch mean loss). When an epoch opens, each row's
/// hardness comes from the Assistant and, discounted by its age, the row's own last loss; the keep
/// rule turns it into a drop probability, which the ramp and the class minimum then scale down.
/// Its state: the threshold, the gate, the ramp's position, the Assistant's measured quality and
/// the class prior it is compared with (the Assistant saves its own).
/// </summary>
internal sealed class AutoAssistPolicy : SelectionPolicy
{
    private readonly IAssistant _assistant;
    private readonly AutoAssistOptions _options;
    private readonly LossHistory _losses;
    private readonly ReadOnlyMemory<uint> _classes;
    private readonly int _classCount;
    private readonly AssistantQuality _quality = new();
    private readonly AssistantQuality _priorQuality = new();
    private readonly ClassPrior _prior;
    private float[] _scores = new float[256];
    private float[] _targets = new float[256];
    private float[] _priorScores = new float[256];
    private double _threshold = double.NaN;
    private bool _keepAll;
    private float _base;
    private int _epoch;
    private float _rampScale = 1f;
    // Saved: whether the evidence gate has opened, and how many epochs have dropped rows so far (the ramp's position).
    private bool _gateOpen;
    private int _shrinkingEpochs;

    public AutoAssistPolicy(IAssistant assistant, SelectionContext context, AutoAssistOptions options)
    {
        _assistant = assistant;
        _options = options;
        _losses = context.Losses;
        _classes = context.Classes;
        _classCount = context.ClassCount;
        _prior = new ClassPrior(context.Classes, context.ClassCount);
        _base = options.BaseKeepProbability;
    }

    /// <summary>The current loss threshold (NaN before the first feedback).</summary>
    public double Threshold => Volatile.Read(ref _threshold);

    public override bool NormalizesWeightsPerBatch => _options.NormalizeWeightsPerBatch;

    public override void OnEpochStart(int epoch, double progress)
    {
        _epoch = epoch;
        if (!_gateOpen)
            _gateOpen = _options.MinAssistantAuc <= 0 || _quality.Auc() >= _options.MinAssistantAuc;
        _keepAll = (epoch == 0 && _options.FirstPassKeepsAll) || !_gateOpen || InFinalFullDataPhase(progress, _options.FinalFullDataFraction);
        _base = _options.AdaptiveFloor
            ? (float)Math.Max(_options.BaseKeepProbability, 1 - _quality.Confidence)
            : _options.BaseKeepProbability;
        if (!_keepAll && _base < 1f)
        {
            _rampScale = Math.Min(1f, (_shrinkingEpochs + 1f) / (_options.ShrinkRampEpochs + 1f));
            _shrinkingEpochs++;
        }
    }

    public override bool OnProgress(double progress)
    {
        if (_keepAll || !InFinalFullDataPhase(progress, _options.FinalFullDataFraction))
            return false;
        _keepAll = true;
        return true;
    }

    public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
    {
        // With a floor of 1 every row is kept at weight 1 whatever the Assistant says, so it is not asked.
        if (_keepAll || _base >= 1f)
        {
            weights.Fill(1f);
            return;
        }
        var drop = new float[rows.Length];
        _assistant.Score(rows, drop);
        for (int i = 0; i < rows.Length; i++)
            drop[i] = DropProbability(Hardness(rows[i], drop[i])) * _rampScale;
        if (_options.MinClassKeepShare > 0 && !_classes.IsEmpty)
            BoundPerClass(rows, drop);
        for (int i = 0; i < rows.Length; i++)
        {
            float keep = 1 - drop[i];
            weights[i] = random.NextSingle() < keep ? (_options.Reweight ? 1f / keep : 1f) : 0f;
        }
    }

    /// <summary>The row's hardness: the Assistant's prediction, blended with the row's own last verdict by its age.</summary>
    private float Hardness(int row, float predicted)
    {
        float discount = _options.StalenessDiscount;
        int reportedIn = _losses.EpochOf(row);
        if (discount <= 0 || reportedIn < 0 || double.IsNaN(_threshold))
            return predicted;
        int age = Math.Max(1, _epoch - reportedIn);
        // The loss as a share of the threshold, capped at 1: graded, so that with the proportional rule
        // a fresh row is kept with a probability that grows with its loss (importance sampling with a floor).
        float memory = _threshold > 0 ? Math.Min(1f, _losses[row] / (float)_threshold) : _losses[row] > _threshold ? 1f : 0f;
        float w = MathF.Pow(discount, age);
        return w * memory + (1 - w) * predicted;
    }

    private float DropProbability(float hardness) => _options.KeepRule switch
    {
        AutoAssistKeepRule.EasyOnly => hardness >= 0.5f ? 0f : 1 - _base,
        _ => (1 - _base) * (1 - hardness),
    };

    /// <summary>Scales down the drop probabilities of every class whose expected kept share of <paramref name="rows"/> would fall below the minimum.</summary>
    private void BoundPerClass(ReadOnlySpan<int> rows, Span<float> drop)
    {
        var classes = _classes.Span;
        var expectedDrops = new double[_classCount + 1];
        var counts = new int[_classCount + 1];
        for (int i = 0; i < rows.Length; i++)
        {
            uint c = classes[rows[i]];
            expectedDrops[c] += drop[i];
            counts[c]++;
        }
        var scale = new float[_classCount + 1];
        for (int c = 0; c <= _classCount; c++)
        {
            double allowed = (1 - (double)_options.MinClassKeepShare) * counts[c];
            scale[c] = expectedDrops[c] > allowed ? (float)(allowed / expectedDrops[c]) : 1f;
        }
        for (int i = 0; i < rows.Length; i++)
            drop[i] *= scale[classes[rows[i]]];
    }

    public override void OnFeedback(ReadOnlySpan<int> rows, ReadOnlySpan<float> losses)
    {
        double mean = 0;
        foreach (var loss in losses)
            mean += loss;
        mean /= Math.Max(1, losses.Length);
        double momentum = _options.ThresholdMomentum;
        double threshold = double.IsNaN(_threshold) ? mean : momentum * _threshold + (1 - momentum) * mean;
        Volatile.Write(ref _threshold, threshold);

        if (_scores.Length < rows.Length)
        {
            _scores = new float[rows.Length];
            _targets = new float[rows.Length];
            _priorScores = new float[rows.Length];
        }
        var targets = _targets.AsSpan(0, rows.Length);
        for (int i = 0; i < rows.Length; i++)
            targets[i] = losses[i] > threshold ? 1f : 0f;
        // Score before learning, so accuracy and AUC measure prediction, not memory.
        var scores = _scores.AsSpan(0, rows.Length);
        _assistant.ScoreThenUpdate(rows, targets, scores);
        _quality.Add(scores, targets);
        if (_prior.HasClasses)
        {
            var priorScores = _priorScores.AsSpan(0, rows.Length);
            _prior.ScoreThenUpdate(rows, targets, priorScores);
            _priorQuality.Add(priorScores, targets);
        }
    }

    public override void Describe(EpochStatistics statistics)
    {
        statistics.Threshold = Threshold;
        statistics.AssistantAccuracy = _quality.TakeAccuracy();
        statistics.AssistantAuc = _quality.Auc();
        statistics.AssistantConfidence = _quality.Confidence;
        statistics.BaseKeepProbability = _base;
        if (_prior.HasClasses)
            statistics.ClassPriorAuc = _priorQuality.Auc();
    }

    public override void SaveState(BinaryWriter writer)
    {
        writer.Write(_threshold);
        _quality.Save(writer);
        writer.Write(_gateOpen);
        writer.Write(_shrinkingEpochs);
        _priorQuality.Save(writer);
        _prior.Save(writer);
    }

    public override void LoadState(BinaryReader reader)
    {
        _threshold = reader.ReadDouble();
        _quality.Load(reader);
        // States saved before the gate, the ramp and the class prior end here: the gate counts as open, the ramp as done.
        if (reader.BaseStream.Position == reader.BaseStream.Length)
        {
            _gateOpen = true;
            _shrinkingEpochs = _options.ShrinkRampEpochs;
            return;
        }
        _gateOpen = reader.ReadBoolean();
        _shrinkingEpochs = reader.ReadInt32();
        _priorQuality.Load(reader);
        _prior.Load(reader);
    }
}
