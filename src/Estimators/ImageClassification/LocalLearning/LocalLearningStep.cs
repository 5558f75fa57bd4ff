using Microsoft.ML.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A training step over K blocks, each with its own head, loss and optimizer (local learning, Laskin et
/// al. 2020). Block k's input is block k−1's output detached, so no gradient crosses a boundary, except
/// in overlapping mode, where block k−1 also receives the gradient of block k's loss (one boundary,
/// no further). The loss and per-row losses reported to the loop (and so to the selection) are the
/// last block's, whose head is the ResNet's own classifier: the fitted network is the ordinary ResNet.
/// </summary>
internal sealed class LocalLearningStep : ILaggingBossStep
{
    private readonly ResNetBoss _boss;
    private readonly LocalBlock[] _blocks;
    private readonly OptimizerHelper[] _optimizers;
    private readonly bool _overlapping;
    private readonly double? _maxGradientNorm;
    private readonly BlockPipeline? _pipeline;

    /// <param name="boss">The ResNet Boss, for its inputs and for scoring.</param>
    /// <param name="blocks">The blocks from <see cref="Split"/>, on the Boss's device.</param>
    /// <param name="createOptimizer">Creates an optimizer over a block's parameters.</param>
    /// <param name="overlapping">Whether each block but the last is also trained by the next block's loss.</param>
    /// <param name="pipelined">Whether each block runs on a worker thread of its own.</param>
    /// <param name="maxGradientNorm">Clip each block's gradient norm to this; null: no clipping.</param>
    /// <param name="beforeBlockUpdate">Called by each block (its index) before its update; a test hook, null otherwise.</param>
    public LocalLearningStep(ResNetBoss boss, LocalBlock[] blocks, Func<IEnumerable<Parameter>, OptimizerHelper> createOptimizer,
        bool overlapping, bool pipelined, double? maxGradientNorm, Action<int>? beforeBlockUpdate = null)
    {
        if (overlapping && pipelined)
            throw new ArgumentException("Overlapping blocks cannot be pipelined: a block waits for the next block's gradient.", nameof(pipelined));
        _boss = boss;
        _blocks = blocks;
        _optimizers = blocks.Select(block => createOptimizer(block.parameters())).ToArray();
        _overlapping = overlapping;
        _maxGradientNorm = maxGradientNorm;
        BeforeBlockUpdate = beforeBlockUpdate;
        Modules = blocks.Select((block, k) => (Name: ModuleName(k), Module: (nn.Module)block)).ToDictionary(p => p.Name, p => p.Module);
        Optimizers = _optimizers.Select((optimizer, k) => (Name: OptimizerName(k), Optimizer: optimizer)).ToDictionary(p => p.Name, p => p.Optimizer);
        if (pipelined && blocks.Length > 1)
            _pipeline = new BlockPipeline(blocks.Length, (k, input, rate, handOff) => TrainBlock(k, input, rate, handOff));
    }

    /// <summary>The checkpoint name of block <paramref name="k"/> (body and head).</summary>
    public static string ModuleName(int k) => $"block{k}";

    /// <summary>The checkpoint name of block <paramref name="k"/>'s optimizer.</summary>
    public static string OptimizerName(int k) => $"optimizer{k}";

    public IReadOnlyDictionary<string, nn.Module> Modules { get; }

    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers { get; }

    private Action<int>? BeforeBlockUpdate { get; }

    /// <summary>
    /// Cuts <paramref name="model"/> into blocks for <paramref name="mode"/>: greedy, one per residual
    /// block; chunked and overlapping, <paramref name="count"/> runs of consecutive residual blocks as
    /// even as possible. The stem goes with the first block; every block but the last gets an auxiliary
    /// head drawn from <paramref name="generator"/>, the last the ResNet's pool and classifier.
    /// </summary>
    public static LocalBlock[] Split(ResNet model, TrainingMode mode, int count, Generator generator)
    {
        var residual = model.ResidualBlocks;
        int k = mode == TrainingMode.Greedy ? residual.Count : count;
        if (k < 1 || k > residual.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{model.GetName()} has {residual.Count} residual blocks, so {mode} training takes 1 to {residual.Count} blocks.");
        var blocks = new LocalBlock[k];
        int start = 0;
        for (int b = 0; b < k; b++)
        {
            // Even sizes, the larger ones first: 9 residual blocks in 2 make 5 + 4.
            int size = residual.Count / k + (b < residual.Count % k ? 1 : 0);
            var layers = new List<(string, Module<Tensor, Tensor>)>();
            if (b == 0)
            {
                // In-place ReLU as in ResNet.forward, so that one block computes exactly what backprop does.
                layers.Add(("conv1", model.Conv1));
                layers.Add(("bn1", model.Bn1));
                layers.Add(("relu", ReLU(inplace: true)));
            }
            for (int i = start; i < start + size; i++)
                layers.Add(($"residual{i}", residual[i]));
            start += size;
            var head = b == k - 1
                ? Sequential(("avgpool", model.AvgPool), ("flatten", Flatten()), ("fc", model.Fc))
                : LocalBlock.AuxiliaryHead(residual[start - 1].OutChannels, model.NumClasses, generator);
            blocks[b] = new LocalBlock(ModuleName(b), Sequential(layers), head);
        }
        return blocks;
    }

    /// <summary>One step with every block done before it returns (a pipelined step is submitted and drained).</summary>
    public BossStepResult Train(RowBatch batch, double learningRate, bool rowLosses)
    {
        if (_pipeline is not null)
        {
            if (_pipeline.InFlight > 0)
                throw new InvalidOperationException("Train was called with pipelined steps still in flight; drain them first.");
            var finished = Submit(batch, learningRate, rowLosses).Concat(Drain()).ToArray();
            return finished[^1].Result;
        }
        foreach (var optimizer in _optimizers)
            LearningRateScheduler.SetRate(optimizer, learningRate);
        foreach (var block in _blocks)
            block.train();
        using var scope = NewDisposeScope();
        var (images, labels) = _boss.Inputs(batch, training: true);
        var weights = tensor(batch.Weights.AsSpan(0, batch.Count).ToArray(), device: labels.device);
        var work = new BlockInput(images, labels, weights, batch.Count);
        if (_overlapping)
            return TrainOverlapping(work, rowLosses);

        BlockResult result = default;
        for (int k = 0; k < _blocks.Length; k++)
        {
            Tensor? next = null;
            result = TrainBlock(k, work, learningRate: null, features => next = features);
            work = work with { Activations = next! };
        }
        return Report(result, rowLosses);
    }

    /// <summary>
    /// Pipelined: hands the batch to block 0 and returns the batches the last block finished meanwhile
    /// (up to K − 1 steps late); otherwise one whole step, finished at once.
    /// </summary>
    public IReadOnlyList<FinishedStep> Submit(RowBatch batch, double learningRate, bool rowLosses)
    {
        var ids = batch.Ids.AsSpan(0, batch.Count).ToArray();
        if (_pipeline is null)
            return [new FinishedStep(Train(batch, learningRate, rowLosses), ids)];
        // Modes change only while the pipeline is empty (scoring and evaluation drain it first), never under a running block.
        if (_pipeline.InFlight == 0)
        {
            foreach (var block in _blocks)
                block.train();
        }
        BlockInput work;
        using (NewDisposeScope())
        {
            var (images, labels) = _boss.Inputs(batch, training: true);
            var weights = tensor(batch.Weights.AsSpan(0, batch.Count).ToArray(), device: labels.device);
            // The pipeline owns the batch's tensors until its last block is done with them.
            work = new BlockInput(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), weights.DetachFromDisposeScope(), batch.Count);
        }
        return _pipeline.Submit(work, rowLosses, learningRate, ids);
    }

    public IReadOnlyList<FinishedStep> Drain() => _pipeline?.Drain() ?? Array.Empty<FinishedStep>();

    /// <summary>
    /// Block <paramref name="k"/>'s whole step on its input: forward, hand the detached output to
    /// <paramref name="handOff"/> (before the backward pass, so that the next block can start), then
    /// its local loss's backward pass and its optimizer's update, at <paramref name="learningRate"/>
    /// when given (a pipelined block sets its own rate per batch). Runs in the caller's dispose scope.
    /// </summary>
    private BlockResult TrainBlock(int k, BlockInput input, double? learningRate, Action<Tensor> handOff)
    {
        if (learningRate is double rate)
            LearningRateScheduler.SetRate(_optimizers[k], rate);
        _optimizers[k].zero_grad();
        var (features, logits) = _blocks[k].forward(input.Activations);
        handOff(features.detach());
        var (loss, losses) = LocalLoss(logits, input);
        loss.backward();
        Update(k);
        return new BlockResult(loss, losses);
    }

    /// <summary>
    /// Overlapping blocks, one after another: block k's loss is backpropagated through block k into its
    /// (detached, gradient-tracking) input; that input gradient is then pushed once through block k−1,
    /// whose update waits for it. Block k's own loss gradient is what crosses: never a later block's.
    /// </summary>
    private BossStepResult TrainOverlapping(BlockInput work, bool rowLosses)
    {
        Tensor? previousFeatures = null;
        BlockResult result = default;
        for (int k = 0; k < _blocks.Length; k++)
        {
            var input = k == 0 ? work.Activations : previousFeatures!.detach().requires_grad_(true);
            _optimizers[k].zero_grad();
            var (features, logits) = _blocks[k].forward(input);
            var (loss, losses) = LocalLoss(logits, work);
            // Block k's graph is kept for the gradient block k+1's loss sends back through it.
            loss.backward(retain_graph: k < _blocks.Length - 1);
            if (k > 0)
            {
                (previousFeatures! * input.grad!).sum().backward();
                Update(k - 1);
            }
            previousFeatures = features;
            result = new BlockResult(loss, losses);
        }
        Update(_blocks.Length - 1);
        return Report(result, rowLosses);
    }

    private static (Tensor Loss, Tensor Losses) LocalLoss(Tensor logits, BlockInput input)
    {
        var losses = functional.cross_entropy(logits, input.Labels, reduction: Reduction.None);
        // Mean of weighted per-row losses, as the standard step: re-weighting methods stay unbiased.
        return ((losses * input.Weights).sum() / input.Count, losses);
    }

    private void Update(int k)
    {
        BeforeBlockUpdate?.Invoke(k);
        if (_maxGradientNorm is double maxNorm)
            nn.utils.clip_grad_norm_(_blocks[k].parameters(), maxNorm);
        _optimizers[k].step();
    }

    private static BossStepResult Report(BlockResult last, bool rowLosses)
        => new(last.Loss.item<float>(), rowLosses ? last.Losses.detach().cpu().data<float>().ToArray() : null);

    public float[] Losses(RowBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // The last head is the ResNet's classifier, so scoring is the ResNet's forward pass, in eval mode as the standard step scores.
        _boss.Module.eval();
        return _boss.PerRowLoss(batch, training: false).cpu().data<float>().ToArray();
    }

    public void Dispose()
    {
        _pipeline?.Dispose();
        foreach (var optimizer in _optimizers)
            optimizer.Dispose();
        // The blocks are not disposed: their layers are the fitted ResNet's, which the transformer scores with.
    }
}

/// <summary>What a block trains on: its input activations (the images for the first block), the labels and row weights, and the row count.</summary>
internal readonly record struct BlockInput(Tensor Activations, Tensor Labels, Tensor Weights, int Count);

/// <summary>A block's local loss (scalar) and per-row losses.</summary>
internal readonly record struct BlockResult(Tensor Loss, Tensor Losses);
