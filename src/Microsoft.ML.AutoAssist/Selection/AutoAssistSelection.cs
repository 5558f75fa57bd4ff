namespace Microsoft.ML.AutoAssist;

/// <summary>
/// AutoAssist instance shrinking (Zhang, Yu, Dhillon 2019): the filter's Assistant, trained on the
/// Boss's losses, predicts which rows are still hard; a row is kept with probability
/// base + (1 − base)·p(hard).
/// </summary>
public sealed class AutoAssistOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "AutoAssist";

    /// <summary>Every row is kept with at least this probability; P(keep) = base + (1 − base)·p(hard). In (0, 1].</summary>
    public float BaseKeepProbability = 0.3f;

    /// <summary>The first pass over the data keeps every row while the Assistant learns.</summary>
    public bool FirstPassKeepsAll = true;

    /// <summary>Momentum of the loss threshold, an EMA of the Boss's batch mean loss. In [0, 1).</summary>
    public float ThresholdMomentum = 0.75f;

    /// <summary>Raise the keep floor to max(base, 1 − confidence) each epoch, confidence being the Assistant's accuracy EMA.</summary>
    public bool AdaptiveFloor;

    /// <summary>
    /// Weight kept rows by 1 / P(keep) so that the expected gradient is unbiased. On by default: in
    /// the study recorded in docs/benchmarks.md it gave a higher final accuracy than unweighted
    /// shrinking at the same compute on every seed.
    /// </summary>
    public bool Reweight = true;

    /// <summary>The last share of training (by the trainer's progress: steps under a step budget) keeps every row; it starts at its step, mid-epoch if need be. In [0, 1).</summary>
    public float FinalFullDataFraction;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override bool UsesAssistant => true;

    /// <inheritdoc/>
    public override void Validate()
    {
        Check(BaseKeepProbability > 0 && BaseKeepProbability <= 1, nameof(BaseKeepProbability), BaseKeepProbability,
            "must be in (0, 1]; 0 could keep zero rows once the Assistant is confident");
        Check(ThresholdMomentum >= 0 && ThresholdMomentum < 1, nameof(ThresholdMomentum), ThresholdMomentum, "must be in [0, 1)");
        Check(FinalFullDataFraction >= 0 && FinalFullDataFraction < 1, nameof(FinalFullDataFraction), FinalFullDataFraction, "must be in [0, 1)");
    }

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context)
        => new AutoAssistPolicy(context.Assistant ?? throw new ArgumentException("AutoAssist selection needs the filter's Assistant.", nameof(context)), this);

    /// <inheritdoc/>
    public override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(BaseKeepProbability);
        writer.Write(FirstPassKeepsAll);
        writer.Write(ThresholdMomentum);
        writer.Write(AdaptiveFloor);
        writer.Write(Reweight);
        writer.Write(FinalFullDataFraction);
    }

    /// <inheritdoc/>
    public override void LoadOptions(BinaryReader reader, int version)
    {
        BaseKeepProbability = reader.ReadSingle();
        FirstPassKeepsAll = reader.ReadBoolean();
        ThresholdMomentum = reader.ReadSingle();
        AdaptiveFloor = reader.ReadBoolean();
        Reweight = reader.ReadBoolean();
        FinalFullDataFraction = reader.ReadSingle();
    }
}

/// <summary>
/// AutoAssist's keep rule. The Assistant learns target = 1 when the Boss's loss on a row exceeds a
/// running threshold (an EMA of the Boss's batch mean loss). A row is kept with probability
/// base + (1 − base)·p(hard); the first pass keeps everything (the Assistant has seen nothing yet).
/// Its state: the threshold and the Assistant's measured quality (the Assistant saves its own).
/// </summary>
internal sealed class AutoAssistPolicy : SelectionPolicy
{
    private readonly IAssistant _assistant;
    private readonly AutoAssistOptions _options;
    private readonly AssistantQuality _quality = new();
    private float[] _scores = new float[256];
    private float[] _targets = new float[256];
    private double _threshold = double.NaN;
    private bool _keepAll;
    private float _base;

    public AutoAssistPolicy(IAssistant assistant, AutoAssistOptions options)
    {
        _assistant = assistant;
        _options = options;
        _base = options.BaseKeepProbability;
    }

    /// <summary>The current loss threshold (NaN before the first feedback).</summary>
    public double Threshold => Volatile.Read(ref _threshold);

    public override void OnEpochStart(int epoch, double progress)
    {
        _keepAll = (epoch == 0 && _options.FirstPassKeepsAll) || InFinalFullDataPhase(progress, _options.FinalFullDataFraction);
        _base = _options.AdaptiveFloor
            ? (float)Math.Max(_options.BaseKeepProbability, 1 - _quality.Confidence)
            : _options.BaseKeepProbability;
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
        var p = new float[rows.Length];
        _assistant.Score(rows, p);
        float floor = _base;
        for (int i = 0; i < rows.Length; i++)
        {
            float keep = floor + (1 - floor) * p[i];
            weights[i] = random.NextSingle() < keep ? (_options.Reweight ? 1f / keep : 1f) : 0f;
        }
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
        }
        var targets = _targets.AsSpan(0, rows.Length);
        for (int i = 0; i < rows.Length; i++)
            targets[i] = losses[i] > threshold ? 1f : 0f;
        // Score before learning, so accuracy and AUC measure prediction, not memory.
        var scores = _scores.AsSpan(0, rows.Length);
        _assistant.ScoreThenUpdate(rows, targets, scores);
        _quality.Add(scores, targets);
    }

    public override void Describe(EpochStatistics statistics)
    {
        statistics.Threshold = Threshold;
        statistics.AssistantAccuracy = _quality.TakeAccuracy();
        statistics.AssistantAuc = _quality.Auc();
        statistics.AssistantConfidence = _quality.Confidence;
        statistics.BaseKeepProbability = _base;
    }

    public override void SaveState(BinaryWriter writer)
    {
        writer.Write(_threshold);
        _quality.Save(writer);
    }

    public override void LoadState(BinaryReader reader)
    {
        _threshold = reader.ReadDouble();
        _quality.Load(reader);
    }
}
