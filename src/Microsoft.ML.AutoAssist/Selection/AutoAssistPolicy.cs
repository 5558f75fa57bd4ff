
namespace Microsoft.ML.AutoAssist;

/// <summary>
/// AutoAssist's keep rule. The Assistant learns target = 1 when the Boss's loss on a row exceeds a
/// running threshold (an EMA of the Boss's batch mean loss). A row is kept with probability
/// base + (1 − base)·p(hard); the first pass keeps everything (the Assistant has seen nothing yet).
/// Options: an adaptive floor max(base, 1 − confidence), re-weighting kept rows by 1 / P(keep), and a
/// final full-data phase.
/// </summary>
internal sealed class AutoAssistPolicy : SelectionPolicy
{
    private readonly IAssistant _assistant;
    private readonly AutoAssistFilterOptions _options;
    private readonly AssistantQuality _quality = new();
    private float[] _scores = new float[256];
    private float[] _targets = new float[256];
    private double _threshold = double.NaN;
    private bool _keepAll;
    private float _base;

    public AutoAssistPolicy(LossHistory losses, IAssistant assistant, AutoAssistFilterOptions options) : base(losses)
    {
        _assistant = assistant;
        _options = options;
        _base = options.BaseKeepProbability;
    }

    public override SelectionMethod Method => SelectionMethod.AutoAssist;

    /// <summary>The current loss threshold (NaN before the first feedback).</summary>
    public double Threshold => Volatile.Read(ref _threshold);

    public override void OnEpochStart(int epoch, double progress)
    {
        _keepAll = (epoch == 0 && _options.FirstPassKeepsAll) || InFinalFullDataPhase(progress, _options.FinalFullDataFraction);
        _base = _options.AdaptiveFloor
            ? (float)Math.Max(_options.BaseKeepProbability, 1 - _quality.Confidence)
            : _options.BaseKeepProbability;
    }

    // With a floor of 1 every row is kept at weight 1 whatever the Assistant says, so it is not asked.
    public override bool KeepsEveryRow => _keepAll || _base >= 1f;

    public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
    {
        if (KeepsEveryRow)
        {
            weights.Fill(1f);
            return;
        }
        Span<float> p = rows.Length <= 1024 ? stackalloc float[rows.Length] : new float[rows.Length];
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
}
