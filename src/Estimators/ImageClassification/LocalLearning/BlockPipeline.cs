using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Runs K blocks on K worker threads for <see cref="LocalLearningStep"/>. Block k hands its detached
/// output to block k+1 through a bounded queue as soon as its forward pass is done, then does its own
/// backward pass and update while block k+1 works. Each block still sees the same inputs in the same
/// order with the same learning rate as when the blocks run one after another, so the weights are the
/// same; only the timing differs.
/// </summary>
/// <remarks>
/// The loop's step contract (the per-row losses of the batch just trained) means that a batch leaves
/// the pipeline before the next one enters: the overlap is one block's backward pass with the next
/// block's work. Letting block 0 start batch t+1 while the last block finishes batch t needs a loop
/// that accepts losses one or more steps late (see docs/local-parallelism.md). A failure in any worker
/// stops every worker and is rethrown by <see cref="Run"/>; so is a stuck pipeline never waited on
/// after one fails. TorchSharp's thread count (torch.set_num_threads) is process-wide, not per thread,
/// so the workers share one intra-op thread pool.
/// </remarks>
internal sealed class BlockPipeline : IDisposable
{
    private readonly Func<int, BlockInput, Action<Tensor>, BlockResult> _trainBlock;
    private readonly BlockingCollection<Job>[] _inputs;
    private readonly BlockingCollection<Done> _done = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;
    private Exception? _failure;

    /// <param name="blocks">How many blocks (and workers).</param>
    /// <param name="trainBlock">Trains block k on an input, handing its detached output on before its backward pass.</param>
    public BlockPipeline(int blocks, Func<int, BlockInput, Action<Tensor>, BlockResult> trainBlock)
    {
        _trainBlock = trainBlock;
        // One batch in flight at a time (see the remarks), so one slot per queue is all a block needs.
        _inputs = Enumerable.Range(0, blocks).Select(_ => new BlockingCollection<Job>(boundedCapacity: 1)).ToArray();
        _workers = Enumerable.Range(0, blocks).Select(k => new Thread(() => Work(k)) { IsBackground = true, Name = $"Local-learning block {k}" }).ToArray();
        foreach (var worker in _workers)
            worker.Start();
    }

    /// <summary>Trains every block on one batch; returns the last block's loss and, if asked, per-row losses.</summary>
    /// <param name="input">The first block's input; its tensors stay alive until every block is done.</param>
    /// <param name="rowLosses">Whether to return the last block's per-row losses.</param>
    public BossStepResult Run(BlockInput input, bool rowLosses)
    {
        ThrowIfFailed();
        try
        {
            _inputs[0].Add(new Job(input, rowLosses), _stop.Token);
            BossStepResult result = default;
            // Every block must be done before the caller's scope frees the labels and weights the blocks share.
            for (int k = 0; k < _workers.Length; k++)
            {
                var done = _done.Take(_stop.Token);
                if (done.Result is BossStepResult last)
                    result = last;
            }
            return result;
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            ThrowIfFailed();
            throw;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is null)
            return;
        // Wait for every worker to leave the shared tensors before the caller frees them.
        foreach (var worker in _workers)
            worker.Join();
        throw new InvalidOperationException($"A local-learning block failed: {_failure.Message}", _failure);
    }

    private void Work(int k)
    {
        bool last = k == _workers.Length - 1;
        try
        {
            foreach (var job in _inputs[k].GetConsumingEnumerable(_stop.Token))
            {
                using var scope = NewDisposeScope();
                // An input handed over by the previous block is this worker's to free; the first block's is the caller's.
                if (k > 0)
                    scope.Attach(job.Input.Activations);
                var result = _trainBlock(k, job.Input, features =>
                {
                    if (!last)
                        _inputs[k + 1].Add(job with { Input = job.Input with { Activations = features.DetachFromDisposeScope() } }, _stop.Token);
                });
                _done.Add(new Done(last
                    ? new BossStepResult(result.Loss.item<float>(), job.RowLosses ? result.Losses.cpu().data<float>().ToArray() : null)
                    : null));
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
        _stop.Cancel();
        foreach (var worker in _workers)
            worker.Join();
        foreach (var queue in _inputs)
            queue.Dispose();
        _done.Dispose();
        _stop.Dispose();
    }

    private readonly record struct Job(BlockInput Input, bool RowLosses);

    private readonly record struct Done(BossStepResult? Result);
}
