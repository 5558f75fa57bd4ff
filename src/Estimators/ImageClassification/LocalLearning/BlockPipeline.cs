using System.Collections.Concurrent;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Runs K blocks on K worker threads for <see cref="LocalLearningStep"/>, as a pipeline across
/// batches: block k works on batch t while block k+1 works on batch t − 1. Block k hands its detached
/// output to block k+1 through a bounded queue as soon as its forward pass is done, then does its own
/// backward pass and update and takes its next batch. Each block still sees the same inputs in the
/// same order with the same learning rates as when the blocks run one after another, so the weights
/// are the same; only the timing differs.
/// </summary>
/// <remarks>
/// At most K batches are in flight: <see cref="Submit"/> waits for the oldest one when a K + 1-th
/// arrives, so the last block finishes batch t − K + 1 while block 0 starts batch t, and a batch's
/// per-row losses reach the caller up to K − 1 steps late. <see cref="Drain"/> waits for all of them.
/// A failure in any worker stops every worker and is rethrown by <see cref="Submit"/> or
/// <see cref="Drain"/>; nothing waits on a stuck pipeline after one fails. TorchSharp's thread count
/// (torch.set_num_threads) is process-wide, not per thread, so the workers share one intra-op pool.
/// </remarks>
internal sealed class BlockPipeline : IDisposable
{
    private readonly Func<int, BlockInput, double, Action<Tensor>, BlockResult> _trainBlock;
    private readonly BlockingCollection<Handoff>[] _inputs;
    // Each worker posts a job here when its block is done with it; only the caller's thread counts them.
    private readonly BlockingCollection<Job> _done = new();
    private readonly Queue<Job> _inFlight = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;
    private Exception? _failure;
    private bool _disposed;

    /// <param name="blocks">How many blocks (and workers).</param>
    /// <param name="trainBlock">Trains block k on an input at a learning rate, handing its detached output on before its backward pass.</param>
    public BlockPipeline(int blocks, Func<int, BlockInput, double, Action<Tensor>, BlockResult> trainBlock)
    {
        _trainBlock = trainBlock;
        // One waiting input per block: block k can run one batch ahead of block k+1, no further.
        _inputs = Enumerable.Range(0, blocks).Select(_ => new BlockingCollection<Handoff>(boundedCapacity: 1)).ToArray();
        _workers = Enumerable.Range(0, blocks).Select(k => new Thread(() => Work(k)) { IsBackground = true, Name = $"Local-learning block {k}" }).ToArray();
        foreach (var worker in _workers)
            worker.Start();
    }

    /// <summary>Batches submitted and not yet returned by <see cref="Submit"/> or <see cref="Drain"/>.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>
    /// Starts every block on one batch and returns the batches finished meanwhile, oldest first (the
    /// last block's loss and, if asked, per-row losses, with the batch's row ids).
    /// </summary>
    /// <param name="input">The first block's input and the labels and weights every block uses; the pipeline owns and frees them.</param>
    /// <param name="rowLosses">Whether to return the last block's per-row losses.</param>
    /// <param name="learningRate">The rate of this batch's step, for every block.</param>
    /// <param name="rowIds">The batch's row ids, returned with its result.</param>
    public IReadOnlyList<FinishedStep> Submit(BlockInput input, bool rowLosses, double learningRate, DataViewRowId[] rowIds)
    {
        ThrowIfFailed();
        var job = new Job(input, rowLosses, learningRate, rowIds);
        _inFlight.Enqueue(job);
        var finished = new List<FinishedStep>();
        try
        {
            _inputs[0].Add(new Handoff(job, input.Activations), _stop.Token);
            while (_inFlight.Count > _workers.Length)
                finished.Add(CompleteOldest());
            while (_done.TryTake(out var done))
                done.BlocksDone++;
            while (_inFlight.TryPeek(out var oldest) && oldest.BlocksDone == _workers.Length)
                finished.Add(CompleteOldest());
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            ThrowIfFailed();
            throw;
        }
        return finished;
    }

    /// <summary>Waits for every batch in flight; returns them oldest first.</summary>
    public IReadOnlyList<FinishedStep> Drain()
    {
        ThrowIfFailed();
        var finished = new List<FinishedStep>();
        try
        {
            while (_inFlight.Count > 0)
                finished.Add(CompleteOldest());
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            ThrowIfFailed();
            throw;
        }
        return finished;
    }

    /// <summary>Waits until every block is done with the oldest batch, frees its inputs and returns its result.</summary>
    private FinishedStep CompleteOldest()
    {
        var oldest = _inFlight.Peek();
        while (oldest.BlocksDone < _workers.Length)
            _done.Take(_stop.Token).BlocksDone++;
        _inFlight.Dequeue();
        oldest.Free();
        return new FinishedStep(oldest.Result, oldest.RowIds);
    }

    private void ThrowIfFailed()
    {
        if (_failure is null)
            return;
        // Wait for every worker to leave the shared tensors before they are freed.
        foreach (var worker in _workers)
            worker.Join();
        throw new InvalidOperationException($"A local-learning block failed: {_failure.Message}", _failure);
    }

    private void Work(int k)
    {
        bool last = k == _workers.Length - 1;
        try
        {
            foreach (var handoff in _inputs[k].GetConsumingEnumerable(_stop.Token))
            {
                var job = handoff.Job;
                using var scope = NewDisposeScope();
                // An input handed over by the previous block is this worker's to free; the first block's is the job's.
                if (k > 0)
                    scope.Attach(handoff.Activations);
                var result = _trainBlock(k, job.Input with { Activations = handoff.Activations }, job.LearningRate, features =>
                {
                    if (!last)
                        _inputs[k + 1].Add(new Handoff(job, features.DetachFromDisposeScope()), _stop.Token);
                });
                if (last)
                    job.Result = new BossStepResult(result.Loss.item<float>(), job.RowLosses ? result.Losses.cpu().data<float>().ToArray() : null);
                _done.Add(job, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: by Dispose, or because another worker failed.
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            _stop.Cancel();
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stop.Cancel();
        foreach (var worker in _workers)
            worker.Join();
        // Activations handed over but never taken, and the inputs of batches never finished.
        for (int k = 1; k < _inputs.Length; k++)
        {
            while (_inputs[k].TryTake(out var handoff))
                handoff.Activations.Dispose();
        }
        while (_inFlight.TryDequeue(out var job))
            job.Free();
        foreach (var queue in _inputs)
            queue.Dispose();
        _done.Dispose();
        _stop.Dispose();
    }

    /// <summary>One batch on its way through the blocks.</summary>
    private sealed class Job(BlockInput input, bool rowLosses, double learningRate, DataViewRowId[] rowIds)
    {
        public BlockInput Input { get; } = input;
        public bool RowLosses { get; } = rowLosses;
        public double LearningRate { get; } = learningRate;
        public DataViewRowId[] RowIds { get; } = rowIds;

        /// <summary>Written by the last block before it posts the job as done.</summary>
        public BossStepResult Result { get; set; }

        /// <summary>Blocks done with the job, counted on the caller's thread only.</summary>
        public int BlocksDone { get; set; }

        public void Free()
        {
            Input.Activations.Dispose();
            Input.Labels.Dispose();
            Input.Weights.Dispose();
        }
    }

    /// <summary>A block's input for one job: the first block gets the job's images, later blocks the previous block's detached output.</summary>
    private readonly record struct Handoff(Job Job, Tensor Activations);
}
