using System.Collections.Concurrent;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// One training epoch: a cursor over the rows the selection method kept, in a fresh random order,
/// each with a loss <see cref="Weight"/>. A background thread visits the data, asks the selection
/// method which rows to keep (for AutoAssist, the Assistant scores them) and queues kept rows ahead
/// of the trainer through a bounded queue, so the trainer never waits for the Assistant. The
/// prefetch thread also copies the kept rows' ids, vectors and keys next to each other, so the
/// trainer reads them in order instead of waiting on rows scattered over the cache.
/// An epoch in which the method keeps every row at weight 1 without looking at it (uniform
/// sampling, a first pass, a final full-data phase) has nothing to decide ahead of the trainer: it
/// walks its random order on the trainer's thread, with no prefetch thread, queue or copies, and
/// asks the processor to load the next row's vector values while the trainer reads the current row.
/// </summary>
/// <remarks>
/// Read the row's values with the usual getters; <see cref="DataViewRow.GetIdGetter"/> gives the id
/// the trainer reports losses with (<see cref="SelectiveTrainingSession.ReportLosses"/>).
/// </remarks>
public sealed class SelectionEpoch : DataViewRowCursor
{
    private readonly SelectiveTrainingSession _session;
    private readonly RowStore _store;
    private readonly KeptBlockPool _blocks;
    private readonly BlockingCollection<KeptBlock> _queue;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _cancellation;
    // Exactly one of the two is set: the prefetch thread, or the order an every-row epoch walks itself.
    private readonly Thread? _producer;
    private readonly int[]? _everyRow;
    private readonly EpochStatistics _statistics;
    private readonly Delegate?[] _getters;
    // Columns the trainer reads whose rows an every-row epoch announces one row ahead (CachePrefetch).
    private StoredColumn[] _prefetched = [];
    private volatile Exception? _producerFault;
    private long _rowsConsidered;
    private long _rowsKept;
    private readonly EpochPosition _at = new();
    private long _position = -1;
    private bool _finished;
    private bool _disposed;

    internal SelectionEpoch(SelectiveTrainingSession session, RowStore store, KeptBlockPool blocks, int epoch, int seed, int blockSize, int prefetchBlocks, CancellationToken cancellation)
    {
        _session = session;
        _store = store;
        _blocks = blocks;
        Index = epoch;
        _queue = new BlockingCollection<KeptBlock>(prefetchBlocks);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _cancellation = cancellation;
        _getters = new Delegate?[store.Schema.Count];
        _statistics = new EpochStatistics { Epoch = epoch, Method = session.Method };
        if (session.Policy.KeepsEveryRow)
        {
            _everyRow = Permutation(store.Count, OrderRandom(seed, epoch));
            Weight = 1f;
            _queue.CompleteAdding();
            return;
        }
        _producer = new Thread(() => Produce(seed, blockSize)) { IsBackground = true, Name = $"AutoAssist prefetch epoch {epoch}" };
        _producer.Start();
    }

    // The epoch's order depends on the seed and the epoch only, whichever way the epoch runs.
    private static Random OrderRandom(int seed, int epoch) => new(unchecked(seed * 1_000_003 + epoch));

    /// <summary>0-based epoch index.</summary>
    public int Index { get; }

    /// <summary>The current row's loss weight (1 unless the method re-weights).</summary>
    public float Weight { get; private set; }

    /// <summary>
    /// Share of the data the selection has gone through up to the current row's block, in [0, 1].
    /// Trainers whose schedule runs over passes through the data use it as the within-epoch progress,
    /// which stays right however many rows the selection keeps.
    /// </summary>
    public double FractionConsidered => _store.Count == 0 ? 0 : Math.Min(1.0, (double)(_everyRow is null ? _at.Block.End : _position + 1) / _store.Count);

    /// <summary>The current row's index in the session's cache (for fast internal paths).</summary>
    internal int RowIndex => _at.Row;

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
        if (_everyRow is not null)
        {
            var store = _store;
            return (ref DataViewRowId value) => value = store.GetId(at.CurrentRow);
        }
        return (ref DataViewRowId value) => value = at.Block.Ids[at.CurrentSlot];
    }

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= _store.Schema.Count || _store.Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not among the training columns of this epoch.");
        var getter = _getters[column.Index] ??= MakeGetter(column.Index);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, which is not read as {typeof(TValue).Name}.");
    }

    private Delegate MakeGetter(int columnIndex)
    {
        var column = _store.GetColumn(columnIndex);
        // Gathered values come from the block the prefetch thread filled, in reading order.
        if (column.GathersIntoBlocks && _everyRow is null)
            return column.MakeGatheredGetter(_at, columnIndex);
        if (_everyRow is not null && column.Prefetches)
            _prefetched = [.. _prefetched, column];
        return column.MakeGetter(_at);
    }

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
            return false;
        if (_everyRow is not null)
            return MoveToNextOfEveryRow();
        while (++_at.Slot >= _at.Block.Count)
        {
            _session.ThrowIfAssistantFaulted();
            if (!_queue.TryTake(out var next, Timeout.Infinite, _cancellation))
            {
                _producer!.Join();
                if (_producerFault is not null)
                    throw _producerFault is InvalidOperationException ? _producerFault : new InvalidOperationException($"Selecting the rows of epoch {Index} failed: {_producerFault.Message}", _producerFault);
                return Finish();
            }
            _blocks.Return(_at.Block);
            _at.Block = next;
            _at.Slot = -1;
        }
        _at.Row = _at.Block.Rows[_at.Slot];
        Weight = _at.Block.Weights[_at.Slot];
        _position++;
        return true;
    }

    private bool MoveToNextOfEveryRow()
    {
        int next = (int)_position + 1;
        var order = _everyRow!;
        if ((uint)next < (uint)order.Length)
        {
            // As often as a prefetched epoch takes a block: cancellation and Assistant faults still surface.
            if ((next & (CheckInterval - 1)) == 0)
            {
                _cancellation.ThrowIfCancellationRequested();
                _session.ThrowIfAssistantFaulted();
            }
            _position = next;
            _at.Row = order[next];
            // The trainer is about to copy this row; the next one loads meanwhile (a plain shuffling
            // cursor waits for each row in turn, which costs more than the whole protocol).
            if ((uint)(next + 1) < (uint)order.Length)
            {
                int following = order[next + 1];
                foreach (var column in _prefetched)
                    column.Prefetch(following);
            }
            return true;
        }
        _session.ThrowIfAssistantFaulted();
        _rowsConsidered = _rowsKept = order.Length;
        return Finish();
    }

    // A power of two, so the check costs a mask.
    private const int CheckInterval = 256;

    private bool Finish()
    {
        _finished = true;
        _at.Row = -1;
        _statistics.RowsConsidered = _rowsConsidered;
        _statistics.RowsKept = _rowsKept;
        return false;
    }

    private void Produce(int seed, int blockSize)
    {
        KeptBlock? block = null;
        try
        {
            var order = Permutation(_store.Count, OrderRandom(seed, Index));
            var random = new Random(unchecked(seed * 7_919 + Index * 104_729 + 1));
            var weights = new float[blockSize];
            for (int start = 0; start < order.Length; start += blockSize)
            {
                _stop.Token.ThrowIfCancellationRequested();
                var rows = order.AsSpan(start, Math.Min(blockSize, order.Length - start));
                var blockWeights = weights.AsSpan(0, rows.Length);
                _session.Policy.DecideKeep(rows, blockWeights, random);
                Interlocked.Add(ref _rowsConsidered, rows.Length);
                block ??= _blocks.Rent();
                int kept = block.Fill(rows, blockWeights, start + rows.Length, _store);
                if (kept == 0)
                    continue;
                Interlocked.Add(ref _rowsKept, kept);
                _queue.Add(block, _stop.Token);
                block = null;
            }
            if (Interlocked.Read(ref _rowsKept) == 0)
                throw new InvalidOperationException(
                    $"The {_session.Method} selection kept none of the {_store.Count} rows in epoch {Index}; " +
                    "raise the keep floor (AutoAssistFilterOptions.BaseKeepProbability) or check the reported losses.");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by Dispose or by the trainer's cancellation: the consumer sees the cancellation itself.
        }
        catch (Exception e)
        {
            _producerFault = e;
        }
        finally
        {
            if (block is not null)
                _blocks.Return(block);
            _queue.CompleteAdding();
        }
    }

    private static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
        {
            _stop.Cancel();
            _producer?.Join();
            // The blocks go back for the next epoch to refill, so this cursor no longer sits on a row.
            _at.Closed = true;
            _at.Row = -1;
            _blocks.Return(_at.Block);
            _at.Block = KeptBlock.Empty;
            while (_queue.TryTake(out var unread))
                _blocks.Return(unread);
            _queue.Dispose();
            _stop.Dispose();
            // Statistics are taken at close, so the losses of the epoch's last batch count in it.
            if (_finished)
                _session.CompleteEpoch(_statistics);
            _session.OnEpochClosed(this);
        }
        base.Dispose(disposing);
    }
}
