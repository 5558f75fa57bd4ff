using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Robustness;

/// <summary>
/// Seeded damage to a file's bytes, and a runner that holds each reader to what the fuzz tests demand: it finishes
/// within a time limit, allocates a bounded amount, and either succeeds or throws.
/// </summary>
internal static class ByteDamage
{
    /// <summary>One damaged copy of a file and what was done to it, for the failure message.</summary>
    public sealed record Case(string Description, byte[] Bytes);

    /// <summary>Bytes counted as a header: half of the flips and overwrites land here, where readers decide what to allocate.</summary>
    public const int HeaderBytes = 64;

    /// <summary>
    /// The same damaged copies for the same seed: the file cut to nothing, cut by one byte, then <paramref name="cuts"/>
    /// cuts, <paramref name="flips"/> single-bit flips and <paramref name="overwrites"/> overwritten bytes at seeded
    /// positions, half of the flips and overwrites in the first <see cref="HeaderBytes"/> bytes.
    /// </summary>
    public static IEnumerable<Case> Cases(byte[] original, int seed, int cuts = 4, int flips = 6, int overwrites = 4)
    {
        var random = new Random(seed);
        yield return new Case("cut to 0 bytes", []);
        yield return new Case($"cut to {original.Length - 1} bytes", original[..^1]);
        for (int i = 0; i < cuts; i++)
        {
            int length = random.Next(1, original.Length);
            yield return new Case($"cut to {length} bytes", original[..length]);
        }
        for (int i = 0; i < flips; i++)
        {
            int position = Position(random, original.Length, i);
            int bit = random.Next(8);
            var copy = (byte[])original.Clone();
            copy[position] ^= (byte)(1 << bit);
            yield return new Case($"bit {bit} of byte {position} flipped", copy);
        }
        for (int i = 0; i < overwrites; i++)
        {
            int position = Position(random, original.Length, i);
            var copy = (byte[])original.Clone();
            copy[position] = (byte)(copy[position] + 1 + random.Next(255)); // always a different value
            yield return new Case($"byte {position} overwritten with 0x{copy[position]:X2}", copy);
        }
    }

    private static int Position(Random random, int length, int index)
        => index % 2 == 0 ? random.Next(Math.Min(length, HeaderBytes)) : random.Next(length);

    /// <summary>
    /// Runs <paramref name="read"/> on a thread of its own and returns what it threw (null when it succeeded).
    /// Fails the test, naming <paramref name="what"/>, when it runs past <paramref name="timeout"/> (a hang) or
    /// allocates more than <paramref name="maxAllocatedBytes"/> of managed memory (a size read from damaged data
    /// and trusted).
    /// </summary>
    public static Exception? Run(string what, Action read, TimeSpan timeout, long maxAllocatedBytes)
    {
        Exception? error = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read();
            }
            catch (Exception e)
            {
                error = e;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        })
        { IsBackground = true }; // a hung reader must not keep the test process alive
        thread.Start();
        if (!thread.Join(timeout))
            Assert.Fail($"{what}: still running after {timeout.TotalSeconds} s");
        Assert.True(allocated <= maxAllocatedBytes, $"{what}: allocated {allocated:N0} bytes, more than the {maxAllocatedBytes:N0} allowed");
        return error;
    }
}
