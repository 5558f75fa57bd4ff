using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The standard CIFAR augmentation applied to a whole batch on its device: pad with zeros, crop a
/// random window of the original size (independent offsets per sample), and flip half the samples
/// horizontally. Fully vectorized: two gathers, no per-sample or per-pixel loops.
/// </summary>
/// <remarks>
/// Randomness comes from a private CPU <see cref="torch.Generator"/> seeded at construction, so a
/// given seed yields the same crops and flips on CPU and GPU, and the global torch RNG (weight
/// init, dropout) is left alone. Its state can be captured for checkpoints with
/// <see cref="GetRandomState"/> and restored with <see cref="SetRandomState"/>.
/// </remarks>
internal sealed class BatchAugmenter : IDisposable
{
    private readonly Generator _generator;

    /// <param name="padding">Zero padding on each side before the random crop; 0 turns cropping off. CIFAR uses 4.</param>
    /// <param name="horizontalFlip">Whether to flip a random half of the samples left to right.</param>
    /// <param name="seed">Seed of the augmentation's own random stream.</param>
    public BatchAugmenter(int padding, bool horizontalFlip, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Padding = padding;
        HorizontalFlip = horizontalFlip;
        _generator = new Generator(unchecked((ulong)seed), torch.CPU);
    }

    public int Padding { get; }

    public bool HorizontalFlip { get; }

    /// <summary>False when neither cropping nor flipping is on; <see cref="Apply"/> then returns its input.</summary>
    public bool IsEnabled => Padding > 0 || HorizontalFlip;

    /// <summary>Augments a batch shaped (N, C, H, W).</summary>
    /// <returns>
    /// A new tensor of the same shape, device and type, registered in the caller's dispose scope;
    /// or <paramref name="batch"/> itself when the augmenter is disabled.
    /// </returns>
    public Tensor Apply(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4)
            throw new ArgumentException($"Augmentation expects a batch shaped (N, C, H, W) but got ({string.Join(", ", batch.shape)}).", nameof(batch));
        if (!IsEnabled) return batch;

        long n = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3];
        long p = Padding;

        using var scope = torch.NewDisposeScope();

        // Per-sample window origins in the padded image, drawn on the CPU generator.
        var top = torch.randint(0, 2 * p + 1, [n], dtype: ScalarType.Int64, generator: _generator);
        var left = torch.randint(0, 2 * p + 1, [n], dtype: ScalarType.Int64, generator: _generator);

        var rows = top.unsqueeze(1) + torch.arange(h, dtype: ScalarType.Int64).unsqueeze(0);          // (N, H)
        var cols = torch.arange(w, dtype: ScalarType.Int64).unsqueeze(0).expand(n, w);                  // (N, W)
        if (HorizontalFlip)
        {
            var flip = torch.randint(0, 2, [n], dtype: ScalarType.Int64, generator: _generator).to_type(ScalarType.Bool).unsqueeze(1);
            cols = torch.where(flip, (w - 1) - cols, cols);
        }
        cols = cols + left.unsqueeze(1);

        var device = batch.device;
        rows = rows.to(device);
        cols = cols.to(device);

        var padded = p > 0 ? nn.functional.pad(batch, [p, p, p, p]) : batch;
        var picked = padded.gather(2, rows.view(n, 1, h, 1).expand(n, c, h, w + 2 * p));            // (N, C, H, W+2p)
        var result = picked.gather(3, cols.view(n, 1, 1, w).expand(n, c, h, w));                      // (N, C, H, W)
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The generator's state, to store in a checkpoint.</summary>
    public byte[] GetRandomState()
    {
        using var state = _generator.get_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Restores a state returned by <see cref="GetRandomState"/>.</summary>
    public void SetRandomState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var tensor = torch.tensor(state, dtype: ScalarType.Byte);
        _generator.set_state(tensor);
    }

    public void Dispose() => _generator.Dispose();
}
