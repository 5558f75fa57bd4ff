namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Walker's alias method: after an O(n) build, draws index i with probability wᵢ / Σw in O(1).
/// Importance sampling rebuilds it once per epoch.
/// </summary>
internal sealed class AliasTable
{
    private readonly double[] _threshold;
    private readonly int[] _alias;
    private readonly int[] _small;
    private readonly int[] _large;

    public AliasTable(int size)
    {
        _threshold = new double[size];
        _alias = new int[size];
        _small = new int[size];
        _large = new int[size];
    }

    /// <summary>Rebuilds the table for non-negative weights with a positive, finite sum.</summary>
    public void Build(ReadOnlySpan<double> weights, double sum)
    {
        int n = _threshold.Length;
        int smallCount = 0, largeCount = 0;
        for (int i = 0; i < n; i++)
        {
            _threshold[i] = weights[i] * n / sum;
            _alias[i] = i;
            if (_threshold[i] < 1)
                _small[smallCount++] = i;
            else
                _large[largeCount++] = i;
        }
        // Pair each under-full slot with an over-full one, which gives it the rest of its unit.
        while (smallCount > 0 && largeCount > 0)
        {
            int small = _small[--smallCount];
            int large = _large[largeCount - 1];
            _alias[small] = large;
            _threshold[large] -= 1 - _threshold[small];
            if (_threshold[large] < 1)
            {
                largeCount--;
                _small[smallCount++] = large;
            }
        }
        // What is left is full up to rounding.
        while (largeCount > 0)
            _threshold[_large[--largeCount]] = 1;
        while (smallCount > 0)
            _threshold[_small[--smallCount]] = 1;
    }

    /// <summary>One draw from a uniform number in [0, 1).</summary>
    public int Sample(double uniform)
    {
        double scaled = uniform * _threshold.Length;
        int slot = Math.Min((int)scaled, _threshold.Length - 1);
        return scaled - slot < _threshold[slot] ? slot : _alias[slot];
    }
}
