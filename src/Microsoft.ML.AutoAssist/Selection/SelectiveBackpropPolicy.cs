namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Selective Backprop: every row is forwarded; after the forward pass a row is backpropagated with
/// probability max(floor, percentile(loss)^β), the percentile taken among the last
/// <c>historySize</c> losses seen. Selected rows keep weight 1, as in the original method.
/// </summary>
internal sealed class SelectiveBackpropPolicy : SelectionPolicy
{
    private readonly float _beta;
    private readonly float _floor;
    private readonly float[] _history;
    private readonly float[] _sorted;
    private int _historyCount;
    private int _historyNext;

    public SelectiveBackpropPolicy(LossHistory losses, float beta, float floor, int historySize) : base(losses)
    {
        _beta = beta;
        _floor = floor;
        _history = new float[historySize];
        _sorted = new float[historySize];
    }

    public override SelectionMethod Method => SelectionMethod.SelectiveBackprop;

    public override bool SelectsAfterForward => true;

    // Selective Backprop chooses after the forward pass: every row goes forward.
    public override bool KeepsEveryRow => true;

    public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random) => weights.Fill(1f);

    public override void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights, Random random)
    {
        foreach (var loss in losses)
        {
            _history[_historyNext] = loss;
            _historyNext = (_historyNext + 1) % _history.Length;
            _historyCount = Math.Min(_historyCount + 1, _history.Length);
        }
        var sorted = _sorted.AsSpan(0, _historyCount);
        _history.AsSpan(0, _historyCount).CopyTo(sorted);
        sorted.Sort();
        for (int i = 0; i < losses.Length; i++)
        {
            // Share of the recent losses strictly below this one.
            int below = LowerBound(sorted, losses[i]);
            float percentile = (float)below / sorted.Length;
            float p = Math.Max(_floor, MathF.Pow(percentile, _beta));
            if (random.NextSingle() >= p)
                weights[i] = 0f;
        }
    }

    private static int LowerBound(ReadOnlySpan<float> sorted, float value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
