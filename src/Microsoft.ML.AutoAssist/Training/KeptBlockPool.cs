using System.Collections.Concurrent;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The blocks of a training session, kept for reuse: a block of 256 rows of 784 floats is 800 KB,
/// so allocating a fresh one per block would put a large-object allocation and its zeroing on every
/// few hundred rows of every epoch.
/// </summary>
internal sealed class KeptBlockPool(int blockSize, RowStore store)
{
    private readonly ConcurrentBag<KeptBlock> _free = new();

    public KeptBlock Rent() => _free.TryTake(out var block) ? block : new KeptBlock(blockSize, store);

    public void Return(KeptBlock block)
    {
        if (!ReferenceEquals(block, KeptBlock.Empty))
            _free.Add(block);
    }
}
