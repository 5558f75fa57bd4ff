namespace Microsoft.ML.AutoAssist;

/// <summary>
/// How well the Assistant predicts the Boss: accuracy and ROC AUC of its scores (taken before it
/// learns from a batch) against the targets of that batch, over a window of recent rows, and the
/// confidence EMA the adaptive keep floor uses.
/// </summary>
internal sealed class AssistantQuality
{
    private readonly object _gate = new();
    private readonly float[] _scores;
    private readonly bool[] _targets;
    private int _count;
    private int _next;
    private long _seen;
    private long _correct;

    public AssistantQuality(int window = 8192)
    {
        _scores = new float[window];
        _targets = new bool[window];
    }

    /// <summary>EMA (0.95 / 0.05) of the per-batch accuracy, as in the authors' translation code.</summary>
    public double Confidence { get; private set; }

    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        if (scores.IsEmpty)
            return;
        lock (_gate)
        {
            int batchCorrect = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                bool target = targets[i] > 0.5f;
                if ((scores[i] > 0.5f) == target)
                    batchCorrect++;
                _scores[_next] = scores[i];
                _targets[_next] = target;
                _next = (_next + 1) % _scores.Length;
                _count = Math.Min(_count + 1, _scores.Length);
            }
            _seen += scores.Length;
            _correct += batchCorrect;
            double accuracy = (double)batchCorrect / scores.Length;
            Confidence = _seen == scores.Length ? accuracy : 0.95 * Confidence + 0.05 * accuracy;
        }
    }

    /// <summary>Accuracy over all rows seen since the last <see cref="TakeAccuracy"/>; NaN if none.</summary>
    public double TakeAccuracy()
    {
        lock (_gate)
        {
            double accuracy = _seen == 0 ? double.NaN : (double)_correct / _seen;
            _seen = 0;
            _correct = 0;
            return accuracy;
        }
    }

    /// <summary>ROC AUC of the window (Mann–Whitney U with ties counted half); NaN when one class is absent.</summary>
    public double Auc()
    {
        float[] scores;
        bool[] targets;
        lock (_gate)
        {
            scores = _scores.AsSpan(0, _count).ToArray();
            targets = _targets.AsSpan(0, _count).ToArray();
        }
        return ComputeAuc(scores, targets);
    }

    /// <summary>Writes the window, the accuracy counts and the confidence (a session checkpoint).</summary>
    public void Save(BinaryWriter writer)
    {
        lock (_gate)
        {
            writer.Write(_scores.Length);
            writer.Write(_count);
            writer.Write(_next);
            writer.Write(_seen);
            writer.Write(_correct);
            writer.Write(Confidence);
            for (int i = 0; i < _count; i++)
            {
                writer.Write(_scores[i]);
                writer.Write(_targets[i]);
            }
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Load(BinaryReader reader)
    {
        lock (_gate)
        {
            int window = reader.ReadInt32();
            if (window != _scores.Length)
                throw new InvalidDataException($"The saved Assistant quality window holds {window} rows, this one {_scores.Length}.");
            _count = reader.ReadInt32();
            _next = reader.ReadInt32();
            _seen = reader.ReadInt64();
            _correct = reader.ReadInt64();
            Confidence = reader.ReadDouble();
            for (int i = 0; i < _count; i++)
            {
                _scores[i] = reader.ReadSingle();
                _targets[i] = reader.ReadBoolean();
            }
        }
    }

    internal static double ComputeAuc(float[] scores, bool[] targets)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSumPositive = 0;
        long positives = 0;
        int k = 0;
        while (k < order.Length)
        {
            int end = k;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[k]])
                end++;
            double averageRank = (k + end) / 2.0 + 1;
            for (int t = k; t <= end; t++)
            {
                if (targets[order[t]])
                {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }
            k = end + 1;
        }
        long negatives = order.Length - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
