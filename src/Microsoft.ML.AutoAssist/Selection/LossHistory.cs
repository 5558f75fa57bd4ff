namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The Boss's last reported loss of every cached row (NaN until first reported), and the epoch it
/// was reported in. Written on the trainer's thread when it reports; policies read it when an
/// epoch starts.
/// </summary>
public sealed class LossHistory
{
    private readonly float[] _last;
    private readonly int[] _epoch;

    internal LossHistory(int rowCount)
    {
        _last = new float[rowCount];
        _epoch = new int[rowCount];
        Array.Fill(_last, float.NaN);
        Array.Fill(_epoch, -1);
    }

    /// <summary>The last loss reported for cache row <paramref name="row"/>; NaN when none was.</summary>
    public float this[int row] => _last[row];

    /// <summary>The 0-based epoch in which row <paramref name="row"/>'s last loss was reported; −1 when none was.</summary>
    public int EpochOf(int row) => _epoch[row];

    /// <summary>Number of cached rows.</summary>
    public int Count => _last.Length;

    internal void Record(int row, float loss, int epoch)
    {
        _last[row] = loss;
        _epoch[row] = epoch;
    }

    /// <summary>Mean over the rows reported so far; NaN when none was.</summary>
    public double MeanOfReported()
    {
        double sum = 0;
        int count = 0;
        foreach (var loss in _last)
        {
            if (!float.IsNaN(loss))
            {
                sum += loss;
                count++;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }

    internal void Save(BinaryWriter writer)
    {
        writer.Write(_last.Length);
        foreach (var loss in _last)
            writer.Write(loss);
        foreach (var epoch in _epoch)
            writer.Write(epoch);
    }

    /// <param name="reader">What <see cref="Save"/> wrote.</param>
    /// <param name="withEpochs">False for session states before version 3, which saved no epochs: a reported row then counts as reported in <paramref name="lastEpoch"/>.</param>
    /// <param name="lastEpoch">The last epoch the saved session ran.</param>
    internal void Load(BinaryReader reader, bool withEpochs, int lastEpoch)
    {
        int count = reader.ReadInt32();
        if (count != _last.Length)
            throw new InvalidDataException($"The saved loss history holds {count} rows but this session caches {_last.Length}.");
        for (int i = 0; i < count; i++)
            _last[i] = reader.ReadSingle();
        // Reports made before any epoch opened count as epoch 0's.
        int latest = Math.Max(0, lastEpoch);
        for (int i = 0; i < count; i++)
        {
            int epoch = withEpochs ? reader.ReadInt32() : float.IsNaN(_last[i]) ? -1 : latest;
            if (epoch < -1 || epoch > latest || (epoch == -1) != float.IsNaN(_last[i]))
                throw new InvalidDataException($"The saved loss history gives row {i} the epoch {epoch}, which does not fit its loss ({_last[i]}) and the saved session's {lastEpoch + 1} epochs.");
            _epoch[i] = epoch;
        }
    }
}
