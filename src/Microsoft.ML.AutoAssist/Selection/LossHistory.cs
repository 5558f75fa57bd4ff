namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The Boss's last reported loss of every cached row (NaN until first reported). Written on the
/// trainer's thread when it reports; read by the policies between epochs.
/// </summary>
internal sealed class LossHistory
{
    private readonly float[] _last;

    public LossHistory(int rowCount)
    {
        _last = new float[rowCount];
        Array.Fill(_last, float.NaN);
    }

    public float this[int row] => _last[row];

    public void Record(int row, float loss) => _last[row] = loss;

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
}
