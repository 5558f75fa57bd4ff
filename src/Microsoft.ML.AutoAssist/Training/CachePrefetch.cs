using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Asks the processor to start loading a cached row's values into its cache before they are read.
/// Epochs visit the cache in a random order, so every row starts with cache and address-translation
/// misses that the hardware cannot foresee; an epoch knows its order, so it can announce the next
/// row while the trainer still copies the current one, and the two rows' memory waits overlap.
/// </summary>
/// <remarks>
/// A prefetch is only a hint: it never faults and never changes a value, so a stale address (the
/// garbage collector moving the array between taking the address and the hint) costs nothing but the
/// hint. Processors without the SSE prefetch instructions skip it.
/// </remarks>
internal static class CachePrefetch
{
    private const int CacheLineBytes = 64;

    /// <summary>
    /// At most this much of a row is announced: enough for the hardware's own stream prefetchers to
    /// take over on a longer row, little enough not to crowd the cache with a row not yet read.
    /// </summary>
    public const int MaxBytesPerRow = 8 * 1024;

    /// <summary>Announces <paramref name="count"/> values of <paramref name="values"/> from <paramref name="start"/> (up to <see cref="MaxBytesPerRow"/>).</summary>
    public static unsafe void Range<T>(T[] values, int start, int count) where T : unmanaged
    {
        if (!Sse.IsSupported || count <= 0 || (uint)start >= (uint)values.Length)
            return;
        long bytes = Math.Min((long)Math.Min(count, values.Length - start) * sizeof(T), MaxBytesPerRow);
        byte* first = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), start));
        byte* end = first + bytes;
        // Into the second-level cache: the first-level one has too few outstanding misses to fetch a
        // whole row ahead (measured slower), and the trainer's copy moves it up when it reads it.
        // From the line the row starts in, so a row that does not start on a line boundary is covered to its end.
        for (byte* line = (byte*)((nuint)first & ~(nuint)(CacheLineBytes - 1)); line < end; line += CacheLineBytes)
            Sse.Prefetch1(line);
    }
}
