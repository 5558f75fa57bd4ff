using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One training epoch: a cursor over the rows the selection method kept, in a fresh random order,
/// each with a loss <see cref="Weight"/>. The epoch's rows are all decided when it opens, with the
/// selection's state at that point (for AutoAssist, the Assistant scores every row once), so an
/// epoch's decisions depend on the seed, the epoch and what the Boss reported before it, never on
/// how fast the Assistant learns while the Boss trains. The one exception is a change of phase at
/// a training step (<see cref="SelectiveTrainingSession.ReportProgress"/>, e.g. InfoBatch's final
/// full-data phase): the rows not yet reached are then decided again, as deterministically.
/// </summary>
/// <remarks>
/// Read the row's values with the usual getters; <see cref="DataViewRow.GetIdGetter"/> gives the id
/// the trainer reports losses with (<see cref="SelectiveTrainingSession.ReportLosses"/>).
/// Deciding up front costs one pass of the Assistant over the cached rows per epoch (tens of
/// milliseconds for 60,000 images), nothing next to a Boss that spends milliseconds per row.
/// </remarks>
public sealed class SelectionEpoch : DataViewRowCursor
{
    // Cancellation and Assistant faults are checked every this many rows; a power of two, so the check costs a mask.
    private const int CheckInterval = 256;

    private readonly SelectiveTrainingSession _session;
    private readonly RowStore _store;
    private readonly CancellationToken _cancellation;
    private readonly int[] _order;
    // Positions in _order of the kept rows, and their weights; the rows not yet reached are decided again when the policy asks (RedecideRemaining).
    private int[] _kept;
    private float[] _weights;
    private readonly Delegate?[] _getters;
    private readonly EpochPosition _at = new();
    private readonly int _seed;
    private long _position = -1;
    private bool _finished;
    private bool _disposed;

    internal SelectionEpoch(SelectiveTrainingSession session, RowStore store, int epoch, int seed, CancellationToken cancellation)
    {
        _session = session;
        _store = store;
        _cancellation = cancellation;
        Index = epoch;
        _getters = new Delegate?[store.Schema.Count];
        _order = new int[store.Count];
        for (int i = 0; i < _order.Length; i++)
            _order[i] = i;
        new Random(SeedFor(seed, epoch, Stream.Order)).Shuffle(_order);
        _seed = seed;
        var weights = new float[_order.Length];
        session.Policy.DecideKeep(_order, weights, new Random(SeedFor(seed, epoch, Stream.Keep)));
        (_kept, _weights) = Kept(weights, firstPosition: 0, [], []);
        if (_kept.Length == 0)
            throw new InvalidOperationException(
                $"The {session.Method} selection kept none of the {store.Count} rows in epoch {epoch}; " +
                "raise its keep floor (for AutoAssist, AutoAssistOptions.BaseKeepProbability) or check the reported losses.");
    }

    /// <summary>The kept positions and weights so far, followed by those of <paramref name="weights"/> (decided from position <paramref name="firstPosition"/> on).</summary>
    private static (int[] Kept, float[] Weights) Kept(float[] weights, int firstPosition, ReadOnlySpan<int> keptBefore, ReadOnlySpan<float> weightsBefore)
    {
        int count = keptBefore.Length;
        foreach (var weight in weights)
        {
            if (weight > 0)
                count++;
        }
        var kept = new int[count];
        var keptWeights = new float[count];
        keptBefore.CopyTo(kept);
        weightsBefore.CopyTo(keptWeights);
        for (int i = 0, k = keptBefore.Length; i < weights.Length; i++)
        {
            if (weights[i] > 0)
            {
                kept[k] = firstPosition + i;
                keptWeights[k++] = weights[i];
            }
        }
        return (kept, keptWeights);
    }

    /// <summary>
    /// Decides again the rows the cursor has not reached, with the policy's current state (the
    /// session calls it when <see cref="SelectionPolicy.OnProgress"/> says the decisions changed).
    /// The rows already handed out stay as they were. Deterministic: its random stream depends
    /// on the seed, the epoch and the position only.
    /// </summary>
    internal void RedecideRemaining()
    {
        if (_finished)
            return;
        int reached = _position < 0 ? 0 : _kept[_position] + 1;
        var remaining = _order.AsSpan(reached);
        var weights = new float[remaining.Length];
        var random = new Random(SeedFor(_seed, Index, Stream.Redecide) ^ reached);
        _session.Policy.DecideKeep(remaining, weights, random);
        int handedOut = (int)(_position + 1);
        (_kept, _weights) = Kept(weights, reached, _kept.AsSpan(0, handedOut), _weights.AsSpan(0, handedOut));
    }

    /// <summary>The cache indices of the rows the epoch keeps, in its order.</summary>
    internal IEnumerable<int> KeptRows()
    {
        foreach (int position in _kept)
            yield return _order[position];
    }

    /// <summary>The independent random streams of an epoch.</summary>
    internal enum Stream
    {
        Order,
        Keep,
        Backward,
        Redecide,
    }

    /// <summary>The seed of one random stream of one epoch: a function of (seed, epoch, stream) only, so nothing needs saving to resume.</summary>
    /// <remarks>A fixed mix rather than HashCode.Combine, which is randomised per process.</remarks>
    internal static int SeedFor(int seed, int epoch, Stream stream) => unchecked((int)Mix((uint)seed, (uint)epoch, (uint)stream));

    private static uint Mix(uint a, uint b, uint c)
    {
        uint h = a * 0x9E3779B1u;
        h = (h ^ (h >> 15)) + b * 0x85EBCA77u;
        h = (h ^ (h >> 13)) + c * 0xC2B2AE3Du;
        return h ^ (h >> 16);
    }

    /// <summary>0-based epoch index.</summary>
    public int Index { get; }

    /// <summary>The current row's loss weight (1 unless the method re-weights).</summary>
    public float Weight { get; private set; }

    /// <summary>Number of rows the epoch keeps (known when it opens; it changes when the rows not yet reached are decided again, e.g. when a final full-data phase starts mid-epoch).</summary>
    public int KeptCount => _kept.Length;

    /// <summary>
    /// Share of the data the selection has gone through up to the current row, in [0, 1].
    /// Trainers whose schedule runs over passes through the data use it as the within-epoch progress,
    /// which stays right however many rows the selection keeps.
    /// </summary>
    public double FractionConsidered
        => _finished ? 1.0 : _position < 0 ? 0.0 : (double)(_kept[_position] + 1) / _order.Length;

    /// <inheritdoc/>
    public override DataViewSchema Schema => _store.Schema;

    /// <inheritdoc/>
    public override long Position => _position;

    /// <inheritdoc/>
    public override long Batch => 0;

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _store.Schema.Count;

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter()
    {
        var at = _at;
        var store = _store;
        return (ref DataViewRowId value) => value = store.GetId(at.CurrentRow);
    }

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= _store.Schema.Count || _store.Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not among the training columns of this epoch.");
        var getter = _getters[column.Index] ??= _store.GetColumn(column.Index).MakeGetter(_at);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, which is not read as {typeof(TValue).Name}.");
    }

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
            return false;
        long next = _position + 1;
        if ((next & (CheckInterval - 1)) == 0 || next == _kept.Length)
        {
            _cancellation.ThrowIfCancellationRequested();
            _session.ThrowIfAssistantFaulted();
        }
        if (next == _kept.Length)
        {
            _finished = true;
            _at.Row = -1;
            return false;
        }
        _position = next;
        _at.Row = _order[_kept[next]];
        Weight = _weights[next];
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
        {
            _at.Closed = true;
            _at.Row = -1;
            // Statistics are taken at close, so the losses of the epoch's last batch count in it.
            if (_finished)
                _session.CompleteEpoch(this, _order.Length, _kept.Length);
            _session.OnEpochClosed(this);
        }
        base.Dispose(disposing);
    }
}
