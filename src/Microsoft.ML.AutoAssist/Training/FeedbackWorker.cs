using System.Threading.Channels;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Trains the Assistant on a background thread from the Boss's loss reports. Reports go through a
/// bounded queue that drops its oldest batch when full, so posting never blocks the Boss.
/// A failure is kept and rethrown on the trainer's thread at its next call.
/// </summary>
internal sealed class FeedbackWorker : IDisposable
{
    private readonly SelectionPolicy _policy;
    private readonly Channel<FeedbackBatch> _queue;
    private readonly Thread _thread;
    private long _postedBatches;
    private long _finishedBatches;
    private long _droppedRows;
    private volatile Exception? _fault;

    private volatile bool _faultReported;

    public FeedbackWorker(SelectionPolicy policy, int capacity)
    {
        _policy = policy;
        _queue = Channel.CreateBounded<FeedbackBatch>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                Interlocked.Add(ref _droppedRows, dropped.Rows.Length);
                Interlocked.Increment(ref _finishedBatches);
            });
        _thread = new Thread(Run) { IsBackground = true, Name = "AutoAssist Assistant" };
        _thread.Start();
    }

    public long DroppedRows => Interlocked.Read(ref _droppedRows);

    /// <summary>The failure of the Assistant's updates, if any; null while it works.</summary>
    public Exception? Fault => _fault;

    /// <summary>True once <see cref="Fault"/> was thrown to the trainer.</summary>
    public bool FaultReported => _faultReported;

    public void Post(int[] rows, float[] losses)
    {
        ThrowIfFaulted();
        Interlocked.Increment(ref _postedBatches);
        if (!_queue.Writer.TryWrite(new FeedbackBatch(rows, losses)))
            Interlocked.Increment(ref _finishedBatches); // writer completed: the session is closing
    }

    public void ThrowIfFaulted()
    {
        var fault = _fault;
        if (fault is not null)
        {
            _faultReported = true;
            throw new InvalidOperationException($"The AutoAssist Assistant failed in its background worker: {fault.Message}", fault);
        }
    }

    /// <summary>
    /// Waits until every posted report was learned from (or dropped); false on timeout
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: no timeout). Throws the worker's failure, if any.
    /// </summary>
    public bool WaitForIdle(TimeSpan timeout)
    {
        bool idle = WaitForIdleQuietly(timeout);
        ThrowIfFaulted();
        return idle;
    }

    /// <summary>As <see cref="WaitForIdle"/>, but leaves a failure for the caller to look at (<see cref="Fault"/>).</summary>
    public bool WaitForIdleQuietly(TimeSpan timeout)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        var spin = new SpinWait();
        while (Interlocked.Read(ref _finishedBatches) < Interlocked.Read(ref _postedBatches))
        {
            if (_fault is not null)
                return true; // the worker drains without learning; nothing more will change
            if (DateTime.UtcNow > deadline)
                return false;
            spin.SpinOnce(sleep1Threshold: 10);
        }
        return true;
    }

    private void Run()
    {
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var batch))
                {
                    try
                    {
                        _policy.OnFeedback(batch.Rows, batch.Losses);
                    }
                    finally
                    {
                        Interlocked.Increment(ref _finishedBatches);
                    }
                }
            }
        }
        catch (Exception e)
        {
            _fault = e;
            // Keep draining so that waiters are released; nothing more is learned.
            while (reader.TryRead(out _))
                Interlocked.Increment(ref _finishedBatches);
        }
    }

    /// <summary>
    /// Stops taking reports. Waits briefly for the update in progress, but never indefinitely: a
    /// stuck Assistant must not hold up the end of training (its thread is a background thread).
    /// </summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(1));
    }

    private readonly record struct FeedbackBatch(int[] Rows, float[] Losses);
}
