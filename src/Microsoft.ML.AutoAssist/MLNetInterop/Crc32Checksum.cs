namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320, the one zip and PNG use), for the
/// integrity checks of saved models and training checkpoints. Written here so that the core library needs no
/// package beyond ML.NET. The samples' PNG writer uses it for its chunks too.
/// </summary>
internal static class Crc32Checksum
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The value to start a running CRC with.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="data"/> into a running (not yet finalized) CRC.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>Turns a running CRC into the final checksum.</summary>
    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFFu;

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));

    /// <summary>The CRC-32 and length of a stream's remaining bytes, read in blocks (a file need not fit in memory).</summary>
    public static (uint Crc, long Length) Compute(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[1 << 16];
        uint crc = Initial;
        long length = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            crc = Update(crc, buffer.AsSpan(0, read));
            length += read;
        }
        return (Finish(crc), length);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
