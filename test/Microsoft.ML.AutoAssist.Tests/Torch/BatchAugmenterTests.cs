using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

public class BatchAugmenterTests
{
    private static Tensor DistinctPixels(int n, int c, int h, int w)
        => torch.arange(1, 1 + n * c * h * w, dtype: ScalarType.Float32).view(n, c, h, w);

    [Fact]
    public void SameSeedGivesTheSameBatchesAndShapeIsKept()
    {
        using var batch = DistinctPixels(16, 3, 8, 8);
        using var a = new BatchAugmenter(padding: 2, horizontalFlip: true, seed: 11);
        using var b = new BatchAugmenter(padding: 2, horizontalFlip: true, seed: 11);
        using var other = new BatchAugmenter(padding: 2, horizontalFlip: true, seed: 12);
        using var scope = torch.NewDisposeScope();

        for (int i = 0; i < 3; i++)
        {
            var fromA = a.Apply(batch);
            var fromB = b.Apply(batch);
            var fromOther = other.Apply(batch);
            Assert.Equal(batch.shape, fromA.shape);
            Assert.Equal(batch.dtype, fromA.dtype);
            Assert.True(TensorEquality.Identical(fromA, fromB), $"batch {i} differs between equal seeds");
            Assert.False(TensorEquality.Identical(fromA, fromOther), $"batch {i} is the same for different seeds");
        }
    }

    [Fact]
    public void EverySampleIsAZeroPaddedShiftedAndMaybeFlippedCopy()
    {
        const int n = 32, c = 2, h = 5, w = 6, p = 2;
        using var batch = DistinctPixels(n, c, h, w);
        using var augmenter = new BatchAugmenter(padding: p, horizontalFlip: true, seed: 5);
        using var scope = torch.NewDisposeScope();
        var output = augmenter.Apply(batch);

        float[] input = batch.data<float>().ToArray();
        float[] result = output.data<float>().ToArray();
        int flipped = 0;
        var offsetsSeen = new HashSet<(int, int)>();
        for (int s = 0; s < n; s++)
        {
            var match = FindTransform(input, result, s, c, h, w, p);
            Assert.True(match.HasValue, $"sample {s} is not a crop of its padded input");
            if (match.Value.Flip) flipped++;
            offsetsSeen.Add((match.Value.Dy, match.Value.Dx));
        }
        Assert.InRange(flipped, 4, n - 4);       // about half, never all or none for 32 samples
        Assert.True(offsetsSeen.Count > 5, "crop offsets do not vary between samples");
    }

    private static (int Dy, int Dx, bool Flip)? FindTransform(float[] input, float[] output, int s, int c, int h, int w, int p)
    {
        foreach (bool flip in new[] { false, true })
        for (int dy = -p; dy <= p; dy++)
        for (int dx = -p; dx <= p; dx++)
        {
            bool all = true;
            for (int ch = 0; ch < c && all; ch++)
            for (int y = 0; y < h && all; y++)
            for (int x = 0; x < w && all; x++)
            {
                // Output pixel (y, x) reads padded column dx+p + (flip ? w-1-x : x), i.e. source column below.
                int sx = (flip ? w - 1 - x : x) + dx, sy = y + dy;
                float expected = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : input[((s * c + ch) * h + sy) * w + sx];
                all = output[((s * c + ch) * h + y) * w + x] == expected;
            }
            if (all) return (dy, dx, flip);
        }
        return null;
    }

    [Fact]
    public void FlipOnlyNeverShifts()
    {
        using var batch = DistinctPixels(8, 1, 4, 4);
        using var augmenter = new BatchAugmenter(padding: 0, horizontalFlip: true, seed: 1);
        using var scope = torch.NewDisposeScope();
        var output = augmenter.Apply(batch);
        var mirrored = batch.flip(3);
        for (int s = 0; s < 8; s++)
        {
            Assert.True(TensorEquality.Identical(output[s], batch[s]) || TensorEquality.Identical(output[s], mirrored[s]), $"sample {s}");
        }
    }

    [Fact]
    public void DisabledAugmenterReturnsTheInput()
    {
        using var batch = DistinctPixels(2, 1, 4, 4);
        using var augmenter = new BatchAugmenter(padding: 0, horizontalFlip: false, seed: 1);
        Assert.False(augmenter.IsEnabled);
        Assert.Same(batch, augmenter.Apply(batch));
    }

    [Fact]
    public void RestoredRandomStateReplaysTheSameBatches()
    {
        using var batch = DistinctPixels(8, 1, 6, 6);
        using var augmenter = new BatchAugmenter(padding: 1, horizontalFlip: true, seed: 3);
        using var scope = torch.NewDisposeScope();
        augmenter.Apply(batch);
        byte[] state = augmenter.GetRandomState();
        var next = augmenter.Apply(batch);

        using var resumed = new BatchAugmenter(padding: 1, horizontalFlip: true, seed: 999);
        resumed.SetRandomState(state);
        Assert.True(TensorEquality.Identical(next, resumed.Apply(batch)));
    }

    [Fact]
    public void GlobalRandomStreamIsUntouched()
    {
        using var batch = DistinctPixels(4, 1, 6, 6);
        using var augmenter = new BatchAugmenter(padding: 1, horizontalFlip: true, seed: 3);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(21);
        var expected = torch.rand(5);
        torch.manual_seed(21);
        augmenter.Apply(batch);
        Assert.True(TensorEquality.Identical(expected, torch.rand(5)));
    }

    [Fact]
    public void NonImageBatchIsRejected()
    {
        using var augmenter = new BatchAugmenter(padding: 1, horizontalFlip: true, seed: 3);
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => augmenter.Apply(torch.zeros(4, 16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchAugmenter(padding: -1, horizontalFlip: false, seed: 0));
    }
}
