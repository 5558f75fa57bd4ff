namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The Boss's last reported loss of every cached row (NaN until first reported). Written on the
/// trainer's thread when it reports; policies read it when an epoch starts.
/// </summary>
public sealed class LossHistory
{
    private readonly float[] _last;

    internal LossHistory(int rowCount)
    {
        _last = new float[rowCount];
        Array.Fill(_last, float.NaN);
    }

    /// <summary>The last loss reported for cache row <paramref name="row"/>; NaN when none was.</summary>
    public float this[int row] => _last[row];

    /// <summary>Number of cached rows.</summary>
    public int Count => _last.Length;

    internal void Record(int row, float loss) => _last[row] = loss;

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
    }

    internal void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != _last.Length)
            throw new InvalidDataException($"The saved loss history holds {count} rows but this session caches {_last.Length}.");
        for (int i = 0; i < count; i++)
            _last[i] = reader.ReadSingle();
    }
}
